// The package beside ADOT's awsecscontainermetrics receiver (real collector, collection_interval 1s) on the
// same metadata endpoint. Pins the receiver's known differences, derived by hand from the fixture fields, so
// that a contrib release that fixes or changes them is noticed (and docs/compare-awsecscontainermetrics.md,
// `npm run compare:receiver`, regenerated).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type FakeMetadataEndpoint, FIXTURE_PAIRS, MIB } from '../../tools/testing/src';
import { compareOn, type TaskComparison } from './receiver-comparison';
import { fixtureEndpoint } from './rig';

const MIB_N = BigInt(MIB);
/** 2^63 − 4096: Fargate cgroup v1's memory_stats.limit for a container without a limit of its own. */
const FARGATE_NO_LIMIT = 2n ** 63n - 4096n;

/** A uint64 sum sent as an int64 (the receiver's task aggregation, translator.go int64(...)). */
function asInt64(uint64Sum: bigint): bigint {
  return BigInt.asIntN(64, BigInt.asUintN(64, uint64Sum));
}

async function comparisonOf(pair: { task: string; stats: string }): Promise<TaskComparison> {
  let endpoint: FakeMetadataEndpoint | undefined;
  try {
    endpoint = await fixtureEndpoint(pair);
    return await compareOn(endpoint.uri);
  } finally {
    await endpoint?.close();
  }
}

describe('awsecscontainermetrics receiver beside the package: cgroup v1 (Fargate fixture)', () => {
  let c: TaskComparison;
  before(async () => {
    c = await comparisonOf(FIXTURE_PAIRS.fargateV1);
  });
  const row = (name: string): TaskComparison['containers'][number] => c.containers.find((r) => r.container === name)!;

  it('reports the same two running containers', () => {
    assert.deepEqual(c.containers.map((r) => r.container), ['ecs-exporter', 'prometheus']);
  });

  it('usage and peak agree to the byte (usage 127934464 / 84111360, max_usage 128557056 / 84238336)', () => {
    for (const [name, usage, max] of [['prometheus', 127934464n, 128557056n], ['ecs-exporter', 84111360n, 84238336n]] as const) {
      assert.equal(row(name).receiver.usageBytes, usage);
      assert.equal(row(name).receiver.maxBytes, max);
      assert.equal(row(name).package.usage, Number(usage) / MIB);
      assert.equal(row(name).package.peak, Number(max) / MIB);
    }
  });

  it('limit: the receiver sends the raw "no limit" sentinel 2^63 − 4096; the package the task\'s 512 MiB', () => {
    for (const name of ['prometheus', 'ecs-exporter']) {
      assert.equal(row(name).receiver.limitBytes, FARGATE_NO_LIMIT);
      assert.equal(row(name).package.limit, 512);
    }
  });

  it('utilized: usage − cache in whole MiB, rounded down; the package keeps the fraction', () => {
    // prometheus (127934464 − 85426176) / 2^20 = 40.5390625; ecs-exporter (84111360 − 42442752) / 2^20 = 39.73828125
    assert.equal(row('prometheus').receiver.utilizedMib, (127934464n - 85426176n) / MIB_N); // 40
    assert.equal(row('ecs-exporter').receiver.utilizedMib, (84111360n - 42442752n) / MIB_N); // 39
    assert.equal(row('prometheus').package.utilized, (127934464 - 85426176) / MIB);
  });

  it('task totals: the limit sum wraps to −8192; usage and max are plain sums; utilized sums the floors', () => {
    assert.equal(c.task.limitBytes, asInt64(2n * FARGATE_NO_LIMIT)); // 2^64 − 8192 → −8192
    assert.equal(c.task.limitBytes, -8192n);
    assert.equal(c.task.usageBytes, 127934464n + 84111360n);
    assert.equal(c.task.maxBytes, 128557056n + 84238336n);
    assert.equal(c.task.utilizedMib, 40n + 39n);
    assert.equal(c.task.reservedMib, 512n); // the task's Limits.Memory
  });
});

describe('awsecscontainermetrics receiver beside the package: cgroup v2 (Managed Instances fixture)', () => {
  let c: TaskComparison;
  before(async () => {
    c = await comparisonOf(FIXTURE_PAIRS.managedInstancesV2);
  });
  const row = (name: string): TaskComparison['containers'][number] => c.containers.find((r) => r.container === name)!;

  it('utilized is the usage itself: no "cache" key on v2, nothing subtracted (the package subtracts inactive_file)', () => {
    // ecs-exporter usage 38309888 (36.53515625 MiB), inactive_file 18046976; main usage 99540992 (94.9296875), inactive_file 43839488
    assert.equal(row('ecs-exporter').receiver.utilizedMib, 38309888n / MIB_N); // 36
    assert.equal(row('main').receiver.utilizedMib, 99540992n / MIB_N); // 94
    assert.equal(row('ecs-exporter').package.utilized, (38309888 - 18046976) / MIB); // 19.32421875
    assert.equal(row('main').package.utilized, (99540992 - 43839488) / MIB); // 53.12109375
  });

  it('peak is 0 (v2 has no max_usage); the package reports the highest usage sampled', () => {
    assert.equal(row('ecs-exporter').receiver.maxBytes, 0n);
    assert.equal(row('main').receiver.maxBytes, 0n);
    assert.equal(c.task.maxBytes, 0n);
    assert.equal(row('main').package.peak, 99540992 / MIB);
  });

  it('limit: the container limits agree (128 and 96 MiB, raw 134217728 and 100663296)', () => {
    assert.equal(row('ecs-exporter').receiver.limitBytes, 128n * MIB_N);
    assert.equal(row('main').receiver.limitBytes, 96n * MIB_N);
    assert.equal(row('ecs-exporter').package.limit, 128);
    assert.equal(row('main').package.limit, 96);
    assert.equal(c.task.limitBytes, (128n + 96n) * MIB_N);
  });
});
