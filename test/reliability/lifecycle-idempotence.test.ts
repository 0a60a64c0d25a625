/**
 * Calling the lifecycle methods more than once, or in quick succession: defined results, and never a
 * second timer or a second set of instruments. Real servers on 127.0.0.1; timers counted by delay.
 */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ATTR_CONTAINER_NAME, EcsTaskStatsInstrumentation, startEcsTaskStats } from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, otlpPoints, OtlpReceiver, TestReader } from '../../tools/testing/src';
import { LiveTimers } from './helpers/live-timers';

const MI = FIXTURE_PAIRS.managedInstancesV2;
/** Distinctive delays, so that the package's own timers can be told from everyone else's. */
const SAMPLE_INTERVAL_MILLIS = 1234;
const EXPORT_INTERVAL_MILLIS = 4321;
/** Five gauges for `main` and `ecs-exporter` (each has a limit, working set and utilized figure). */
const SERIES_PER_COLLECTION = 5 * 2;

/** Every `metric/ContainerName` of some data points, duplicates kept. */
function seriesOf(points: ReadonlyArray<{ metric: string; attributes: Record<string, unknown> }>): string[] {
  return points.map((p) => `${p.metric}/${String(p.attributes[ATTR_CONTAINER_NAME])}`).sort();
}

/** Lets a polling loop that just finished a sample schedule its next timer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await nextTurn();
}

describe('lifecycle: repeated and interleaved calls', () => {
  let endpoint: FakeMetadataEndpoint;
  let receiver: OtlpReceiver;
  let timers: LiveTimers;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(MI.task) });
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    receiver = await new OtlpReceiver().start();
    timers = new LiveTimers().start();
  });
  afterEach(async () => {
    timers.stop();
    await endpoint.close();
    await receiver.close();
  });

  const options = () => ({
    metadataUri: endpoint.uri,
    url: receiver.url,
    handleSignals: false,
    sampleIntervalMillis: SAMPLE_INTERVAL_MILLIS,
    exportIntervalMillis: EXPORT_INTERVAL_MILLIS,
  });

  it('startEcsTaskStats() twice returns the running handle: one sampler timer, one export timer, each series exported once', async () => {
    const first = startEcsTaskStats(options());
    try {
      await first.instrumentation.sampleNow();
      await settle();
      assert.deepEqual([timers.withDelay(SAMPLE_INTERVAL_MILLIS), timers.withDelay(EXPORT_INTERVAL_MILLIS)], [1, 1]);
      const second = startEcsTaskStats(options());
      assert.equal(second, first);
      await settle();
      assert.deepEqual([timers.withDelay(SAMPLE_INTERVAL_MILLIS), timers.withDelay(EXPORT_INTERVAL_MILLIS)], [1, 1]);
      await second.forceFlush();
      const series = seriesOf(otlpPoints(receiver.bodies.at(-1)));
      assert.equal(series.length, SERIES_PER_COLLECTION);
      assert.equal(new Set(series).size, series.length, 'no series twice');
    } finally {
      await first.shutdown();
    }
  });

  it('shutdown() twice: one final export, the same outcome, and no timer of ours left running', async () => {
    const handle = startEcsTaskStats(options());
    await handle.instrumentation.sampleNow();
    await settle();
    await Promise.all([handle.shutdown(), handle.shutdown()]);
    assert.equal(receiver.bodies.length, 1, 'one final export');
    await handle.shutdown();
    assert.equal(receiver.bodies.length, 1, 'a later shutdown() exports nothing more');
    await settle();
    assert.deepEqual([timers.withDelay(SAMPLE_INTERVAL_MILLIS), timers.withDelay(EXPORT_INTERVAL_MILLIS)], [0, 0]);
    assert.equal(handle.instrumentation.isEnabled(), false);
  });

  it('disable() then enable() while a sample is in flight leaves exactly one polling timer, and disable() leaves none', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    // Constructed enabled: its first sample is in flight when disable() and enable() follow at once.
    const instrumentation = new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri, sampleIntervalMillis: SAMPLE_INTERVAL_MILLIS });
    try {
      instrumentation.setMeterProvider(provider);
      instrumentation.disable();
      instrumentation.enable();
      instrumentation.enable();
      await instrumentation.sampleNow();
      await settle();
      assert.equal(timers.withDelay(SAMPLE_INTERVAL_MILLIS), 1, 'one polling loop');
      await instrumentation.sampleNow();
      const { resourceMetrics } = await reader.collect();
      const series = seriesOf(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints.map((dp) => ({ metric: m.descriptor.name, attributes: dp.attributes })))));
      assert.equal(series.length, SERIES_PER_COLLECTION);
      assert.equal(new Set(series).size, series.length, 'no series twice');
      instrumentation.disable();
      instrumentation.disable();
      await settle();
      assert.equal(timers.withDelay(SAMPLE_INTERVAL_MILLIS), 0, 'no polling after disable()');
    } finally {
      instrumentation.disable();
      await provider.shutdown();
    }
  });
});
