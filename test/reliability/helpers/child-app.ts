import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** One diag message written by a child app (see apps/app-setup.ts). */
export interface DiagLine {
  readonly level: string;
  readonly message: string;
}

/** How a child app ended, and how long after `ready` (or after spawn, if it never printed it). */
export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly millisAfterReady: number;
}

/** A child app under test: its output lines, its diag messages and its end. */
export interface AppRun {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly diag: DiagLine[];
  /** Resolves when the child prints `line` (rejects if it exits first). */
  waitForLine(line: string): Promise<void>;
  /** Resolves when the child exits; kills it (SIGKILL) and rejects if it is still running after `boundMillis`. */
  exited(boundMillis: number): Promise<AppExit>;
}

/**
 * Runs `build/test/reliability/apps/<name>.js` with `node`, with a clean OTel environment plus `env`.
 * The child is always reaped: `exited()` kills it when its bound passes.
 */
export function runApp(name: string, env: Record<string, string>): AppRun {
  const script = join(__dirname, '..', 'apps', `${name}.js`);
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env['PATH'], ...env };
  const child = spawn(process.execPath, [script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const diag: DiagLine[] = [];
  const stderr: string[] = [];
  let readyAt: number | undefined;
  const spawnedAt = performance.now();
  let lineWaiters: Array<() => void> = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  const exitWaiters: Array<() => void> = [];

  splitLines(child.stdout, (line) => {
    stdout.push(line);
    if (line === 'ready') readyAt ??= performance.now();
    const waiters = lineWaiters;
    lineWaiters = [];
    for (const wake of waiters) wake();
  });
  splitLines(child.stderr, (line) => {
    const [tag, level, ...rest] = line.split('\t');
    if (tag === 'diag' && level !== undefined) diag.push({ level, message: rest.join('\t') });
    else stderr.push(line);
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal, at: performance.now() };
    for (const wake of [...exitWaiters, ...lineWaiters]) wake();
  });

  const describe = (): string => `stdout: ${stdout.join(' | ')}; stderr: ${stderr.join(' | ')}`;
  return {
    child,
    stdout,
    diag,
    async waitForLine(line: string): Promise<void> {
      while (!stdout.includes(line)) {
        if (exit !== undefined) throw new Error(`${name} exited (${exit.code ?? exit.signal}) before printing "${line}"; ${describe()}`);
        await new Promise<void>((resolve) => lineWaiters.push(resolve));
      }
    },
    async exited(boundMillis: number): Promise<AppExit> {
      if (exit === undefined) {
        const timer = setTimeout(() => child.kill('SIGKILL'), boundMillis);
        await new Promise<void>((resolve) => exitWaiters.push(resolve));
        clearTimeout(timer);
        if (exit!.signal === 'SIGKILL') throw new Error(`${name} was still running ${boundMillis} ms later; ${describe()}`);
      }
      return { code: exit!.code, signal: exit!.signal, millisAfterReady: exit!.at - (readyAt ?? spawnedAt) };
    },
  };
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
}
