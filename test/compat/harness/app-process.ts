import { spawn } from 'node:child_process';
import * as readline from 'node:readline';

/** A JSON line the compat app printed (see test/compat/app.cjs). */
export interface AppEvent {
  event: string;
  [key: string]: unknown;
}

/** The compat app running as a child process under a given Node.js binary. */
export interface AppProcess {
  readonly events: AppEvent[];
  /** Everything the app wrote to stderr (shown when a cell fails). */
  stderr(): string;
  /** Resolves with the first event of that name (already seen or future); rejects if the app exits first. */
  waitForEvent(name: string): Promise<AppEvent>;
  /** Resolves when the process has exited, with its exit code (null if killed by a signal) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(sig: NodeJS.Signals): void;
  /** SIGKILL if still running (cleanup only). */
  kill(): void;
}

/** Starts `nodeBinary app.cjs` in `cwd` with `env` added to a minimal environment. */
export function startApp(nodeBinary: string, cwd: string, env: Record<string, string>): AppProcess {
  const child = spawn(nodeBinary, ['app.cjs'], {
    cwd,
    // PATH only: nothing from the developer's shell (OTEL_* in particular) leaks into the cell.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: AppEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let running = true;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as AppEvent);
    } catch {
      stderr += `[stdout, not JSON] ${line}\n`;
    }
    for (const notify of [...listeners]) notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': it comes after the process ended AND its stdio closed, so every line is in.
    child.on('close', (code, signal) => {
      running = false;
      for (const notify of [...listeners]) notify();
      resolve({ code, signal });
    });
  });
  return {
    events,
    stderr: () => stderr,
    exited,
    waitForEvent: (name) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.find((e) => e.event === name);
          if (found) {
            listeners.delete(check);
            resolve(found);
          } else if (!running) {
            listeners.delete(check);
            reject(new Error(`app exited before printing '${name}'. stderr:\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      }),
    signal: (sig) => {
      child.kill(sig);
    },
    kill: () => {
      if (running) child.kill('SIGKILL');
    },
  };
}
