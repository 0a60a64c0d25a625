/**
 * The simulated task metadata endpoint v4: a real HTTP server on 127.0.0.1 that answers `${URI}`,
 * `${URI}/task`, `${URI}/stats` and `${URI}/task/stats` like the ECS agent does (JSON bodies; unknown paths
 * → 404 with a JSON string body, as in ecs-agent/tmds/handlers/v4/handlers.go).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleIndexAt, type TaskSource } from './task-source';

/** Anything that tells simulated seconds (the demo's SimClock; a hand-driven clock in tests). */
export interface SimulatedTime {
  nowSeconds(): number;
}

/** A running simulated endpoint. */
export interface SimulatedEndpoint {
  /** What ECS would put in ECS_CONTAINER_METADATA_URI_V4 (no trailing slash). */
  readonly url: string;
  /** Requests answered so far, by path (relative to url). */
  readonly requests: Map<string, number>;
  /** Highest sample index served from /task/stats or /stats so far (-1 before the first). */
  readonly lastServedSample: () => number;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 (port 0 unless given). */
export async function startSimulatedEndpoint(source: TaskSource, clock: SimulatedTime, port = 0): Promise<SimulatedEndpoint> {
  const prefix = '/v4/demo-task-metadata';
  const requests = new Map<string, number>();
  let lastServed = -1;

  const route = (path: string): string | undefined => {
    const t = clock.nowSeconds();
    switch (path) {
      case '':
      case '/':
        return source.selfText(t);
      case '/task':
        return source.taskText(t);
      case '/stats':
        lastServed = Math.max(lastServed, sampleIndexAt(source, t));
        return source.selfStatsText(t);
      case '/task/stats': {
        const index = sampleIndexAt(source, t);
        lastServed = Math.max(lastServed, index);
        return source.sample(index).text;
      }
      default:
        return undefined;
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const rel = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
    const body = req.method === 'GET' && rel !== undefined ? route(rel) : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(`V4 handler: unable to find ${pathname}`));
      return;
    }
    requests.set(rel!, (requests.get(rel!) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  // Keep-alive sockets from the package's pool must not hold the process open after close().
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}${prefix}`,
    requests,
    lastServedSample: () => lastServed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
