import type { Attributes } from '@opentelemetry/api';
import { ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY } from '../contract';
import type { TaskMetadata } from '../normalise/task-metadata';
import type { ContainerReading } from '../normalise/task-stats';
import { bytesToMib } from '../normalise/units';

/**
 * One container's figures, ready to observe: computed once per new sample, so the observable callback does
 * nothing but read these fields. MiB (bytes / 2^20), unrounded.
 */
export interface ReportedContainer {
  readonly dockerId: string;
  readonly attributes: Attributes;
  readonly usageMib: number;
  readonly maxUsageMib: number;
  readonly limitMib: number | undefined;
  readonly workingSetMib: number | undefined;
  readonly utilizedMib: number | undefined;
  /** The sampler's clock when this container's `read` timestamp last changed. */
  readonly freshAtMillis: number;
}

/** Builds the figures to report for one reading; `peakBytes` is the peak including this reading. */
export function toReportedContainer(
  reading: ContainerReading,
  task: TaskMetadata,
  peakBytes: number,
  freshAtMillis: number,
): ReportedContainer {
  const attributes: Attributes = { [ATTR_CONTAINER_NAME]: reading.container.name };
  if (task.family !== undefined) attributes[ATTR_TASK_DEFINITION_FAMILY] = task.family;
  if (task.clusterName !== undefined) attributes[ATTR_CLUSTER_NAME] = task.clusterName;
  return {
    dockerId: reading.container.dockerId,
    attributes,
    usageMib: bytesToMib(reading.stats.usageBytes),
    maxUsageMib: bytesToMib(peakBytes),
    limitMib: mibOrUndefined(reading.limitBytes),
    workingSetMib: mibOrUndefined(reading.workingSetBytes),
    utilizedMib: mibOrUndefined(reading.utilizedBytes),
    freshAtMillis,
  };
}

function mibOrUndefined(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytesToMib(bytes);
}
