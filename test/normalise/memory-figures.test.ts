import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerMemoryStats } from '../../src/normalise/container-stats';
import { parseContainerStats } from '../../src/normalise/container-stats';
import {
  containerInsightsUtilizedBytes,
  inactiveFileFigure,
  peakUsageBytes,
  resolveMemoryLimitBytes,
  workingSetBytes,
} from '../../src/normalise/memory-figures';
import { parseTaskMetadata, type ContainerMetadata, type TaskMetadata } from '../../src/normalise/task-metadata';
import { daemonTaskPairs, FIXTURE_PAIRS, loadFixture, MIB } from '../../tools/testing/src';

const base: ContainerMemoryStats = {
  dockerId: 'x',
  read: undefined,
  refreshIntervalMillis: undefined,
  os: 'linux',
  cgroupVersion: 1,
  usageBytes: 1000,
  maxUsageBytes: undefined,
  privateWorkingSetBytes: undefined,
  hierarchicalLimitBytes: undefined,
  statsLimitBytes: undefined,
  inactiveFileBytes: undefined,
  cacheBytes: undefined,
  inactiveFileEstimateInputs: undefined,
};
const container = (memoryLimitMib?: number): ContainerMetadata => ({ dockerId: 'x', name: 'app', memoryLimitMib });
const task = (taskMemoryLimitMib?: number): TaskMetadata => ({ family: 'f', clusterName: 'c', taskMemoryLimitMib, containers: new Map(), impossibleMemoryLimits: [], unnamedDockerIds: [], duplicateNames: [] });

