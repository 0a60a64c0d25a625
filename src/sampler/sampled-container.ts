import type { TaskMetadata } from '../normalise/task-metadata';
import type { ContainerReading } from '../normalise/task-stats';

/**
 * One container's figures from the newest sample, in bytes: computed once per new sample, so that the
 * observable callback only reads them. What they are called and in which unit they are reported is the
 * instruments' business (src/instrumentation/observations.ts).
 */
export interface SampledContainer {
  readonly dockerId: string;
  /** The ECS container name (`Name` in `/task`). */
  readonly containerName: string;
  /** `Family` of the task definition, when `/task` has one. */
  readonly taskDefinitionFamily: string | undefined;
  /** The short cluster name, when `/task` has one. */
  readonly clusterName: string | undefined;
  readonly usageBytes: number;
  /** The peak including this sample (never below `usageBytes`). */
  readonly maxUsageBytes: number;
  readonly limitBytes: number | undefined;
  readonly workingSetBytes: number | undefined;
  readonly utilizedBytes: number | undefined;
  /** The sampler's clock when this container's `read` timestamp last changed. */
  readonly freshAtMillis: number;
}

/** The figures of one reading; `peakBytes` is the peak including this reading. */
export function toSampledContainer(
  reading: ContainerReading,
  task: TaskMetadata,
  peakBytes: number,
  freshAtMillis: number,
): SampledContainer {
  return {
    dockerId: reading.container.dockerId,
    containerName: reading.container.name,
    taskDefinitionFamily: task.family,
    clusterName: task.clusterName,
    usageBytes: reading.stats.usageBytes,
    maxUsageBytes: peakBytes,
    limitBytes: reading.limitBytes,
    workingSetBytes: reading.workingSetBytes,
    utilizedBytes: reading.utilizedBytes,
    freshAtMillis,
  };
}
