import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the fake endpoint answers one request; a function may write anything, or nothing (a hang). */
export type Route =
  | { status?: number; body: string | object; headers?: Record<string, string> }
  | ((req: IncomingMessage, res: ServerResponse) => void);

/**
 * A task metadata endpoint v4 played by a real HTTP server on 127.0.0.1. Routes are relative to the
 * metadata URI (`/task`, `/task/stats`) and can be replaced while it runs.
 */
export class FakeMetadataEndpoint {
  /** Every path requested, in order (relative to the metadata URI). */
  readonly requests: string[] = [];
  /** When each of `requests` arrived (performance.now()), index for index. */
  private readonly _requestTimes: number[] = [];
  private readonly _sockets = new Set<Socket>();
  private readonly _routes = new Map<string, Route>();
  private readonly _server: Server;
  private readonly _prefix = '/v4/test-endpoint-id';

  constructor() {
    this._server = createServer((req, res) => this._handle(req, res));
    this._server.on('connection', (socket: Socket) => {
      this._sockets.add(socket);
      socket.on('close', () => this._sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1, on an ephemeral port unless `port` is given (to come back where it was). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this._server.once('error', reject);
      this._server.listen(port, '127.0.0.1', () => {
        this._server.off('error', reject);
        resolve();
      });
    });
    return this;
  }

  /** The value ECS would put in ECS_CONTAINER_METADATA_URI_V4. */
  get uri(): string {
    const { port } = this._server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this._prefix}`;
  }

  /** Sets how `path` is answered from now on. */
  route(path: string, route: Route): this {
    this._routes.set(path, route);
    return this;
  }

  /** How many times `path` was requested. */
  count(path: string): number {
    return this.requests.filter((p) => p === path).length;
  }

  /** The paths requested after `millis` (a performance.now() time), in order. */
  requestsAfter(millis: number): string[] {
    return this.requests.filter((_, i) => this._requestTimes[i] > millis);
  }

  /** TCP connections from clients that are open right now. */
  openConnections(): number {
    return this._sockets.size;
  }

  async close(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const path = url.startsWith(this._prefix) ? url.slice(this._prefix.length) || '/' : url;
    this.requests.push(path);
    this._requestTimes.push(performance.now());
    const route = this._routes.get(path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify('V4 handler: not found'));
      return;
    }
    if (typeof route === 'function') {
      route(req, res);
      return;
    }
    const body = typeof route.body === 'string' ? route.body : JSON.stringify(route.body);
    res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers }).end(body);
  }
}
