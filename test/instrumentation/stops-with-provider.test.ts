/**
 * The instrumentation stops polling when its MeterProvider shuts down (NodeSDK never calls disable()), and
 * stays stopped. "No poll afterwards" is checked with node:test's fake setTimeout (the sampler schedules its
 * polls with setTimeout): time is advanced by several sampling intervals at once, and undici's diagnostics
 * channel says, synchronously, that no request was made. Its own file: fake timers also replace undici's
 * internal timers for as long as they are on, and a file is a process of its own.
 */
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, type TestContext } from 'node:test';
import { EcsTaskStatsInstrumentation, METRIC_MEMORY_USAGE } from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, TestReader, UndiciRequests } from '../../tools/testing/src';

const FARGATE = FIXTURE_PAIRS.fargateV1;
const SAMPLE_INTERVAL_MILLIS = 1000;

/** Keeps every export and answers at once (the SDK's InMemoryMetricExporter answers from a setTimeout, faked here). */
class KeepingExporter implements PushMetricExporter {
  readonly exported: ResourceMetrics[] = [];
  export(metrics: ResourceMetrics, resultCallback: (result: { code: number }) => void): void {
    this.exported.push(metrics);
    resultCallback({ code: 0 });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('EcsTaskStatsInstrumentation stops with its MeterProvider', () => {
  let endpoint: FakeMetadataEndpoint;
  let requests: UndiciRequests;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(FARGATE.task) });
    endpoint.route('/task/stats', { body: loadFixture(FARGATE.stats) });
    requests = new UndiciRequests();
  });
  afterEach(async () => {
    requests.dispose();
    await endpoint.close();
  });

  /** An instrumentation polling every second, on fake timers from its construction on. */
  function pollingInstrumentation(t: TestContext): EcsTaskStatsInstrumentation {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const instance = new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri, sampleIntervalMillis: SAMPLE_INTERVAL_MILLIS });
    t.after(() => instance.disable());
    return instance;
  }

  it('the fake clock drives the polls: one interval later, the next poll is made', async (t) => {
    // The control for the two cases below: without a shutdown, advancing the clock does poll.
    const instance = pollingInstrumentation(t);
    await instance.sampleNow();
    const polls = requests.count('/task/stats');
    t.mock.timers.tick(SAMPLE_INTERVAL_MILLIS);
    assert.equal(requests.count('/task/stats'), polls + 1);
    await instance.sampleNow(); // let that poll finish before the endpoint closes
  });

  it('stops polling when its MeterProvider shuts down (NodeSDK never calls disable), after a last export', async (t) => {
    const instance = pollingInstrumentation(t);
    const exporter = new KeepingExporter();
    const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] });
    instance.setMeterProvider(provider);
    instance.setMeterProvider(provider); // as NodeSDK does: the hook must not stack
    await instance.sampleNow();
    await provider.shutdown();
    // The final collection still had the figures: the callback stays registered through shutdown.
    const exported = exporter.exported.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
    assert.ok(exported.some((m) => m.descriptor.name === METRIC_MEMORY_USAGE && m.dataPoints.length === 2));
    const polls = requests.count('/task/stats');
    t.mock.timers.tick(10 * SAMPLE_INTERVAL_MILLIS);
    assert.equal(requests.count('/task/stats'), polls, 'no poll after the provider shut down');
  });

  it('stays stopped after its provider shut down, even when setConfig() is called later', async (t) => {
    const instance = pollingInstrumentation(t);
    const provider = new MeterProvider({ readers: [new TestReader()] });
    instance.setMeterProvider(provider);
    await instance.sampleNow();
    await provider.shutdown();
    instance.setConfig({ metadataUri: endpoint.uri, sampleIntervalMillis: SAMPLE_INTERVAL_MILLIS });
    const polls = requests.count('/task/stats');
    t.mock.timers.tick(10 * SAMPLE_INTERVAL_MILLIS);
    assert.equal(requests.count('/task/stats'), polls, 'setConfig() did not restart polling');
  });
});
