import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  MEMORY_METRICS,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
} from '../src/contract';
import { readRepoFile } from '../tools/testing/src';

describe('the contract module', () => {
  it('keeps the CloudWatch names of the script it replaces (origin.md): MemoryUsage, MaxMemoryUsage, MemoryLimit, ContainerName', () => {
    // The literals are the contract itself here: a rename would break every dashboard and alarm built on them.
    assert.deepEqual([METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT], ['MemoryUsage', 'MaxMemoryUsage', 'MemoryLimit']);
    assert.equal(ATTR_CONTAINER_NAME, 'ContainerName');
  });

  it('lists every gauge once, in order, each with a description', () => {
    const names = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET, METRIC_MEMORY_UTILIZED];
    assert.deepEqual(MEMORY_METRICS.map((m) => m.name), names);
    for (const { name, description } of MEMORY_METRICS) assert.ok(description.length > 20, name);
    assert.ok(Object.isFrozen(MEMORY_METRICS));
  });

  it('uses no name that EMF reserves for its own fields (Namespace, Version, _aws)', () => {
    const names = [...MEMORY_METRICS.map((m) => m.name), ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY, ATTR_CLUSTER_NAME];
    for (const reserved of ['Namespace', 'Version', '_aws']) assert.equal(names.includes(reserved as never), false, reserved);
  });

  it('is the order of the README metric table', () => {
    const readme = readRepoFile('README.md');
    const table = [...readme.matchAll(/^\| `(Memory\w+|MaxMemory\w+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(table, MEMORY_METRICS.map((m) => m.name));
  });
});
