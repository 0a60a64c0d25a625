import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContainerStats, type ContainerMemoryStats } from '../../src/normalise/container-stats';
import { daemonTaskPairs, EC2_WINDOWS_DOCKER_ID, ec2WindowsTaskStats, fargateWindowsDockerId, FIXTURE_PAIRS, loadFixture, WINDOWS_FIXTURES } from '../../tools/testing/src';

function parsed(entry: unknown): ContainerMemoryStats {
  const result = parseContainerStats(entry);
  assert.equal(typeof result, 'object', `expected a sample, got ${JSON.stringify(result)}`);
  return result as ContainerMemoryStats;
}

describe('parseContainerStats', () => {
  it('reads a Fargate cgroup v1 entry: usage, max_usage, cache, total_inactive_file, hierarchical limit', () => {
    const stats = loadFixture(FIXTURE_PAIRS.fargateV1.stats);
    const id = Object.keys(stats).find((k) => stats[k]?.name === 'prometheus')!;
    const s = parsed(stats[id]);
    assert.equal(s.cgroupVersion, 1);
    assert.equal(s.usageBytes, 127934464);
    assert.equal(s.maxUsageBytes, 128557056);
    assert.equal(s.cacheBytes, 85426176);
    assert.equal(s.inactiveFileBytes, 52383744); // total_inactive_file
    assert.equal(s.hierarchicalLimitBytes, 536870912); // the task's 512 MiB, as the cgroup hierarchy enforces it
    assert.equal(s.statsLimitBytes, JSON.parse('9223372036854771712')); // 2^63 − 4096: Fargate's "no limit"
    // read 05:22:49.186680233 − preread 05:22:39.185738849 = 10.000941384 s; Date.parse keeps ms.
    assert.equal(s.refreshIntervalMillis, 49186 - 39185);
    assert.equal(s.read, '2025-02-27T05:22:49.186680233Z');
  });

  it('reads an EC2 cgroup v2 entry: no max_usage, inactive_file, no cache', () => {
    const stats = loadFixture(FIXTURE_PAIRS.ec2V2.stats);
    const s = parsed(stats['01cf1f3208005cda71d5ac936ded65d2ecc0a8cc8ff8a82d2e00410bf4fbbd6d']);
    assert.equal(s.cgroupVersion, 2);
    assert.equal(s.usageBytes, 65249280);
    assert.equal(s.maxUsageBytes, undefined);
    assert.equal(s.cacheBytes, undefined);
    assert.equal(s.inactiveFileBytes, 17641472);
    assert.equal(s.hierarchicalLimitBytes, undefined);
    assert.equal(s.statsLimitBytes, 268435456);
  });

  it('reads an EC2 Windows (Docker) entry: commitbytes is usage, commitpeakbytes the peak, privateworkingset kept', () => {
    const s = parsed(ec2WindowsTaskStats()[EC2_WINDOWS_DOCKER_ID]);
    const memory = loadFixture(WINDOWS_FIXTURES.ec2).memory_stats;
    assert.equal(s.os, 'windows');
    assert.equal(s.cgroupVersion, undefined);
    assert.equal(s.usageBytes, memory.commitbytes); // 114061312
    assert.equal(s.maxUsageBytes, memory.commitpeakbytes); // 139227136
    assert.equal(s.privateWorkingSetBytes, memory.privateworkingset); // 85532672
    assert.equal(s.statsLimitBytes, undefined); // Docker on Windows serves no `limit`
    assert.equal(s.hierarchicalLimitBytes, undefined);
    assert.equal(s.inactiveFileBytes, undefined);
    assert.equal(s.cacheBytes, undefined);
  });

  it('reads a Fargate Windows entry, which has usage/max_usage and no commit bytes, as Windows (not cgroup v1)', () => {
    const id = fargateWindowsDockerId();
    const entry = loadFixture(WINDOWS_FIXTURES.fargate)[id];
    const s = parsed(entry);
    assert.equal(s.os, 'windows');
    // `max_usage` alone would read as cgroup v1, whose working set needs `stats`: Windows is told apart first.
    assert.equal(s.cgroupVersion, undefined);
    assert.equal(s.usageBytes, entry.memory_stats.usage); // 210485248
    assert.equal(s.maxUsageBytes, entry.memory_stats.max_usage); // 211410944
    assert.equal(s.privateWorkingSetBytes, entry.memory_stats.privateworkingset); // 140673024
    assert.equal(s.statsLimitBytes, undefined);
    // read 10:25:20.5933849 − preread 10:25:10.6403318 = 9.9530531 s; Date.parse keeps ms.
    assert.equal(s.refreshIntervalMillis, 20593 - 10640);
  });

  it('a Windows entry with a working set but no valid commit or usage figure is an invalid usage, not a stopped container', () => {
    assert.equal(parseContainerStats({ id: 'x', memory_stats: { privateworkingset: 1 } }), 'invalid-usage');
    assert.equal(parseContainerStats({ id: 'x', memory_stats: { privateworkingset: 1, commitbytes: '5' } }), 'invalid-usage');
  });

  it('a cgroup v2 entry without inactive_file (the daemon fixture) keeps file and active_file to estimate it from', () => {
    const stats = daemonTaskPairs()[0].stats;
    const id = Object.keys(stats)[0];
    const s = parsed(stats[id]);
    assert.equal(s.cgroupVersion, 2);
    assert.equal(s.inactiveFileBytes, undefined);
    assert.deepEqual(s.inactiveFileEstimateInputs, {
      fileBytes: stats[id].memory_stats.stats.file, // 43503616
      activeFileBytes: stats[id].memory_stats.stats.active_file, // 479232
      shmemBytes: undefined, // the fixture has no shmem either
    });
  });

  it('no estimate where inactive_file is present (valid or not), on cgroup v1, or without file/active_file', () => {
    const ec2 = loadFixture(FIXTURE_PAIRS.ec2V2.stats)['01cf1f3208005cda71d5ac936ded65d2ecc0a8cc8ff8a82d2e00410bf4fbbd6d'];
    assert.equal(parsed(ec2).inactiveFileEstimateInputs, undefined);
    ec2.memory_stats.stats.inactive_file = 'bad';
    assert.equal(parsed(ec2).inactiveFileEstimateInputs, undefined, 'a bad field is not a missing one');
    assert.equal(parsed({ id: 'x', memory_stats: { usage: 9, stats: { anon: 1, file: 5 } } }).inactiveFileEstimateInputs, undefined);
    assert.equal(parsed({ id: 'x', memory_stats: { usage: 9, max_usage: 9, stats: { file: 5, active_file: 1 } } }).inactiveFileEstimateInputs, undefined);
  });

  it('treats null, {} and entries without memory_stats as not running', () => {
    assert.equal(parseContainerStats(null), 'not-running');
    assert.equal(parseContainerStats({}), 'not-running');
    assert.equal(parseContainerStats({ id: 'x' }), 'not-running');
    assert.equal(parseContainerStats({ id: 'x', memory_stats: {} }), 'not-running');
    assert.equal(parseContainerStats('text'), 'not-running');
  });

  it('rejects a usage that is a string, negative, NaN-like or beyond 2^53', () => {
    for (const usage of ['1048576', -1, null, 2 ** 60, true]) {
      assert.equal(parseContainerStats({ id: 'x', memory_stats: { usage } }), 'invalid-usage', `usage ${String(usage)}`);
    }
  });

  it('ignores optional fields of the wrong type instead of turning them into 0', () => {
    const s = parsed({ id: 'x', read: 5, memory_stats: { usage: 100, max_usage: 'big', stats: { anon: 1, inactive_file: -3 } } });
    assert.equal(s.maxUsageBytes, undefined);
    assert.equal(s.inactiveFileBytes, undefined);
    assert.equal(s.read, undefined);
    assert.equal(s.cgroupVersion, 2);
  });

  it('ignores a preread of the zero time (Docker first sample)', () => {
    const s = parsed({ id: 'x', read: '2026-01-01T00:00:10Z', preread: '0001-01-01T00:00:00Z', memory_stats: { usage: 1 } });
    assert.equal(s.refreshIntervalMillis, undefined);
    assert.equal(s.cgroupVersion, undefined);
  });
});
