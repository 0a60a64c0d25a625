import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** Where the fixtures live, seen from build/test/compat/harness/ (they are not copied by tsc). */
const FIXTURES_DIR = path.resolve(__dirname, '../../../../test/fixtures/tmde-v4');

/** Reads a fixture file verbatim (bytes are served as they are, never re-serialised). */
export function readFixture(fileName: string): string {
  return fs.readFileSync(path.join(FIXTURES_DIR, fileName), 'utf8');
}

/** A fake ECS task metadata endpoint v4 on 127.0.0.1, serving two fixture files. */
export interface FakeMetadataEndpoint {
  /** What the application gets as ECS_CONTAINER_METADATA_URI_V4 (with a /v4/<id> path, as on ECS). */
  readonly metadataUri: string;
  /** Every request seen so far, in arrival order, with its arrival time (performance.now()). */
  readonly requests: { path: string; at: number }[];
  /** TCP connections from clients that are open right now. */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Starts the endpoint: GET <metadataUri>/task serves `taskFile`, GET <metadataUri>/task/stats serves
 * `statsFile`, anything else is a 404. Port 0, so runs never collide.
 */
export async function startFakeMetadataEndpoint(taskFile: string, statsFile: string): Promise<FakeMetadataEndpoint> {
  const prefix = '/v4/compat-0123456789abcdef';
  const routes = new Map([
    [`${prefix}/task`, readFixture(taskFile)],
    [`${prefix}/task/stats`, readFixture(statsFile)],
  ]);
  const requests: { path: string; at: number }[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', at: performance.now() });
    const body = req.method === 'GET' ? routes.get(req.url ?? '') : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    metadataUri: `http://127.0.0.1:${port}${prefix}`,
    requests,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