describe('memory figures', () => {
  it('working set floors at 0 and is undefined without an inactive-file figure', () => {
    assert.equal(workingSetBytes({ ...base, inactiveFileBytes: 300 }), 700);
    assert.equal(workingSetBytes({ ...base, inactiveFileBytes: 5000 }), 0);
    assert.equal(workingSetBytes(base), undefined);
  });

  it('Container Insights figure: cache on v1, inactive_file on v2, undefined when the version is unknown', () => {
    assert.equal(containerInsightsUtilizedBytes({ ...base, cgroupVersion: 1, cacheBytes: 400, inactiveFileBytes: 100 }), 600);
    assert.equal(containerInsightsUtilizedBytes({ ...base, cgroupVersion: 2, inactiveFileBytes: 100 }), 900);
    assert.equal(containerInsightsUtilizedBytes({ ...base, cgroupVersion: undefined, inactiveFileBytes: 100 }), undefined);
    assert.equal(containerInsightsUtilizedBytes({ ...base, cgroupVersion: 1, cacheBytes: 4000 }), 0);
  });

  it('peak is the largest of max_usage, usage and the previous peak', () => {
    assert.equal(peakUsageBytes({ ...base, maxUsageBytes: 5000 }, undefined), 5000);
    assert.equal(peakUsageBytes(base, undefined), 1000); // cgroup v2: the first sample is its own peak
    assert.equal(peakUsageBytes(base, 3000), 3000);
    assert.equal(peakUsageBytes({ ...base, usageBytes: 4000 }, 3000), 4000);
  });

  it('Windows: working set and utilized are privateworkingset; the peak is never below usage', () => {
    const windows: ContainerMemoryStats = { ...base, os: 'windows', cgroupVersion: undefined, privateWorkingSetBytes: 600, inactiveFileBytes: 100, cacheBytes: 200 };
    assert.equal(workingSetBytes(windows), 600);
    assert.equal(containerInsightsUtilizedBytes(windows), 600);
    assert.equal(workingSetBytes({ ...windows, privateWorkingSetBytes: undefined }), undefined);
    // commitpeakbytes below commitbytes (counters read at different moments): the peak is usage.
    assert.equal(peakUsageBytes({ ...windows, maxUsageBytes: 900 }, undefined), 1000);
    assert.equal(peakUsageBytes({ ...windows, maxUsageBytes: 1500 }, undefined), 1500);
  });

  it('inactive file where v2 lacks it: max(0, file − active_file − shmem), shmem 0 when missing, floored at 0', () => {
    const v2: ContainerMemoryStats = { ...base, cgroupVersion: 2 };
    const inputs = (fileBytes: number, activeFileBytes: number, shmemBytes?: number) => ({ ...v2, inactiveFileEstimateInputs: { fileBytes, activeFileBytes, shmemBytes } });
    assert.deepEqual(inactiveFileFigure(inputs(500, 100, 50)), { bytes: 500 - 100 - 50, origin: 'estimated' });
    assert.deepEqual(inactiveFileFigure(inputs(500, 100)), { bytes: 500 - 100, origin: 'estimated-without-shmem' });
    assert.deepEqual(inactiveFileFigure(inputs(500, 450, 100)), { bytes: 0, origin: 'estimated' });
    assert.equal(workingSetBytes(inputs(500, 100, 50)), 1000 - 350);
    assert.equal(containerInsightsUtilizedBytes(inputs(500, 100, 50)), 1000 - 350);
    assert.deepEqual(inactiveFileFigure({ ...v2, inactiveFileBytes: 42 }), { bytes: 42, origin: 'payload' });
    assert.equal(inactiveFileFigure(v2), undefined);
  });

  it('the estimate gives back the real inactive_file on real cgroup v2 payloads whose key is removed', () => {
    // Managed Instances `main` has shmem ≠ 0: file 59150336 − active_file 6922240 − shmem 8388608 = 43839488,
    // its inactive_file to the byte. `ecs-exporter`: 18239488 − 200704 − 0 = 18038784, 8192 below its
    // inactive_file 18046976 (the counters were read at slightly different moments).
    const all = { ...loadFixture(FIXTURE_PAIRS.managedInstancesV2.stats), ...loadFixture(FIXTURE_PAIRS.ec2V2.stats) };
    const checked: string[] = [];
    for (const entry of Object.values<any>(all)) {
      if (entry === null || entry.memory_stats === undefined) continue;
      const details = entry.memory_stats.stats;
      const real = details.inactive_file;
      delete details.inactive_file;
      const figure = inactiveFileFigure(parseContainerStats(entry) as ContainerMemoryStats)!;
      assert.equal(figure.origin, 'estimated');
      assert.equal(figure.bytes, details.file - details.active_file - details.shmem);
      const expectedGap = entry.name === 'ecs-exporter' ? 18046976 - 18038784 : 0; // Managed Instances' only
      assert.equal(real - figure.bytes, expectedGap, entry.name);
      checked.push(entry.name);
    }
    assert.equal(checked.length, 4);
  });

  it('limit: container limit, else task limit, else hierarchical_memory_limit, else memory_stats.limit; sentinels never', () => {
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: 7 }, container(128), task(512)), 128 * MIB);
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: 7 }, container(), task(512)), 512 * MIB);
    assert.equal(resolveMemoryLimitBytes({ ...base, hierarchicalLimitBytes: 5, statsLimitBytes: 7 }, container(), task()), 5);
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: 268435456 }, container(), task()), 268435456);
    // 2^63 − 4096 and 2^64 − 1 as JSON.parse returns them
    const v1Sentinel = JSON.parse('9223372036854771712');
    assert.equal(resolveMemoryLimitBytes({ ...base, hierarchicalLimitBytes: v1Sentinel, statsLimitBytes: v1Sentinel }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: JSON.parse('18446744073709551615') }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: 2 ** 62 }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes({ ...base, statsLimitBytes: 0 }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes(base, undefined, undefined), undefined);
  });
});

