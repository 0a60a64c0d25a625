/**
 * The fake task metadata endpoint, run in a child process (see endpoint-process.ts) so that its CPU time is
 * not counted in the benchmark's `process.cpuUsage()`. Paths: `/v4/n<N>/task` and `/v4/n<N>/task/stats`
 * for a task of N containers, whose stats carry a new `read` on every request; `/v4/n<N>-dup/...` serves
 * the same `read` every time (the endpoint's cache between two refreshes).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statsPayloadRenderer, taskPayloadText } from './payloads';

/** Messages between the benchmark and this process. */
export type EndpointMessage =
  | { type: 'listening'; port: number }
  | { type: 'counters'; connections: number; requests: number };

const sizes = (process.argv[2] ?? '1,3,10,100').split(',').map(Number);
const routes = new Map<string, () => string>();
for (const size of sizes) {
  const task = taskPayloadText(size);
  const render = statsPayloadRenderer(size);
  const fixed = render(0);
  let sequence = 0;
  routes.set(`/v4/n${size}/task`, () => task);
  routes.set(`/v4/n${size}/task/stats`, () => render(++sequence));
  routes.set(`/v4/n${size}-dup/task`, () => task);
  routes.set(`/v4/n${size}-dup/task/stats`, () => fixed);
}

let connections = 0;
let requests = 0;
const server = createServer((req, res) => {
  requests++;
  const body = routes.get(req.url ?? '')?.();
  if (body === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('"V4 handler: not found"');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
server.on('connection', () => connections++);
// Longer than the benchmark's pauses, so the floor's keep-alive connection stays open.
server.keepAliveTimeout = 60_000;

process.on('message', (message: { type?: string }) => {
  if (message.type === 'counters') send({ type: 'counters', connections, requests });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));

function send(message: EndpointMessage): void {
  process.send?.(message);
}
