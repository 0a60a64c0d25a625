/**
 * The fake metadata endpoint of the test kit, run in a child process (see endpoint-process.ts) so that its CPU
 * time is not counted in the benchmark's `process.cpuUsage()`. Paths: `/v4/n<N>/task` and `/v4/n<N>/task/stats`
 * for a task of N containers, whose stats carry a new `read` on every request; `/v4/n<N>-dup/...` serves the
 * same `read` every time (the endpoint's cache between two refreshes).
 */
import { FakeMetadataEndpoint } from '../tools/testing/src';
import { hotRefresh, statsPayloadRenderer, taskPayloadText } from './payloads';

/** Messages between the benchmark and this process. */
export type EndpointMessage =
  | { type: 'listening'; port: number }
  | { type: 'counters'; connections: number; requests: number };

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '1,3,10,100').split(',').map(Number);
  const endpoint = new FakeMetadataEndpoint({ prefix: '/v4' });
  for (const size of sizes) {
    const task = taskPayloadText(size);
    const render = statsPayloadRenderer(size);
    const fixed = render(hotRefresh(0));
    let sequence = 0;
    endpoint.route(`/n${size}/task`, { body: task }).route(`/n${size}/task/stats`, { body: () => render(hotRefresh(++sequence)) });
    endpoint.route(`/n${size}-dup/task`, { body: task }).route(`/n${size}-dup/task/stats`, { body: fixed });
  }
  await endpoint.start();
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'counters') send({ type: 'counters', connections: endpoint.connectionsAccepted(), requests: endpoint.requests.length });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', port: Number(new URL(endpoint.uri).port) });
}

function send(message: EndpointMessage): void {
  process.send?.(message);
}

void main();
