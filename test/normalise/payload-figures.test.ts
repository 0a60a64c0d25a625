import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFiguresOf } from '../../src/normalise/payload-figures';
import { FIXTURE_PAIRS, loadFixture, MIB } from '../../tools/testing/src';

describe('memoryFiguresOf: the figures of a saved /task + /task/stats pair', () => {
  it('Fargate 2025, cgroup v1: every running container, with the numbers of the payload', () => {
    const pair = FIXTURE_PAIRS.fargateV1;
    assert.deepEqual(memoryFiguresOf(loadFixture(pair.task), loadFixture(pair.stats)), [
      // nonessential: stats null (stopped) → not listed
      {
        containerName: 'prometheus',
        usageBytes: 127934464,
        maxUsageBytes: 128557056, // max(usage, max_usage 128557056)
        limitBytes: 512 * MIB, // no container Limits.Memory; task Limits.Memory 512
        workingSetBytes: 127934464 - 52383744, // usage − total_inactive_file
        utilizedBytes: 127934464 - 85426176, // usage − cache
      },
      {
        containerName: 'ecs-exporter',
        usageBytes: 84111360,
        maxUsageBytes: 84238336,
        limitBytes: 512 * MIB,
        workingSetBytes: 84111360 - 39100416,
        utilizedBytes: 84111360 - 42442752,
      },
    ]);
  });

  it('cgroup v2 has no max_usage: the peak one sample shows is its usage', () => {
    const pair = FIXTURE_PAIRS.managedInstancesV2;
    const stats = loadFixture(pair.stats);
    for (const figures of memoryFiguresOf(loadFixture(pair.task), stats) ?? assert.fail('figures')) {
      const entry = Object.values<any>(stats).find((e) => e?.name === figures.containerName);
      assert.equal(figures.maxUsageBytes, entry.memory_stats.usage, figures.containerName);
    }
  });

  it('is undefined for payloads the endpoint does not serve', () => {
    const pair = FIXTURE_PAIRS.fargateV1;
    assert.equal(memoryFiguresOf({ no: 'Containers' }, loadFixture(pair.stats)), undefined);
    assert.equal(memoryFiguresOf(loadFixture(pair.task), [1, 2]), undefined);
  });
});
