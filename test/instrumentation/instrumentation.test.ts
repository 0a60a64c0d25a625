import { diag, DiagLogLevel, metrics, type DiagLogger } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  EcsTaskStatsInstrumentation,
  type EcsTaskStatsInstrumentationConfig,
  ERROR_CODES,
  MEMORY_UNIT,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
} from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB, pointsByMetric, TestReader } from '../../tools/testing/src';

const FARGATE = FIXTURE_PAIRS.fargateV1;

describe('EcsTaskStatsInstrumentation', () => {
  let endpoint: FakeMetadataEndpoint;
  const cleanups: Array<() => unknown> = [];

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(FARGATE.task) });
    endpoint.route('/task/stats', { body: loadFixture(FARGATE.stats) });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await endpoint.close();
  });

  function withProvider(): { provider: MeterProvider; reader: TestReader } {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    cleanups.push(() => provider.shutdown());
    return { provider, reader };
  }
  function instrumentation(config = {}): EcsTaskStatsInstrumentation {
    const instance = new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri, ...config });
    cleanups.push(() => instance.disable());
    return instance;
  }

  it('observes the five gauges per running container, in MiB, from cached samples', async () => {
    const { provider, reader } = withProvider();
    const instance = instrumentation();
    instance.setMeterProvider(provider);
    await instance.sampleNow();
    const { resourceMetrics, errors } = await reader.collect();
    assert.deepEqual(errors, []);
    assert.equal(resourceMetrics.scopeMetrics[0].scope.name, 'otel-ecs-task-stats');
    for (const metric of resourceMetrics.scopeMetrics[0].metrics) assert.equal(metric.descriptor.unit, MEMORY_UNIT);
    // Numbers from the Fargate 2025 payload (cgroup v1, task Limits.Memory 512):
    assert.deepEqual(pointsByMetric(resourceMetrics), {
      [METRIC_MEMORY_USAGE]: [['ecs-exporter', 84111360 / MIB], ['prometheus', 127934464 / MIB]],
      [METRIC_MAX_MEMORY_USAGE]: [['ecs-exporter', 84238336 / MIB], ['prometheus', 128557056 / MIB]],
      [METRIC_MEMORY_LIMIT]: [['ecs-exporter', 512], ['prometheus', 512]],
      [METRIC_MEMORY_WORKING_SET]: [['ecs-exporter', (84111360 - 39100416) / MIB], ['prometheus', (127934464 - 52383744) / MIB]],
      [METRIC_MEMORY_UTILIZED]: [['ecs-exporter', (84111360 - 42442752) / MIB], ['prometheus', (127934464 - 85426176) / MIB]],
    });
    // The callback did no I/O: collecting twice more made no request.
    const before = endpoint.requests.length;
    await reader.collect();
    await reader.collect();
    assert.equal(endpoint.requests.length, before);
  });

  it('NodeSDK order: constructed on the global provider, then moved; the old provider sees nothing', async () => {
    const global = withProvider();
    metrics.setGlobalMeterProvider(global.provider);
    cleanups.push(() => metrics.disable());
    const instance = instrumentation();
    const sdk = withProvider();
    instance.setMeterProvider(sdk.provider); // NodeSDK calls it twice: registerInstrumentations, then its loop
    instance.setMeterProvider(sdk.provider);
    await instance.sampleNow();
    assert.deepEqual(pointsByMetric((await global.reader.collect()).resourceMetrics), {});
    assert.equal(pointsByMetric((await sdk.reader.collect()).resourceMetrics)[METRIC_MEMORY_USAGE].length, 2);
  });

  it('disable() stops observing and sampling; enable() resumes; both are idempotent', async () => {
    const { provider, reader } = withProvider();
    const instance = instrumentation();
    instance.setMeterProvider(provider);
    await instance.sampleNow();
    instance.disable();
    instance.disable();
    assert.equal(instance.isEnabled(), false);
    assert.deepEqual(pointsByMetric((await reader.collect()).resourceMetrics), {});
    instance.enable();
    instance.enable();
    await instance.sampleNow();
    assert.equal(pointsByMetric((await reader.collect()).resourceMetrics)[METRIC_MEMORY_USAGE].length, 2);
  });

  it('a frozen MeterProvider, whose shutdown() cannot be followed, is still accepted without a throw', async () => {
    const { provider, reader } = withProvider();
    const instance = instrumentation();
    // A frozen facade (freezing the SDK's own provider would break the SDK itself).
    const frozen = Object.freeze({
      getMeter: (name: string, version?: string) => provider.getMeter(name, version),
      shutdown: () => provider.shutdown(),
    });
    assert.doesNotThrow(() => instance.setMeterProvider(frozen));
    await instance.sampleNow();
    assert.equal(pointsByMetric((await reader.collect()).resourceMetrics)[METRIC_MEMORY_USAGE].length, 2);
  });

  it('is constructed disabled with enabled: false, and getConfig() says so', () => {
    const instance = instrumentation({ enabled: false });
    assert.equal(instance.isEnabled(), false);
    assert.equal(instance.getConfig().enabled, false);
    assert.equal(instrumentation().getConfig().enabled, true);
  });

  it('off ECS: one diag warning, no sampler, no timer, nothing observed', async () => {
    const saved = process.env['ECS_CONTAINER_METADATA_URI_V4'];
    delete process.env['ECS_CONTAINER_METADATA_URI_V4'];
    const warnings: string[] = [];
    const logger: DiagLogger = { error() {}, warn: (...args: unknown[]) => warnings.push(args.join(' ')), info() {}, debug() {}, verbose() {} };
    diag.setLogger(logger, DiagLogLevel.WARN);
    try {
      const { provider, reader } = withProvider();
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const instance = new EcsTaskStatsInstrumentation();
      instance.setMeterProvider(provider);
      await instance.sampleNow();
      assert.equal(instance._taskStatsSampler, undefined);
      assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, timersBefore);
      assert.deepEqual(pointsByMetric((await reader.collect()).resourceMetrics), {});
      assert.equal(warnings.filter((w) => w.includes('ECS_CONTAINER_METADATA_URI_V4 is not set')).length, 1);
    } finally {
      diag.disable();
      if (saved !== undefined) process.env['ECS_CONTAINER_METADATA_URI_V4'] = saved;
    }
  });

  it('throws at construction on configuration errors, with a stable code and a message saying what to change', () => {
    const { INVALID_OPTION_TYPE, INVALID_OPTION_VALUE, OPTION_OUT_OF_RANGE } = ERROR_CODES;
    const cases: Array<[EcsTaskStatsInstrumentationConfig, string, RegExp]> = [
      [{ metadataUri: 'ftp://169.254.170.2/v4/x' }, INVALID_OPTION_VALUE, /metadataUri must use http: or https:/],
      [{ metadataUri: 'http://user:pw@127.0.0.1/v4/x' }, INVALID_OPTION_VALUE, /must not contain credentials/],
      [{ metadataUri: 'not a url' }, INVALID_OPTION_VALUE, /absolute http\(s\) URL/],
      [{ sampleIntervalMillis: 10 }, OPTION_OUT_OF_RANGE, /sampleIntervalMillis must be an integer from 1000 to 2147483647/],
      [{ requestTimeoutMillis: 0 }, OPTION_OUT_OF_RANGE, /requestTimeoutMillis must be an integer from 1 to/],
      // Above 2^31 − 1 ms a Node.js timer fires after 1 ms: the sampler would poll in a tight loop.
      [{ sampleIntervalMillis: 2 ** 31 }, OPTION_OUT_OF_RANGE, /sampleIntervalMillis .* to 2147483647 .*; got 2147483648/],
      [{ requestTimeoutMillis: 2 ** 31 }, OPTION_OUT_OF_RANGE, /requestTimeoutMillis .* to 2147483647 .*; got 2147483648/],
      [{ staleAfterMillis: 10 }, OPTION_OUT_OF_RANGE, /staleAfterMillis must be an integer >= 5000/], // the default interval
      [{ sampleIntervalMillis: '5000' as never }, INVALID_OPTION_TYPE, /sampleIntervalMillis must be a number/],
      [{ includeContainers: 5 as never }, INVALID_OPTION_TYPE, /includeContainers must be/],
      [{ enabled: 'false' as never }, INVALID_OPTION_TYPE, /enabled must be true or false/],
    ];
    for (const [config, code, says] of cases) {
      assert.throws(() => new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri, ...config }), (error: Error & { code?: string }) => {
        assert.equal(error.code, code, JSON.stringify(config));
        assert.match(error.message, says);
        return true;
      });
    }
  });

  it('a malformed ECS_CONTAINER_METADATA_URI_V4 is logged, not thrown: the application starts anyway', () => {
    const saved = process.env['ECS_CONTAINER_METADATA_URI_V4'];
    process.env['ECS_CONTAINER_METADATA_URI_V4'] = 'file:///etc/passwd';
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (...args: unknown[]) => warnings.push(args.join(' ')), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    try {
      const instance = new EcsTaskStatsInstrumentation();
      assert.equal(instance._taskStatsSampler, undefined);
      assert.match(warnings.join('\n'), /ECS_CONTAINER_METADATA_URI_V4 must use http: or https:/);
    } finally {
      diag.disable();
      if (saved === undefined) delete process.env['ECS_CONTAINER_METADATA_URI_V4'];
      else process.env['ECS_CONTAINER_METADATA_URI_V4'] = saved;
    }
  });

  it('includeContainers accepts names, a RegExp (even a global one) or a predicate', async () => {
    for (const includeContainers of [['prometheus'], /^prom/g, (name: string) => name.startsWith('prom')]) {
      const { provider, reader } = withProvider();
      const instance = instrumentation({ includeContainers });
      instance.setMeterProvider(provider);
      await instance.sampleNow();
      await instance.sampleNow();
      assert.deepEqual(pointsByMetric((await reader.collect()).resourceMetrics)[METRIC_MEMORY_USAGE], [['prometheus', 127934464 / MIB]]);
    }
  });
});
