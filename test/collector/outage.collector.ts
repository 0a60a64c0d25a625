// The collector outage path against the real collector: the application starts first (ECS `dependsOn` may
// be START, or the collector may crash), then the collector comes up, later it restarts. The package must
// not crash, and the first EMF event after each outage must carry the peak sampled while it was down.
// cgroup v2 fixture: there the peak is what the package sampled (v1's max_usage would hide the point).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startEcsTaskStats, type EcsTaskStatsHandle } from '../../src';
import { FIXTURE_PAIRS, loadFixture, MIB, repoPath, type StoredLogEvent } from '../../tools/testing/src';
import { CollectorRig, fixtureEndpoint } from './rig';

const MI = FIXTURE_PAIRS.managedInstancesV2;
/** `main`'s memory_stats.usage in the Managed Instances (cgroup v2) stats fixture. */
const MAIN_USAGE_BYTES = 99540992;
const EXPORT_INTERVAL_MILLIS = 300;

/** The fixture's stats with `main`'s usage and `read` replaced: a new sample each time. */
function statsWithMainUsage(usageBytes: number, second: number): object {
  const stats = loadFixture(MI.stats);
  const id = Object.keys(stats).find((k) => stats[k]?.name === 'main')!;
  stats[id].memory_stats.usage = usageBytes;
  stats[id].read = `2026-09-26T19:10:${String(second).padStart(2, '0')}.815113445Z`;
  return stats;
}

describe('collector outage against the real collector (started after the app, restarted mid-run)', () => {
  let rig: CollectorRig;
  let handle: EcsTaskStatsHandle | undefined;
  const errors: string[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown): void => void crashes.push(error);
  let second = 0;

  /** Serves a new sample with `main` at `usageBytes` and has the package read it now. */
  const sample = async (usageBytes: number): Promise<void> => {
    rig.endpoint.route('/task/stats', { body: statsWithMainUsage(usageBytes, (second += 10)) });
    await handle!.instrumentation.sampleNow();
  };
  /** The first event for `main` stored after `index`. */
  const firstMainEventAfter = async (index: number): Promise<StoredLogEvent> => {
    const find = (events: readonly StoredLogEvent[]): StoredLogEvent | undefined => events.slice(index).find((e) => e.emf?.ContainerName === 'main');
    await rig.cloudWatchLogs.waitFor((events) => find(events) !== undefined, 'an event for main');
    return find(rig.cloudWatchLogs.events)!;
  };
  /** Waits until the exporter has failed `count` more times (diag errors), bounded. */
  const failedExports = async (count: number): Promise<void> => {
    const target = errors.length + count;
    const deadline = Date.now() + 15_000;
    while (errors.length < target) {
      if (Date.now() > deadline) throw new Error(`only ${errors.length} export errors: ${errors.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    diag.setLogger(
      { error: (m: string) => void errors.push(m), warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined },
      { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true },
    );
    rig = await CollectorRig.start(repoPath('collector-config.yaml'), await fixtureEndpoint(MI), { startCollector: false });
  });
  after(async () => {
    await handle?.shutdown();
    await rig?.close();
    diag.disable();
    process.removeListener('unhandledRejection', onCrash);
    process.removeListener('uncaughtException', onCrash);
  });

  it('app first: exports fail quietly while no collector listens; the first event once it is up carries the peak', async () => {
    handle = startEcsTaskStats({ metadataUri: rig.endpoint.uri, url: 'http://127.0.0.1:4318/v1/metrics', exportIntervalMillis: EXPORT_INTERVAL_MILLIS, handleSignals: false });
    await sample(MAIN_USAGE_BYTES);
    // While nobody listens on 4318: main spikes 64 MiB above the fixture's usage, then falls to 48 MiB.
    const spikeBytes = MAIN_USAGE_BYTES + 64 * MIB;
    await sample(spikeBytes);
    await sample(48 * MIB);
    await failedExports(2);

    await rig.startCollector();
    const first = await firstMainEventAfter(0);
    assert.equal(first.emf?.MaxMemoryUsage, spikeBytes / MIB); // (99540992 + 67108864) / 2^20 = 158.9296875
    assert.equal(first.emf?.MemoryUsage, 48);
    assert.deepEqual(crashes, []);
  });

  it('collector restarted mid-run: the first event after it is back carries the higher peak sampled meanwhile', async () => {
    await rig.stopCollector();
    assert.deepEqual(rig.collector.exit, { code: 0, signal: null }, 'the collector shuts down cleanly on SIGTERM');
    const before = rig.cloudWatchLogs.events.length;
    const secondSpikeBytes = MAIN_USAGE_BYTES + 96 * MIB;
    await sample(secondSpikeBytes);
    await sample(48 * MIB);
    await failedExports(2);

    await rig.startCollector();
    const first = await firstMainEventAfter(before);
    assert.equal(first.emf?.MaxMemoryUsage, secondSpikeBytes / MIB); // (99540992 + 100663296) / 2^20 = 190.9296875
    assert.equal(first.emf?.MemoryUsage, 48);
    // The other container went on as before: ecs-exporter usage 38309888 B = 36.53515625 MiB.
    const other = rig.cloudWatchLogs.events.slice(before).find((e) => e.emf?.ContainerName === 'ecs-exporter');
    assert.equal(other?.emf?.MemoryUsage, 38309888 / MIB);
    assert.deepEqual(crashes, []);
  });
});
