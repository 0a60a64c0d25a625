/**
 * The task metadata endpoint v4 of the kernel-backed task: a real HTTP server on 127.0.0.1 that answers
 * `${uri}` (the container's own metadata), `${uri}/task` and `${uri}/task/stats` from what the task gives it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the endpoint serves; each function is called per request. */
export interface EndpointSource {
  /** The base URI's answer: the metadata of the container "this process" runs in. */
  containerMetadataJson(): string;
  /** `/task`: live, as the agent's task state is. */
  taskMetadataJson(): string;
  /** `/task/stats`: the sample taken at the last refresh, cached in between, as the agent serves it. */
  taskStatsJson(): string;
}

export class TaskEndpoint {
  private readonly _server: Server;
  private readonly _prefix = `/v4/${randomBytes(16).toString('hex')}`;

  constructor(private readonly _source: EndpointSource) {
    this._server = createServer((req, res) => this._handle(req, res));
    // The agent (Go net/http) sends no `Keep-Alive: timeout=…` hint; Node's server sends one unless this is 0.
    this._server.keepAliveTimeout = 0;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this._server.once('error', reject);
      this._server.listen(0, '127.0.0.1', () => {
        this._server.off('error', reject);
        resolve();
      });
    });
    return this;
  }

  /** The value ECS would put in ECS_CONTAINER_METADATA_URI_V4. */
  get uri(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}${this._prefix}`;
  }

  async close(): Promise<void> {
    if (!this._server.listening) return;
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const path = url.startsWith(this._prefix) ? url.slice(this._prefix.length).replace(/\/$/, '') : undefined;
    let body: string | undefined;
    if (req.method === 'GET' && path === '') body = this._source.containerMetadataJson();
    else if (req.method === 'GET' && path === '/task') body = this._source.taskMetadataJson();
    else if (req.method === 'GET' && path === '/task/stats') body = this._source.taskStatsJson();
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify('V4 handler: not found'));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  }
}
