// Helpers for the demo tests (not a test file itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { REPO_ROOT, repoPath } from '../../tools/testing/src';

/** The compiled demo CLI. */
export const DEMO_CLI = repoPath('build', 'tools', 'demo', 'src', 'cli.js');

/** Every key path of a JSON value ("/a/b", arrays as "[]" using their first element). */
export function keyPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    if (value.length > 0) for (const p of keyPaths(value[0], `${prefix}[]`)) out.add(p);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${prefix}/${k}`);
      for (const p of keyPaths(v, `${prefix}/${k}`)) out.add(p);
    }
  }
  return out;
}

/** GET over real HTTP; resolves with status and body text. */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** A clock the test moves by hand. */
export class ManualClock {
  t = 0;
  nowSeconds(): number {
    return this.t;
  }
}

/** How a CLI run ended; `timedOut` when the test had to kill it. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A CLI run under way: its process, what it printed so far, and how it will end. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  readonly done: Promise<CliRun>;
}

/**
 * Starts the built CLI (`build/tools/demo/src/cli.js`) with `args`; kills it (SIGKILL) after `timeoutMillis`, so
 * that a run that would never end fails the test instead of hanging it. Output beyond 1 MB per stream is
 * dropped. `env` is added to this process's environment; `detached` gives the CLI a process group of its own,
 * as a shell gives a command (a terminal's Ctrl-C is a SIGINT to that group).
 */
export function startCli(args: readonly string[], timeoutMillis: number, options: { env?: Record<string, string>; detached?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, [DEMO_CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMillis);
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(0, 1_000_000)));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(0, 1_000_000)));
  const done = new Promise<CliRun>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, stdout: () => stdout, done };
}

/** Runs the built CLI with `args` to its end (see startCli). */
export function runCliWithin(args: readonly string[], timeoutMillis: number, options: { env?: Record<string, string> } = {}): Promise<CliRun> {
  return startCli(args, timeoutMillis, options).done;
}
