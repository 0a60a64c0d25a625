import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port of 127.0.0.1 on which nothing listens now (connections are refused): a collector not up yet. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A collector that accepts connections and never answers: every export times out. */
export class SilentCollector {
  private readonly _sockets = new Set<Socket>();
  private readonly _server: Server = createServer((socket) => {
    this._sockets.add(socket);
    socket.on('close', () => this._sockets.delete(socket));
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}/v1/metrics`;
  }

  async close(): Promise<void> {
    // Sockets left open by the exporter would keep close() waiting.
    for (const socket of this._sockets) socket.destroy();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}
