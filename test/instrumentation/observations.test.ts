import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
} from '../../src/contract';
import { observationOf } from '../../src/instrumentation/observations';
import type { SampledContainer } from '../../src/sampler/sampled-container';

const MIB = 2 ** 20;

function sampled(overrides: Partial<SampledContainer> = {}): SampledContainer {
  return {
    dockerId: 'abc',
    containerName: 'app',
    taskDefinitionFamily: 'shop',
    clusterName: 'prod',
    usageBytes: 3 * MIB + MIB / 2, // 3.5 MiB
    maxUsageBytes: 5 * MIB,
    limitBytes: 512 * MIB,
    workingSetBytes: MIB / 4, // 0.25 MiB
    utilizedBytes: 0,
    freshAtMillis: 0,
    ...overrides,
  };
}

describe('observationOf: what the gauges observe for a sampled container', () => {
  it('converts every figure from bytes to MiB (bytes / 2^20, unrounded)', () => {
    assert.deepEqual(observationOf(sampled()).mib, {
      [METRIC_MEMORY_USAGE]: 3.5,
      [METRIC_MAX_MEMORY_USAGE]: 5,
      [METRIC_MEMORY_LIMIT]: 512,
      [METRIC_MEMORY_WORKING_SET]: 0.25,
      [METRIC_MEMORY_UTILIZED]: 0, // a known 0 stays 0
    });
  });

  it('leaves an unknown figure undefined (the gauge observes nothing), never 0', () => {
    const { mib } = observationOf(sampled({ limitBytes: undefined, workingSetBytes: undefined, utilizedBytes: undefined }));
    assert.equal(mib[METRIC_MEMORY_LIMIT], undefined);
    assert.equal(mib[METRIC_MEMORY_WORKING_SET], undefined);
    assert.equal(mib[METRIC_MEMORY_UTILIZED], undefined);
  });

  it('puts the container name, the task family and the cluster on every point', () => {
    assert.deepEqual(observationOf(sampled()).attributes, {
      [ATTR_CONTAINER_NAME]: 'app',
      [ATTR_TASK_DEFINITION_FAMILY]: 'shop',
      [ATTR_CLUSTER_NAME]: 'prod',
    });
  });

  it('leaves out the family and the cluster when /task has none: the container name only', () => {
    const { attributes } = observationOf(sampled({ taskDefinitionFamily: undefined, clusterName: undefined }));
    assert.deepEqual(attributes, { [ATTR_CONTAINER_NAME]: 'app' });
  });

  it('builds the observation of a sample once: later collections read the same object', () => {
    const container = sampled();
    assert.equal(observationOf(container), observationOf(container));
    assert.notEqual(observationOf(sampled()), observationOf(container), 'a new sample gets a new observation');
  });
});
