/**
 * The package's figures for one saved `/task` + `/task/stats` pair, without a server, a sampler or a
 * MeterProvider: the functions the sampler runs on every sample, composed. For tools that replay payloads
 * (the demo's Container Insights-style line) and for anyone who wants to see what the package would report
 * for a captured pair.
 */
import { peakUsageBytes } from './memory-figures';
import { parseTaskMetadata } from './task-metadata';
import { readTaskStats } from './task-stats';

/** One running container's figures in one pair of payloads, in bytes. */
export interface ContainerMemoryFigures {
  /** The ECS container name (`Name` in `/task`). */
  readonly containerName: string;
  readonly usageBytes: number;
  /** The peak one sample shows: max(usage, the kernel's max_usage); the sampler also keeps what it sampled before. */
  readonly maxUsageBytes: number;
  readonly limitBytes: number | undefined;
  readonly workingSetBytes: number | undefined;
  /** The figure Container Insights reports. */
  readonly utilizedBytes: number | undefined;
}

/**
 * The figures of every running container that `/task` names, in `/task/stats` order. Undefined when either
 * payload is not what the endpoint serves (no task object, no stats map).
 */
export function memoryFiguresOf(taskPayload: unknown, statsPayload: unknown): ContainerMemoryFigures[] | undefined {
  const task = parseTaskMetadata(taskPayload);
  const reading = task === undefined ? undefined : readTaskStats(statsPayload, task);
  return reading?.containers.map((c) => ({
    containerName: c.container.name,
    usageBytes: c.stats.usageBytes,
    maxUsageBytes: peakUsageBytes(c.stats, undefined),
    limitBytes: c.limitBytes,
    workingSetBytes: c.workingSetBytes,
    utilizedBytes: c.utilizedBytes,
  }));
}
