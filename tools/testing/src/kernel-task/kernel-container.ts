/**
 * A "container" of the kernel-backed task: one process running container-program.js in its own memory cgroup.
 * A shell writes its own pid to the cgroup's `cgroup.procs` and then execs node, as runc puts a container's
 * init process in its cgroups before exec: every page node touches from its first instruction is charged to
 * the container. Only the children go in: the test process stays where it is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MemoryCgroup } from './memory-cgroup';
import { within } from '../wait';

export const CONTAINER_PROGRAM = 'container-program.js';
/** Its absolute path (compiled beside this file). */
export const CONTAINER_PROGRAM_PATH = join(__dirname, CONTAINER_PROGRAM);

/** How a container ended, as Docker and the ECS agent report it. */
export interface ContainerExit {
  /** The exit status, or 128 + the signal number when a signal ended it (137 for SIGKILL, the OOM killer's). */
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
  /** The kernel's OOM killer ended a process of this cgroup (`oom_kill` of memory.oom_control > 0). */
  readonly oomKilled: boolean;
  /** `Date.now()` at the exit. */
  readonly finishedAtMillis: number;
}

interface Reply {
  readonly ok: boolean;
  readonly error?: string;
  readonly [key: string]: unknown;
}

export class KernelContainer {
  /** Set once the process has ended. */
  exit: ContainerExit | undefined;
  /** Resolves when the process has ended (never rejects). */
  readonly exited: Promise<ContainerExit>;
  readonly startedAtMillis = Date.now();
  private readonly _child: ChildProcess;
  private readonly _stderr: string[] = [];
  private readonly _ready: Promise<void>;
  private _pending: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];

  private constructor(
    readonly name: string,
    readonly dockerId: string,
    readonly cgroup: MemoryCgroup,
  ) {
    const script = 'echo $$ > "$1" && exec "$2" --expose-gc "$3"';
    // In a session of its own, as a container is: a Ctrl-C at the terminal (SIGINT to the whole foreground process
    // group) reaches the test or the demo, which ends its containers itself, not the containers behind its back.
    this._child = spawn('/bin/sh', ['-c', script, 'sh', cgroup.procsFile, process.execPath, CONTAINER_PROGRAM_PATH], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this._child.stderr!.on('data', (chunk: Buffer) => this._stderr.push(chunk.toString('utf8')));
    // A write after the process died (EPIPE) is reported by the 'exit' handler, not as an uncaught error.
    this._child.stdin!.on('error', () => undefined);
    createInterface({ input: this._child.stdout! }).on('line', (line) => this._pending.shift()?.resolve(JSON.parse(line) as Reply));
    this.exited = new Promise((resolve) => {
      this._child.on('exit', (code, signal) => {
        const exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
        let oomKilled = false;
        try {
          oomKilled = cgroup.oomKillCount() > 0;
        } catch {
          // The cgroup is gone already: no OOM record to read.
        }
        this.exit = { exitCode, signal, oomKilled, finishedAtMillis: Date.now() };
        const pending = this._pending;
        this._pending = [];
        for (const waiter of pending) waiter.reject(new Error(`container ${name} exited (${exitCode}) ${this._stderr.join('').trim()}`));
        resolve(this.exit);
      });
    });
    // Its first line says it runs; waited for from the start so that the line cannot come before a listener.
    this._ready = this._nextReply(`container ${name} to start`).then(() => undefined);
    this._ready.catch(() => undefined); // handled by whoever awaits ready()
  }

  /** Starts the container's process in `cgroup`; `ready()` resolves once it runs there. */
  static spawn(name: string, dockerId: string, cgroup: MemoryCgroup): KernelContainer {
    return new KernelContainer(name, dockerId, cgroup);
  }

  /** Resolves once the program runs in the cgroup; rejects if it ended first (the shell could not move in). */
  ready(): Promise<void> {
    return this._ready;
  }

  /** The container's process (a shell until its exec, then node: the same pid). */
  get pid(): number {
    return this._child.pid!;
  }

  /** Allocates and touches `bytes`, and keeps them. */
  hold(bytes: number): Promise<Reply> {
    return this._command({ op: 'hold', bytes });
  }

  /** Frees what `hold` kept. */
  release(): Promise<Reply> {
    return this._command({ op: 'release' });
  }

  /** Allocates and touches `bytes`, then frees them, in one go. */
  spike(bytes: number): Promise<Reply> {
    return this._command({ op: 'spike', bytes });
  }

  /** Reads the file at `path` `times` times through the page cache. */
  readFile(path: string, times = 1): Promise<Reply> {
    return this._command({ op: 'read', path, times });
  }

  /** Allocates until the kernel kills the process; resolves with how it ended. */
  async growUntilKilled(chunkBytes = 8 * 1024 * 1024): Promise<ContainerExit> {
    this._child.stdin!.write(`${JSON.stringify({ op: 'grow', chunkBytes })}\n`);
    return within(`container ${this.name} to be killed`, this.exited);
  }

  /** Ends the process by its pid (SIGKILL) unless it has ended already, and waits for it. */
  async kill(): Promise<ContainerExit> {
    if (this.exit === undefined) this._child.kill('SIGKILL');
    return within(`container ${this.name} to end`, this.exited);
  }

  private async _command(command: object): Promise<Reply> {
    this._child.stdin!.write(`${JSON.stringify(command)}\n`);
    const reply = await this._nextReply(`container ${this.name}: ${JSON.stringify(command)}`);
    if (!reply.ok) throw new Error(`container ${this.name}: ${reply.error}`);
    return reply;
  }

  private _nextReply(what: string): Promise<Reply> {
    if (this.exit !== undefined) return Promise.reject(new Error(`container ${this.name} has exited (${this.exit.exitCode})`));
    return within(what, new Promise<Reply>((resolve, reject) => this._pending.push({ resolve, reject })));
  }
}
