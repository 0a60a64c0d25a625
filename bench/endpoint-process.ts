import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { EndpointMessage } from './endpoint-server';

/** The fake metadata endpoint in its own process: its CPU is not the benchmark's. */
export class EndpointProcess {
  private constructor(
    private readonly _child: ChildProcess,
    /** `http://127.0.0.1:<port>`. */
    readonly origin: string,
  ) {}

  /** Forks endpoint-server.js serving tasks of the given sizes and waits until it listens. */
  static async start(sizes: readonly number[]): Promise<EndpointProcess> {
    const child = fork(join(__dirname, 'endpoint-server.js'), [sizes.join(',')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [message] = (await once(child, 'message')) as [EndpointMessage];
    if (message.type !== 'listening') throw new Error(`endpoint process said ${JSON.stringify(message)}`);
    return new EndpointProcess(child, `http://127.0.0.1:${message.port}`);
  }

  /** The metadata URI (ECS_CONTAINER_METADATA_URI_V4) of the task of `size` containers. */
  metadataUri(size: number, duplicateReads = false): string {
    return `${this.origin}/v4/n${size}${duplicateReads ? '-dup' : ''}`;
  }

  /** Connections accepted and requests answered so far. */
  async counters(): Promise<{ connections: number; requests: number }> {
    const reply = once(this._child, 'message') as Promise<[EndpointMessage]>;
    this._child.send({ type: 'counters' });
    const [message] = await reply;
    if (message.type !== 'counters') throw new Error(`endpoint process said ${JSON.stringify(message)}`);
    return message;
  }

  /** Ends the child process. */
  async stop(): Promise<void> {
    if (this._child.exitCode !== null) return;
    const exited = once(this._child, 'exit');
    this._child.disconnect();
    await exited;
  }
}
