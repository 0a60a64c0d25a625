import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  EcsTaskStatsInstrumentation,
  ERROR_CODES,
  MEMORY_UNIT,
  METRIC_MEMORY_USAGE,
  startEcsTaskStats,
  type StartEcsTaskStatsOptions,
} from '../../src';
import { resolveExportOptions } from '../../src/setup/options';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB, otlpPoints, OtlpReceiver } from '../../tools/testing/src';

const FARGATE = FIXTURE_PAIRS.fargateV1;

/** `metric/ContainerName → value` for the points of the last body received. */
function lastExport(receiver: OtlpReceiver): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of otlpPoints(receiver.bodies.at(-1))) out[`${p.metric}/${p.attributes[ATTR_CONTAINER_NAME]}`] = p.value;
  return out;
}

describe('startEcsTaskStats → OTLP/HTTP (integration, real servers on 127.0.0.1)', () => {
  let endpoint: FakeMetadataEndpoint;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(FARGATE.task) });
    endpoint.route('/task/stats', { body: loadFixture(FARGATE.stats) });
    receiver = await new OtlpReceiver().start();
  });
  afterEach(async () => {
    await endpoint.close();
    await receiver.close();
  });

  it('exports the five gauges per running container with names, unit, attributes and values from the payload', async () => {
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    try {
      await handle.forceFlush();
      const points = receiver.points();
      assert.ok(points.length > 0, 'something arrived');
      for (const p of points) {
        assert.equal(p.unit, MEMORY_UNIT);
        assert.equal(p.scope, 'otel-ecs-task-stats');
        assert.deepEqual(Object.keys(p.attributes).sort(), [ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY]);
        assert.equal(p.attributes[ATTR_CLUSTER_NAME], 'prom-ecs-exporter-sandbox');
        assert.equal(p.attributes[ATTR_TASK_DEFINITION_FAMILY], 'prom-ecs-exporter-sandbox-main-fargate');
      }
      // Fargate 2025, cgroup v1; the stopped `nonessential` container (stats null) is absent.
      assert.deepEqual(lastExport(receiver), {
        'MemoryUsage/prometheus': 127934464 / MIB,
        'MaxMemoryUsage/prometheus': 128557056 / MIB,
        'MemoryLimit/prometheus': 512,
        'MemoryWorkingSet/prometheus': (127934464 - 52383744) / MIB,
        'MemoryUtilized/prometheus': (127934464 - 85426176) / MIB,
        'MemoryUsage/ecs-exporter': 84111360 / MIB,
        'MaxMemoryUsage/ecs-exporter': 84238336 / MIB,
        'MemoryLimit/ecs-exporter': 512,
        'MemoryWorkingSet/ecs-exporter': (84111360 - 39100416) / MIB,
        'MemoryUtilized/ecs-exporter': (84111360 - 42442752) / MIB,
      });
    } finally {
      await handle.shutdown();
    }
  });

  it('a container that stops disappears from the next export (delta temporality, no stale series)', async () => {
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    try {
      await handle.forceFlush();
      assert.ok('MemoryUsage/prometheus' in lastExport(receiver));
      const stats = loadFixture(FARGATE.stats);
      const prometheusId = Object.keys(stats).find((k) => stats[k]?.name === 'prometheus')!;
      const exporterId = Object.keys(stats).find((k) => stats[k]?.name === 'ecs-exporter')!;
      stats[prometheusId] = null;
      stats[exporterId].read = '2025-02-27T05:22:59.406170373Z';
      endpoint.route('/task/stats', { body: stats });
      await handle.forceFlush();
      const names = Object.keys(lastExport(receiver));
      assert.ok(names.length > 0);
      assert.deepEqual(names.filter((n) => n.endsWith('/prometheus')), []);
    } finally {
      await handle.shutdown();
    }
  });

  it('works inside the application\'s own MeterProvider (its reader, its exporter)', async () => {
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: receiver.url }),
      exportIntervalMillis: 60_000,
    });
    const provider = new MeterProvider({ readers: [reader] });
    const instrumentation = new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri });
    instrumentation.setMeterProvider(provider);
    try {
      await instrumentation.sampleNow();
      await provider.forceFlush();
      const usage = receiver.points().filter((p) => p.metric === METRIC_MEMORY_USAGE);
      assert.deepEqual(usage.map((p) => [p.attributes[ATTR_CONTAINER_NAME], p.value]).sort(), [
        ['ecs-exporter', 84111360 / MIB],
        ['prometheus', 127934464 / MIB],
      ]);
    } finally {
      instrumentation.disable();
      await provider.shutdown();
    }
  });

  it('a second call returns the running handle; shutdown() twice is fine; a call after shutdown starts afresh', async () => {
    const first = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    const second = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    assert.equal(second, first);
    await first.shutdown();
    await first.shutdown();
    const third = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    assert.notEqual(third, first);
    await third.shutdown();
  });

  it('shutdown() takes a final sample and exports it', async () => {
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    await handle.shutdown();
    assert.equal(lastExport(receiver)['MemoryUsage/prometheus'], 127934464 / MIB);
  });

  it('rejects invalid export options at the call, with a stable code and a message saying what to change', () => {
    const { INVALID_OPTION_TYPE, INVALID_OPTION_VALUE, OPTION_OUT_OF_RANGE } = ERROR_CODES;
    const cases: Array<[StartEcsTaskStatsOptions, string, RegExp]> = [
      [{ url: 'grpc://x:4317' }, INVALID_OPTION_VALUE, /url must use http: or https: \(such as http:\/\/127\.0\.0\.1:4318\/v1\/metrics\)/],
      [{ exportIntervalMillis: -1 }, OPTION_OUT_OF_RANGE, /exportIntervalMillis must be an integer from 1 to 2147483647/],
      // Above 2^31 − 1 ms a Node.js timer fires after 1 ms: the reader would export in a tight loop.
      [{ exportIntervalMillis: 2 ** 31 }, OPTION_OUT_OF_RANGE, /exportIntervalMillis .*; got 2147483648/],
      [{ shutdownTimeoutMillis: 2 ** 31 }, OPTION_OUT_OF_RANGE, /shutdownTimeoutMillis .*; got 2147483648/],
      [{ exportTimeoutMillis: 0 }, OPTION_OUT_OF_RANGE, /exportTimeoutMillis must be an integer from 1/],
      [{ handleSignals: 'no' as never }, INVALID_OPTION_TYPE, /handleSignals must be true or false/],
      // The instrumentation's options are checked by the same validators.
      [{ sampleIntervalMillis: 999 }, OPTION_OUT_OF_RANGE, /sampleIntervalMillis must be an integer from 1000/],
    ];
    for (const [options, code, says] of cases) {
      assert.throws(() => startEcsTaskStats({ metadataUri: endpoint.uri, handleSignals: false, ...options }), (error: Error & { code?: string }) => {
        assert.equal(error.code, code, JSON.stringify(options));
        assert.match(error.message, says);
        return true;
      });
    }
  });

  it('ignores an OTEL_METRIC_EXPORT_INTERVAL longer than the longest Node.js timer, as any invalid value', () => {
    assert.equal(resolveExportOptions({}, { OTEL_METRIC_EXPORT_INTERVAL: String(2 ** 31) }).exportIntervalMillis, 60_000);
    assert.equal(resolveExportOptions({}, { OTEL_METRIC_EXPORT_INTERVAL: String(2 ** 31 - 1) }).exportIntervalMillis, 2 ** 31 - 1);
  });
});