// Issue 13, part 3: an EC2 container with neither a container nor a task hard limit, on each cgroup version.
describe('MemoryLimit without any hard limit: the host memory Docker reports, on cgroup v1 and v2 alike', () => {
  // The AWS docs EC2 example: its pause container has Limits.Memory 0 in /task (no hard limit), and its
  // stats say what Docker serves then on cgroup v1: hierarchical_memory_limit = 2^63 − 4096 (no limit),
  // memory_stats.limit = 4073377792 (moby caps the limit at the host's memory).
  const awsDocsTask = parseTaskMetadata(loadFixture('ec2-task-metadata-awsvpc-with-pause-awsdocs.json'))!;
  const awsDocsStats = loadFixture('ec2-task-stats-cgroupv1-with-pause-awsdocs.json');
  const pauseEntry = Object.values<any>(awsDocsStats).find((e) => e.name.includes('internalecspause'));
  const hostMemoryBytes: number = pauseEntry.memory_stats.limit;
  const noHardLimit = (name: string): ContainerMetadata => ({ dockerId: 'x', name, memoryLimitMib: undefined });

  it('cgroup v1: the hierarchical_memory_limit sentinel falls through to memory_stats.limit, the host memory', () => {
    assert.equal(hostMemoryBytes, 4073377792);
    assert.equal(awsDocsTask.taskMemoryLimitMib, undefined, 'the EC2 task has no task-level Limits');
    const stats = parseContainerStats(pauseEntry) as ContainerMemoryStats;
    assert.equal(stats.cgroupVersion, 1);
    assert.ok(stats.hierarchicalLimitBytes! >= 2 ** 62, 'hierarchical_memory_limit is the sentinel');
    assert.equal(resolveMemoryLimitBytes(stats, noHardLimit('pause'), awsDocsTask), hostMemoryBytes);
  });

  it('cgroup v2: memory_stats.limit, the host memory; the same figure as on v1', () => {
    // The EC2 AL2023 payload's prometheus container, with its 256 MiB hard limit taken away: Docker then
    // writes min(memory.max = "max", host memory) into memory_stats.limit, i.e. the host's memory (the same
    // host's figure as above). There is no hierarchical_memory_limit on v2.
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.ec2V2.task))!;
    const entry = Object.values<any>(loadFixture(FIXTURE_PAIRS.ec2V2.stats)).find((e) => e?.name?.includes('prometheus'));
    entry.memory_stats.limit = hostMemoryBytes;
    const stats = parseContainerStats(entry) as ContainerMemoryStats;
    assert.equal(stats.cgroupVersion, 2);
    assert.equal(task.taskMemoryLimitMib, undefined);
    assert.equal(resolveMemoryLimitBytes(stats, noHardLimit('prometheus'), task), hostMemoryBytes); // 3884.6 MiB
  });

  it('a "no limit" sentinel with no metadata limit is omitted on both: Fargate v1, containerd (Managed Instances) v2', () => {
    const fargate = Object.values<any>(loadFixture(FIXTURE_PAIRS.fargateV1.stats)).find((e) => e?.name === 'prometheus');
    fargate.memory_stats.stats.hierarchical_memory_limit = fargate.memory_stats.limit; // as if the task had no limit
    assert.equal(resolveMemoryLimitBytes(parseContainerStats(fargate) as ContainerMemoryStats, noHardLimit('prometheus'), undefined), undefined);
    const daemon = Object.values<any>(daemonTaskPairs()[0].stats)[0]; // limit 2^64 − 1, not capped by Docker
    assert.equal(resolveMemoryLimitBytes(parseContainerStats(daemon) as ContainerMemoryStats, noHardLimit('monitor-agent'), undefined), undefined);
  });
});

// Issue 13, part 5: where the page cache counter exceeds usage (the two are read at slightly different
// moments), the package reports 0; the ECS agent (getMemUsage: subtract only if `v < usage`), and so Container
// Insights, report the whole usage. cAdvisor also reports 0. Kept on purpose (README, "The numbers differ").
describe('cache or inactive_file above usage: 0, where the ECS agent reports usage', () => {
  const PAGE = 4096; // one page of skew between the two counters

  it('cgroup v1 (Fargate prometheus): cache > usage → MemoryUtilized 0; the working set still subtracts total_inactive_file only', () => {
    const entry = Object.values<any>(loadFixture(FIXTURE_PAIRS.fargateV1.stats)).find((e) => e?.name === 'prometheus');
    const cache: number = entry.memory_stats.stats.cache; // 85426176
    const totalInactiveFile: number = entry.memory_stats.stats.total_inactive_file; // 52383744
    entry.memory_stats.usage = cache - PAGE; // 85422080
    const stats = parseContainerStats(entry) as ContainerMemoryStats;
    assert.equal(containerInsightsUtilizedBytes(stats), 0); // max(0, 85422080 − 85426176); the agent: 85422080
    assert.equal(workingSetBytes(stats), cache - PAGE - totalInactiveFile); // 33038336
  });

  it('cgroup v2 (Managed Instances main): inactive_file > usage → MemoryWorkingSet and MemoryUtilized 0', () => {
    const entry = Object.values<any>(loadFixture(FIXTURE_PAIRS.managedInstancesV2.stats)).find((e) => e?.name === 'main');
    const inactiveFile: number = entry.memory_stats.stats.inactive_file; // 43839488
    entry.memory_stats.usage = inactiveFile - PAGE; // 43835392
    const stats = parseContainerStats(entry) as ContainerMemoryStats;
    assert.equal(workingSetBytes(stats), 0); // max(0, 43835392 − 43839488); the agent: 43835392
    assert.equal(containerInsightsUtilizedBytes(stats), 0);
    assert.notEqual(stats.usageBytes, 0, 'MemoryUsage itself is still reported');
  });
});
