/**
 * Issue 14, "Also": container names a hostile (or broken) endpoint can serve. Two containers with one ECS
 * Name silently became one series; a container whose Name is not a non-empty string was dropped with
 * nothing above debug; more containers than the SDK's default cardinality limit folded silently into
 * `otel.metric.overflow`. Each now has a defined outcome and one warning.
 */
import assert from 'node:assert/strict';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { ATTR_CONTAINER_NAME, EcsTaskStatsInstrumentation, METRIC_MEMORY_USAGE } from '../../src';
import { FakeMetadataEndpoint, HostProcessWatch, loadFixture, MIB, TestReader } from '../../tools/testing/src';
import { MI, startFaultHarness } from '../helpers/fault-harness';

const STATS = loadFixture(MI.stats);
const TASK = loadFixture(MI.task);
const names = (list: readonly { containerName: string }[]): string[] => list.map((c) => c.containerName).sort();

describe('container names from /task', () => {
  it('two containers with the same Name: the first in /task order is reported, the other dropped, one warning', async (t) => {
    const task = structuredClone(TASK);
    // /task order in the fixture: ecs-exporter, main, nonessential. Renaming ecs-exporter to `main` makes it
    // the first `main`.
    const first = task.Containers.find((c: any) => c.Name === 'ecs-exporter');
    const second = task.Containers.find((c: any) => c.Name === 'main');
    first.Name = 'main';
    const h = await startFaultHarness(t, STATS, {}, task);
    await h.pollOnSchedule();
    const reported = h.sampler.current();
    assert.deepEqual(names(reported), ['main'], 'one series for the name');
    assert.equal(reported[0].dockerId, first.DockerId, 'the first in /task order');
    assert.equal(reported[0].usageBytes, STATS[first.DockerId].memory_stats.usage); // 38309888 bytes
    const warnings = h.watch.messages('warn');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /more than one container named "main"/);
    assert.ok(warnings[0].includes(JSON.stringify(first.DockerId)) && warnings[0].includes(JSON.stringify(second.DockerId)), warnings[0]);
  });

  for (const [what, name] of [
    ['a number', 42],
    ['empty', ''],
    ['missing', undefined],
    ['an object', { toString: 'x' }],
  ] as const) {
    it(`a Name that is ${what}: the container is dropped, the others reported, one warning, also when /task is read again`, async (t) => {
      const task = structuredClone(TASK);
      const main = task.Containers.find((c: any) => c.Name === 'main');
      if (name === undefined) delete main.Name;
      else main.Name = name;
      const h = await startFaultHarness(t, STATS, {}, task);
      await h.pollOnSchedule();
      assert.deepEqual(names(h.sampler.current()), ['ecs-exporter']);
      // Its stats carry a DockerId /task does not name: /task is read again once, with the same result.
      assert.equal(h.endpoint.count('/task'), 2);
      const warnings = h.watch.messages('warn');
      assert.equal(warnings.length, 1, warnings.join(' | '));
      assert.match(warnings[0], /Name that is not a non-empty string/);
      assert.ok(warnings[0].includes(JSON.stringify(main.DockerId)), warnings[0]);
    });
  }
});

/** A task of `count` running containers `c0`, `c1`, …, each with a usage of (i + 1) MiB. */
function bigTask(count: number): { task: object; stats: object } {
  const containers = [];
  const stats: Record<string, object> = {};
  for (let i = 0; i < count; i++) {
    const id = `id-${i}`;
    containers.push({ DockerId: id, Name: `c${i}`, Type: 'NORMAL' });
    stats[id] = { id, read: '2026-09-26T19:10:12Z', memory_stats: { usage: (i + 1) * MIB } };
  }
  return { task: { Family: 'big', Containers: containers }, stats };
}

describe("more containers than the SDK's default cardinality limit (2000 series per metric)", () => {
  for (const count of [1999, 2000]) {
    it(`${count} containers: ${count < 2000 ? 'every one its own series, no warning' : '1999 series plus one otel.metric.overflow series, and one warning'}`, async (t) => {
      const endpoint = await new FakeMetadataEndpoint().start();
      const watch = new HostProcessWatch();
      const { task, stats } = bigTask(count);
      endpoint.route('/task', { body: task });
      endpoint.route('/task/stats', { body: stats });
      const reader = new TestReader();
      const provider = new MeterProvider({ readers: [reader] });
      const instrumentation = new EcsTaskStatsInstrumentation({ metadataUri: endpoint.uri, sampleIntervalMillis: 3_600_000 });
      t.after(async () => {
        instrumentation.disable();
        await provider.shutdown();
        watch.dispose();
        await endpoint.close();
      });
      instrumentation.setMeterProvider(provider);
      await instrumentation.sampleNow();
      const { resourceMetrics } = await reader.collect();
      const usage = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === METRIC_MEMORY_USAGE)!;
      const overflow = usage.dataPoints.filter((dp) => dp.attributes['otel.metric.overflow'] === true);
      const named = usage.dataPoints.filter((dp) => dp.attributes[ATTR_CONTAINER_NAME] !== undefined);
      const warnings = watch.messages('warn', /cardinality/);
      if (count < 2000) {
        assert.equal(named.length, count);
        assert.equal(overflow.length, 0);
        assert.deepEqual(warnings, []);
      } else {
        // The SDK keeps limit − 1 = 1999 attribute sets and folds the rest into one overflow series.
        assert.equal(named.length, 1999);
        assert.equal(overflow.length, 1);
        assert.equal(warnings.length, 1, watch.messages('warn').join(' | '));
        assert.match(warnings[0], /2000 containers to report/);
      }
    });
  }
});
