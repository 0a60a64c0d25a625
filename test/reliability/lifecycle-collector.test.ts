/**
 * The export stream over the application's life: a collector sidecar that is not up yet or restarts, and
 * containers that stop. In-process startEcsTaskStats() with short export intervals, a fake metadata
 * endpoint and a real OTLP/HTTP receiver on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ATTR_CONTAINER_NAME, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_USAGE, startEcsTaskStats } from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB, type OtlpExportMetricsServiceRequest, otlpPoints, OtlpReceiver, waitFor } from '../../tools/testing/src';
import { closedPort } from './helpers/unreachable-collector';

const MI = FIXTURE_PAIRS.managedInstancesV2;
/** `main`'s memory_stats.usage in the Managed Instances (cgroup v2) stats fixture. */
const MAIN_USAGE_BYTES = 99540992;
const EXPORT_INTERVAL_MILLIS = 200;

/** The Managed Instances stats with `main`'s usage and `read` replaced (a new sample each time). */
function miStats(mainUsageBytes: number, read: string): any {
  const stats = loadFixture(MI.stats);
  const id = Object.keys(stats).find((k) => stats[k]?.name === 'main')!;
  stats[id].memory_stats.usage = mainUsageBytes;
  stats[id].read = read;
  return stats;
}

/** `metric/ContainerName → value` in one body. */
function figures(body: OtlpExportMetricsServiceRequest): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of otlpPoints(body)) out[`${p.metric}/${p.attributes[ATTR_CONTAINER_NAME]}`] = p.value;
  return out;
}


