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
import type { ContainerMetadata, TaskMetadata } from '../../src/normalise/task-metadata';
import { FIXTURE_PAIRS, loadFixture, MIB } from '../helpers/fixtures';

const base: ContainerMemoryStats = {
  dockerId: 'x',
  read: undefined,
  refreshIntervalMillis: undefined,
  os: 'linux',
  cgroupVersion: 1,
  usageBytes: 1000,
  maxUsageBytes: undefined,
  privateWorkingSetBytes: undefined,
  cgroupLimitBytes: undefined,
  inactiveFileBytes: undefined,
  cacheBytes: undefined,
  inactiveFileEstimateInputs: undefined,
};
const container = (memoryLimitMib?: number): ContainerMetadata => ({ dockerId: 'x', name: 'app', memoryLimitMib });
const task = (taskMemoryLimitMib?: number): TaskMetadata => ({ family: 'f', clusterName: 'c', taskMemoryLimitMib, containers: new Map() });

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

  it('limit: container limit, else task limit, else a finite cgroup limit; sentinels never', () => {
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: 7 }, container(128), task(512)), 128 * MIB);
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: 7 }, container(), task(512)), 512 * MIB);
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: 268435456 }, container(), task()), 268435456);
    // 2^63 − 4096 and 2^64 − 1 as JSON.parse returns them
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: JSON.parse('9223372036854771712') }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: JSON.parse('18446744073709551615') }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes({ ...base, cgroupLimitBytes: 2 ** 62 }, container(), task()), undefined);
    assert.equal(resolveMemoryLimitBytes(base, undefined, undefined), undefined);
  });
});
