import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerMemoryStats } from '../../src/normalise/container-stats';
import {
  containerInsightsUtilizedBytes,
  peakUsageBytes,
  resolveMemoryLimitBytes,
  workingSetBytes,
} from '../../src/normalise/memory-figures';
import type { ContainerMetadata, TaskMetadata } from '../../src/normalise/task-metadata';
import { MIB } from '../helpers/fixtures';

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
