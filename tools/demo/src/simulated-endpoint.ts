/**
 * The simulated task metadata endpoint v4: the test kit's fake endpoint (a real HTTP server on 127.0.0.1 that
 * behaves like the ECS agent's), answering `${URI}`, `${URI}/task`, `${URI}/stats` and `${URI}/task/stats` from
 * a TaskSource at the simulated time of each request.
 */
import { FakeMetadataEndpoint } from '../../testing/src';
import { sampleIndexAt, type TaskSource } from './task-source';

/** Anything that tells simulated seconds (the demo's SimClock; a hand-driven clock in tests). */
export interface SimulatedTime {
  nowSeconds(): number;
}

/** A running simulated endpoint. */
export interface SimulatedEndpoint {
  /** What ECS would put in ECS_CONTAINER_METADATA_URI_V4 (no trailing slash). */
  readonly url: string;
  /** Highest sample index served from /task/stats or /stats so far (-1 before the first). */
  readonly lastServedSample: () => number;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 (port 0 unless given). */
export async function startSimulatedEndpoint(source: TaskSource, clock: SimulatedTime, port = 0): Promise<SimulatedEndpoint> {
  let lastServed = -1;
  /** The sample the endpoint serves now: the last refresh, cached until the next (as the agent does). */
  const servedIndex = (): number => {
    const index = sampleIndexAt(source, clock.nowSeconds());
    lastServed = Math.max(lastServed, index);
    return index;
  };
  const endpoint = new FakeMetadataEndpoint({ prefix: '/v4/demo-task-metadata' })
    .route('/', { body: () => source.selfText(clock.nowSeconds()) })
    .route('/task', { body: () => source.taskText(clock.nowSeconds()) })
    .route('/stats', {
      body: () => {
        servedIndex();
        return source.selfStatsText(clock.nowSeconds());
      },
    })
    .route('/task/stats', { body: () => source.sample(servedIndex()).text });
  await endpoint.start(port);
  return { url: endpoint.uri, lastServedSample: () => lastServed, close: () => endpoint.close() };
}
