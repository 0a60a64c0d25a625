import type { TestContext } from 'node:test';
import { TaskStatsSampler, type SamplerOptions } from '../../src/sampler/sampler';
import type { SampledContainer } from '../../src/sampler/sampled-container';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, HostProcessWatch, loadFixture } from '../../tools/testing/src';
import { RecordingScheduler } from './recording-scheduler';
import { ManualClock, samplerOptions } from './sampler-options';

/** The Managed Instances (cgroup v2) pair: containers `main` and `ecs-exporter` running, one null entry. */
export const MI = FIXTURE_PAIRS.managedInstancesV2;

/** The fixture's stats with `main`'s `memory_stats.usage` and `read` replaced. */
export function statsWithMain(usageBytes: number, read: string): any {
  const stats = loadFixture(MI.stats);
  const main = Object.values(stats).find((entry: any) => entry?.name === 'main') as any;
  main.memory_stats.usage = usageBytes;
  main.read = read;
  return stats;
}

/** The endpoint's refresh cadence in the fixture, `read − preread` of `main`, in ms. */
export function fixtureRefreshMillis(): number {
  const main = Object.values(loadFixture(MI.stats)).find((entry: any) => entry?.name === 'main') as any;
  return Date.parse(main.read) - Date.parse(main.preread);
}

/** A sampler against a real fake endpoint, with a manual clock, a recorded schedule and a watched host. */
export interface FaultHarness {
  readonly endpoint: FakeMetadataEndpoint;
  readonly sampler: TaskStatsSampler;
  readonly clock: ManualClock;
  readonly scheduler: RecordingScheduler;
  readonly watch: HostProcessWatch;
  readonly options: SamplerOptions;
  /** What the sampler reports now for the container named `name`. */
  reported(name: string): SampledContainer | undefined;
  /** Moves the clock by the delay last scheduled, runs that poll, and resolves with the next delay. */
  pollOnSchedule(): Promise<number>;
}

/**
 * Starts a sampler whose first poll gets `initialStats` and `initialTask` (default: the fixture's `/task`),
 * and resolves once that first poll is done. Everything is torn down after the test.
 */
export async function startFaultHarness(
  t: TestContext,
  initialStats: object | string,
  overrides: Partial<SamplerOptions> = {},
  initialTask: object | string = loadFixture(MI.task),
): Promise<FaultHarness> {
  const endpoint = await new FakeMetadataEndpoint().start();
  endpoint.route('/task', { body: initialTask });
  endpoint.route('/task/stats', { body: initialStats });
  const clock = new ManualClock();
  const scheduler = new RecordingScheduler();
  const watch = new HostProcessWatch();
  const options = samplerOptions(endpoint.uri, { clock: clock.read, setTimer: scheduler.setTimer, ...overrides });
  const sampler = new TaskStatsSampler(options);
  t.after(async () => {
    sampler.stop();
    scheduler.dispose();
    watch.dispose();
    await endpoint.close();
  });
  const firstDelay = scheduler.nextDelay();
  sampler.start();
  await firstDelay;
  return {
    endpoint,
    sampler,
    clock,
    scheduler,
    watch,
    options,
    reported: (name) => sampler.current().find((c) => c.containerName === name),
    pollOnSchedule: () => {
      clock.now += scheduler.delays.at(-1)!;
      return scheduler.runScheduledPoll();
    },
  };
}
