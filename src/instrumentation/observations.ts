import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  type MemoryMetricName,
} from '../contract';
import { bytesToMib } from '../normalise/units';
import type { SampledContainer } from '../sampler/sampled-container';

/** What the gauges observe for one container: its attributes and each metric's value in MiB (unit `MiBy`). */
export interface ContainerObservation {
  readonly attributes: Attributes;
  /** Unrounded bytes / 2^20; undefined where the figure is unknown (the gauge then observes nothing). */
  readonly mib: Readonly<Record<MemoryMetricName, number | undefined>>;
}

// A sampled container is a new object per new sample, so its observation is built once and then only read:
// the observable callback allocates nothing for a container whose sample has not changed.
const observations = new WeakMap<SampledContainer, ContainerObservation>();

/** The observation of a sampled container (built on first use, then cached for as long as the sample lives). */
export function observationOf(container: SampledContainer): ContainerObservation {
  let observation = observations.get(container);
  if (observation === undefined) {
    observation = buildObservation(container);
    observations.set(container, observation);
  }
  return observation;
}

function buildObservation(container: SampledContainer): ContainerObservation {
  const attributes: Attributes = { [ATTR_CONTAINER_NAME]: container.containerName };
  if (container.taskDefinitionFamily !== undefined) attributes[ATTR_TASK_DEFINITION_FAMILY] = container.taskDefinitionFamily;
  if (container.clusterName !== undefined) attributes[ATTR_CLUSTER_NAME] = container.clusterName;
  return {
    attributes,
    mib: {
      [METRIC_MEMORY_USAGE]: bytesToMib(container.usageBytes),
      [METRIC_MAX_MEMORY_USAGE]: bytesToMib(container.maxUsageBytes),
      [METRIC_MEMORY_LIMIT]: mibOrUndefined(container.limitBytes),
      [METRIC_MEMORY_WORKING_SET]: mibOrUndefined(container.workingSetBytes),
      [METRIC_MEMORY_UTILIZED]: mibOrUndefined(container.utilizedBytes),
    },
  };
}

function mibOrUndefined(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytesToMib(bytes);
}