describe('lifecycle: the collector and the export stream (in-process, real servers on 127.0.0.1)', () => {
  let endpoint: FakeMetadataEndpoint;
  const messages: Array<{ level: string; text: string }> = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown): void => {
    crashes.push(error);
  };

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(MI.task) });
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    messages.length = 0;
    crashes.length = 0;
    const log = (level: string) => (text: string, ...args: unknown[]): void => {
      messages.push({ level, text: [text, ...args.map(String)].join(' ') });
    };
    diag.setLogger(
      { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), verbose: log('verbose') },
      { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true },
    );
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  afterEach(async () => {
    process.removeListener('unhandledRejection', onCrash);
    process.removeListener('uncaughtException', onCrash);
    diag.disable();
    await endpoint.close();
  });

  const problems = (): number => messages.filter((m) => m.level === 'error' || m.level === 'warn').length;

  it('collector down at start, up later, then restarted: no crash, one message per failed export, and MaxMemoryUsage shows the peaks sampled while it was down', async () => {
    const port = await closedPort();
    const handle = startEcsTaskStats({
      metadataUri: endpoint.uri,
      url: `http://127.0.0.1:${port}/v1/metrics`,
      exportIntervalMillis: EXPORT_INTERVAL_MILLIS,
      handleSignals: false,
    });
    let receiver: OtlpReceiver | undefined;
    try {
      await handle.instrumentation.sampleNow();
      // While nobody listens: `main` spikes 64 MiB above the fixture's usage, then falls to 48 MiB.
      const downSince = performance.now();
      const spikeBytes = MAIN_USAGE_BYTES + 64 * MIB;
      const lowBytes = 48 * MIB;
      endpoint.route('/task/stats', { body: miStats(spikeBytes, '2026-09-26T19:09:22.815113445Z') });
      await handle.instrumentation.sampleNow();
      endpoint.route('/task/stats', { body: miStats(lowBytes, '2026-09-26T19:09:32.815113445Z') });
      await handle.instrumentation.sampleNow();
      await waitFor('three failed exports', () => messages.filter((m) => m.level === 'error').length >= 3, 15_000);
      const downMillis = performance.now() - downSince;

      receiver = await new OtlpReceiver().start(port);
      await receiver.waitFor((bodies) => bodies.length > 0);
      const first = figures(receiver.bodies[0]);
      assert.equal(first[`${METRIC_MAX_MEMORY_USAGE}/main`], spikeBytes / MIB, 'the spike while the collector was down');
      assert.equal(first[`${METRIC_MEMORY_USAGE}/main`], lowBytes / MIB);
      // No flood: at most one message per export cycle that failed (not one per retry or per sample), and
      // none from the sampler, whose endpoint was fine.
      const problemsWhileDown = problems();
      assert.ok(problemsWhileDown <= Math.ceil(downMillis / EXPORT_INTERVAL_MILLIS) + 1, `${problemsWhileDown} messages in ${Math.round(downMillis)} ms`);
      assert.deepEqual(messages.filter((m) => m.text.includes('otel-ecs-task-stats')), []);

      // The collector restarts: a higher spike (96 MiB over the fixture) comes and goes while it is away.
      await receiver.close();
      const restartedSince = performance.now();
      const failuresBefore = messages.filter((m) => m.level === 'error').length;
      const secondSpikeBytes = MAIN_USAGE_BYTES + 96 * MIB;
      endpoint.route('/task/stats', { body: miStats(secondSpikeBytes, '2026-09-26T19:09:42.815113445Z') });
      await handle.instrumentation.sampleNow();
      endpoint.route('/task/stats', { body: miStats(lowBytes, '2026-09-26T19:09:52.815113445Z') });
      await handle.instrumentation.sampleNow();
      await waitFor('two more failed exports', () => messages.filter((m) => m.level === 'error').length >= failuresBefore + 2, 15_000);
      const awayMillis = performance.now() - restartedSince;
      receiver = await new OtlpReceiver().start(port);
      await receiver.waitFor((bodies) => bodies.length > 0);
      const afterRestart = figures(receiver.bodies[0]);
      assert.equal(afterRestart[`${METRIC_MAX_MEMORY_USAGE}/main`], secondSpikeBytes / MIB);
      assert.equal(afterRestart[`${METRIC_MEMORY_USAGE}/main`], lowBytes / MIB);
      const problemsWhileAway = problems() - problemsWhileDown;
      assert.ok(problemsWhileAway <= Math.ceil(awayMillis / EXPORT_INTERVAL_MILLIS) + 1, `${problemsWhileAway} messages in ${Math.round(awayMillis)} ms`);
      assert.deepEqual(crashes, []);
    } finally {
      await handle.shutdown();
      await receiver?.close();
    }
  });

  it('a container that stops disappears from the periodic exports, and from the final one', async () => {
    const receiver = await new OtlpReceiver().start();
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, exportIntervalMillis: EXPORT_INTERVAL_MILLIS, handleSignals: false });
    try {
      await receiver.waitFor((bodies) => bodies.some((b) => `${METRIC_MEMORY_USAGE}/ecs-exporter` in figures(b)));
      // `ecs-exporter` stops: its stats entry becomes null (as `nonessential`'s already is); `main` goes on.
      const stats = miStats(MAIN_USAGE_BYTES, '2026-09-26T19:09:22.815113445Z');
      const exporterId = Object.keys(stats).find((k) => stats[k]?.name === 'ecs-exporter')!;
      stats[exporterId] = null;
      endpoint.route('/task/stats', { body: stats });
      await handle.instrumentation.sampleNow();
      // An export may have been collected before that sample: wait for two whole periodic exports after it.
      const seen = receiver.bodies.length;
      await receiver.waitFor((bodies) => bodies.length >= seen + 2);
      await handle.shutdown();
      const after = receiver.bodies.slice(seen + 1);
      assert.ok(after.length >= 2);
      for (const body of after) {
        const names = Object.keys(figures(body));
        assert.ok(names.includes(`${METRIC_MEMORY_USAGE}/main`));
        assert.deepEqual(names.filter((n) => n.endsWith('/ecs-exporter')), [], 'no stale series kept alive by the SDK');
      }
      assert.deepEqual(crashes, []);
    } finally {
      await handle.shutdown();
      await receiver.close();
    }
  });
});
