import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { describeIds, TaskStatsSampler } from '../../src/sampler/sampler';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB } from '../../tools/testing/src';
import { ManualClock, samplerOptions } from '../helpers/sampler-options';

const MI = FIXTURE_PAIRS.managedInstancesV2;
const MAIN_ID = 'de02d89bb57c4ef0b6e3a8b0f5d6e0b3-1784795530';

/** The Managed Instances (cgroup v2) stats with `main`'s usage and read replaced. */
function miStats(mainUsage: number, read: string): any {
  const stats = loadFixture(MI.stats);
  const id = Object.keys(stats).find((k) => stats[k]?.name === 'main')!;
  stats[id].memory_stats.usage = mainUsage;
  stats[id].read = read;
  return stats;
}

describe('TaskStatsSampler', () => {
  let endpoint: FakeMetadataEndpoint;
  let sampler: TaskStatsSampler | undefined;
  const clock = new ManualClock();

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(MI.task) });
    clock.now = 0;
  });
  afterEach(async () => {
    sampler?.stop();
    sampler = undefined;
    await endpoint.close();
  });

  const start = (overrides = {}): TaskStatsSampler =>
    (sampler = new TaskStatsSampler(samplerOptions(endpoint.uri, { clock: clock.read, ...overrides })));

  it('tracks the cgroup v2 peak across samples: never below usage, kept when usage falls', async () => {
    const s = start();
    const main = () => s.current().find((c) => c.containerName === 'main')!;
    endpoint.route('/task/stats', { body: miStats(60 * MIB, '2026-09-26T19:09:02Z') });
    await s.sampleNow();
    assert.equal(main().usageBytes, 60 * MIB);
    assert.equal(main().maxUsageBytes, 60 * MIB); // first sample: its own peak
    endpoint.route('/task/stats', { body: miStats(90 * MIB, '2026-09-26T19:09:12Z') });
    await s.sampleNow();
    endpoint.route('/task/stats', { body: miStats(70 * MIB, '2026-09-26T19:09:22Z') });
    await s.sampleNow();
    assert.equal(main().usageBytes, 70 * MIB);
    assert.equal(main().maxUsageBytes, 90 * MIB);
  });

  it('treats a repeated `read` timestamp as the same sample: nothing changes, not fresher', async () => {
    const s = start();
    endpoint.route('/task/stats', { body: miStats(60 * MIB, '2026-09-26T19:09:02Z') });
    await s.sampleNow();
    const first = s.current();
    clock.now = 20_000;
    // Same read, different numbers: a cached sample served again must not count as new.
    endpoint.route('/task/stats', { body: miStats(95 * MIB, '2026-09-26T19:09:02Z') });
    await s.sampleNow();
    assert.equal(s.current(), first);
    assert.equal(s.counters.duplicateSamples, 1);
    assert.equal(s.current().find((c) => c.containerName === 'main')!.freshAtMillis, 0);
  });

  it('stops reporting a container whose newest sample is older than staleAfterMillis, and resumes on a fresh one', async () => {
    const s = start({ staleAfterMillis: 30_000 });
    endpoint.route('/task/stats', { body: miStats(60 * MIB, '2026-09-26T19:09:02Z') });
    await s.sampleNow();
    clock.now = 30_000;
    assert.equal(s.current().length, 2); // exactly at the bound: still current
    clock.now = 30_001;
    assert.equal(s.current().length, 0);
    endpoint.route('/task/stats', { status: 500, body: '"V4 task stats handler: boom"' });
    await s.sampleNow(); // a failure does not refresh anything
    assert.equal(s.current().length, 0);
    endpoint.route('/task/stats', { body: miStats(61 * MIB, '2026-09-26T19:09:40Z') });
    await s.sampleNow();
    // Freshness is per container: only main's `read` moved; ecs-exporter still shows its old sample.
    assert.deepEqual(s.current().map((c) => c.containerName), ['main']);
  });

  it('keeps the last good figures through a failed poll (until they are stale)', async () => {
    const s = start();
    endpoint.route('/task/stats', { body: miStats(60 * MIB, '2026-09-26T19:09:02Z') });
    await s.sampleNow();
    endpoint.route('/task/stats', { body: 'not json' });
    await s.sampleNow();
    assert.equal(s.counters.failures, 1);
    assert.equal(s.current().find((c) => c.containerName === 'main')!.usageBytes, 60 * MIB);
  });

  it('reads /task at start and again only when an unknown DockerId appears, once per unknown ID', async () => {
    const s = start();
    const stats = loadFixture(MI.stats);
    endpoint.route('/task/stats', { body: stats });
    await s.sampleNow();
    assert.equal(endpoint.count('/task'), 1);
    // A container /task does not know: /task is asked once, and not again on later polls.
    const stranger = structuredClone(stats[MAIN_ID] ?? Object.values(stats).find((v: any) => v?.name === 'main'));
    stranger.read = '2026-09-26T19:09:22Z';
    endpoint.route('/task/stats', { body: { ...stats, 'ffff-1': { ...stranger, id: 'ffff-1' } } });
    await s.sampleNow();
    await s.sampleNow();
    await s.sampleNow();
    assert.equal(endpoint.count('/task'), 2);
    // Now /task learns about it: a new unknown ID triggers one more read, which names the new container.
    const task = loadFixture(MI.task);
    task.Containers.push({ ...task.Containers[0], DockerId: 'ffff-2', Name: 'sidecar', Limits: { CPU: 2, Memory: 64 } });
    endpoint.route('/task', { body: task });
    endpoint.route('/task/stats', { body: { ...stats, 'ffff-2': { ...stranger, id: 'ffff-2' } } });
    await s.sampleNow();
    assert.equal(endpoint.count('/task'), 3);
    const sidecar = s.current().find((c) => c.containerName === 'sidecar')!;
    assert.equal(sidecar.limitBytes, 64 * MIB);
  });

  it('drops a container that stops (its entry becomes null) from what it reports', async () => {
    const s = start();
    const stats = loadFixture(MI.stats);
    endpoint.route('/task/stats', { body: stats });
    await s.sampleNow();
    assert.equal(s.current().length, 2);
    const mainId = Object.keys(stats).find((k) => stats[k]?.name === 'main')!;
    endpoint.route('/task/stats', { body: { ...stats, [mainId]: null } });
    await s.sampleNow();
    assert.deepEqual(s.current().map((c) => c.containerName), ['ecs-exporter']);
  });

  it('reports only the included containers', async () => {
    const s = start({ includeContainer: (name: string) => name === 'main' });
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    await s.sampleNow();
    assert.deepEqual(s.current().map((c) => c.containerName), ['main']);
  });

  it('gives every container its ECS name, task family and short cluster name', async () => {
    const s = start();
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    await s.sampleNow();
    const { containerName, taskDefinitionFamily, clusterName } = s.current()[0];
    assert.deepEqual({ containerName, taskDefinitionFamily, clusterName }, {
      containerName: 'ecs-exporter',
      taskDefinitionFamily: 'ecs-exporter-fixtures-managed-instances',
      clusterName: 'prom-ecs-exporter-fixtures', // arn:aws:ecs:us-east-1:829490980523:cluster/prom-ecs-exporter-fixtures
    });
  });

  it('joins concurrent sampleNow() calls into one request', async () => {
    const s = start();
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    await Promise.all([s.sampleNow(), s.sampleNow(), s.sampleNow()]);
    assert.equal(endpoint.count('/task/stats'), 1);
  });
});

describe('describeIds', () => {
  it('names up to three IDs, quoted, and counts the rest, so a hostile payload cannot make a megabyte log line', () => {
    assert.equal(describeIds(['a']), 'container(s) "a"');
    assert.equal(describeIds(['a', 'b', 'c']), 'container(s) "a", "b", "c"');
    const many = Array.from({ length: 45_000 }, (_, i) => `id-${i}`);
    assert.equal(describeIds(many), '45000 containers ("id-0", "id-1", "id-2", …)');
  });
});
