/**
 * The agent-like endpoints of the steady-state run, in their own process (their CPU is not the subjects'): one
 * kit FakeMetadataEndpoint per subject, each on its own port so that requests and connections are counted per
 * subject. Like the agent on Fargate: `/task/stats` refreshes every 10 s of real time and is served from its
 * cache in between (CachedRefresh), no keep-alive hint, idle connections closed after 5 s.
 */
import { CachedRefresh, FakeMetadataEndpoint } from '../../tools/testing/src';
import { statsPayloadRenderer, taskPayloadText } from '../payloads';

/** The refresh cadence of Fargate's endpoint. */
export const FARGATE_CADENCE_MILLIS = 10_000;

/** Messages between the benchmark and this process. */
export type AgentEndpointsMessage =
  | { type: 'listening'; uris: string[] }
  | { type: 'counters'; counters: EndpointCounters[] };

/** What one subject's endpoint saw since the previous count. */
export interface EndpointCounters {
  readonly statsRequests: number;
  readonly taskRequests: number;
  readonly connections: number;
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '').split(',').filter(Boolean).map(Number);
  const endpoints: FakeMetadataEndpoint[] = [];
  for (const size of sizes) {
    const refresh = new CachedRefresh({ cadenceMillis: FARGATE_CADENCE_MILLIS, render: statsPayloadRenderer(size) });
    const endpoint = new FakeMetadataEndpoint().route('/task', { body: taskPayloadText(size) }).route('/task/stats', { body: refresh.body });
    endpoints.push(await endpoint.start());
  }
  const connectionsBefore = endpoints.map(() => 0);
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'counters') return;
    // Since the previous message: requests are forgotten once counted, connections are a running total.
    const counters = endpoints.map((e, i) => ({ statsRequests: e.count('/task/stats'), taskRequests: e.count('/task'), connections: e.connectionsAccepted() - connectionsBefore[i] }));
    endpoints.forEach((e, i) => {
      e.forgetRequests();
      connectionsBefore[i] = e.connectionsAccepted();
    });
    send({ type: 'counters', counters });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', uris: endpoints.map((e) => e.uri) });
}

function send(message: AgentEndpointsMessage): void {
  process.send?.(message);
}

if (require.main === module) void main();
