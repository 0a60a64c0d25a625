/**
 * The task metadata endpoint v4 of the kit, played by a real HTTP server on 127.0.0.1: what the package polls
 * in the tests, the compatibility matrix, the benchmarks, the kernel-backed task and the demo. Routes are
 * relative to the metadata URI (`/` for the URI itself, `/task`, `/task/stats`, `/stats`) and can be replaced
 * while it runs. It behaves like the ECS agent where the package can tell: every answer carries its
 * content-length, the server sends no `Keep-Alive: timeout=…` hint, and it closes a connection left idle for
 * 5 s. The agent is a Go net/http server with `ReadTimeout: 5s` and no `IdleTimeout`, which Go then uses as
 * the idle timeout (amazon-ecs-agent agent/handlers/task_server_setup.go); Go sends no hint.
 *
 * Between two refreshes the agent serves its cached sample (same `read` on every poll): a static body is
 * exactly that, and {@link CachedRefresh} one that refreshes on a cadence. A body given as a function is built
 * per request (a sample that changes with time: the kernel-backed task's last refresh, the demo's simulated
 * clock, the benchmark's sequence).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A body: JSON text served byte for byte, or a value to serialise; or a function giving either, per request. */
type RouteBody = string | object | (() => string | object);

/** How the fake endpoint answers one path; a function may write anything, or nothing (a hang). */
export type Route =
  | { status?: number; body: RouteBody; headers?: Record<string, string> }
  | ((req: IncomingMessage, res: ServerResponse) => void);

export interface FakeMetadataEndpointOptions {
  /**
   * The path of the metadata URI: `/v4/test-endpoint-id` by default; `'random'` for `/v4/<32 hex digits>`,
   * as unguessable as the agent's.
   */
  readonly prefix?: string;
  /** A connection idle this long after its last answer is closed, as the agent does: 5000 ms by default. */
  readonly idleTimeoutMillis?: number;
}

/** The agent's idle close: Go's net/http with `ReadTimeout: 5s` and no `IdleTimeout`. */
const AGENT_IDLE_TIMEOUT_MILLIS = 5000;

export class FakeMetadataEndpoint {
  /** Every path requested, in order (relative to the metadata URI). */
  readonly requests: string[] = [];
  /** When each of `requests` arrived (performance.now()), index for index. */
  private readonly _requestTimes: number[] = [];
  private readonly _sockets = new Set<Socket>();
  private readonly _idleTimers = new WeakMap<Socket, { arm: () => void; disarm: () => void }>();
  private _connections = 0;
  private readonly _routes = new Map<string, Route>();
  private readonly _server: Server;
  private readonly _prefix: string;

  constructor(options: FakeMetadataEndpointOptions = {}) {
    this._prefix = options.prefix === 'random' ? `/v4/${randomBytes(16).toString('hex')}` : (options.prefix ?? '/v4/test-endpoint-id');
    this._server = createServer((req, res) => this._handle(req, res));
    // Go's net/http (the agent) sends no Keep-Alive hint; Node's server sends one unless this is 0, which also
    // turns off Node's own idle close: the agent's is played below, without a hint.
    this._server.keepAliveTimeout = 0;
    const idleMillis = options.idleTimeoutMillis ?? AGENT_IDLE_TIMEOUT_MILLIS;
    this._server.on('connection', (socket: Socket) => {
      this._connections++;
      this._sockets.add(socket);
      // Go arms its deadline when the connection is accepted and again after each answer; a request disarms it.
      let idle: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => socket.destroy(), idleMillis).unref();
      };
      arm();
      socket.on('close', () => {
        clearTimeout(idle);
        this._sockets.delete(socket);
      });
      this._idleTimers.set(socket, { arm, disarm: () => clearTimeout(idle) });
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

  /** The value ECS would put in ECS_CONTAINER_METADATA_URI_V4 (no trailing slash). */
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

  /** Forgets the requests seen so far (a long soak must not measure the endpoint's own record). */
  forgetRequests(): void {
    this.requests.splice(0);
    this._requestTimes.splice(0);
  }

  /** TCP connections from clients that are open right now. */
  openConnections(): number {
    return this._sockets.size;
  }

  /** TCP connections accepted since the start (a client that reconnects for every request makes many). */
  connectionsAccepted(): number {
    return this._connections;
  }

  async close(): Promise<void> {
    if (!this._server.listening) return;
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const idle = this._idleTimers.get(req.socket);
    idle?.disarm();
    res.once('finish', () => {
      if (!req.socket.destroyed) idle?.arm();
    });
    const url = req.url ?? '';
    const relative = url.startsWith(this._prefix) ? url.slice(this._prefix.length) : url;
    // `${uri}` and `${uri}/` are the same resource, as are `/task` and `/task/`.
    const path = relative === '' || relative === '/' ? '/' : relative.replace(/\/$/, '');
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
    const value = typeof route.body === 'function' ? route.body() : route.body;
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    res
      .writeHead(route.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...route.headers })
      .end(body);
  }
}
