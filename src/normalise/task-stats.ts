import { parseContainerStats, type ContainerMemoryStats } from './container-stats';
import {
  containerInsightsUtilizedBytes,
  inactiveFileFigure,
  resolveMemoryLimitBytes,
  workingSetBytes,
  type InactiveFileOrigin,
} from './memory-figures';
import type { ContainerMetadata, TaskMetadata } from './task-metadata';
import { asObject } from './untrusted';

/** One running container of one `/task/stats` payload, joined to its `/task` entry. Bytes. */
export interface ContainerReading {
  readonly container: ContainerMetadata;
  readonly stats: ContainerMemoryStats;
  readonly limitBytes: number | undefined;
  readonly workingSetBytes: number | undefined;
  readonly utilizedBytes: number | undefined;
  /** Set when working set and utilized rest on an estimated inactive file figure: the sampler says so once. */
  readonly inactiveFileEstimate: Exclude<InactiveFileOrigin, 'payload'> | undefined;
}

/** What one `/task/stats` payload says, given the task's metadata. */
export interface TaskStatsReading {
  /** Running containers known to `/task`, in payload order. */
  readonly containers: readonly ContainerReading[];
  /** Docker IDs with stats but no `/task` entry: `/task` may be out of date (a container was added). */
  readonly unknownDockerIds: readonly string[];
  /** Docker IDs whose `usage` was not a valid byte count: their sample is dropped. */
  readonly invalidDockerIds: readonly string[];
}

/**
 * Joins a `/task/stats` payload (an object `DockerId → stats | {} | null`) to the task metadata on
 * `DockerId`: the stats `name` is the Docker name on EC2 (`/ecs-<family>-<rev>-<name>-<hash>`), so it is
 * never used. Returns undefined when the payload is not an object. Every container of the task is read;
 * one bad entry costs that entry only.
 */
export function readTaskStats(payload: unknown, task: TaskMetadata): TaskStatsReading | undefined {
  const entries = asObject(payload);
  if (entries === undefined) return undefined;
  const containers: ContainerReading[] = [];
  const unknownDockerIds: string[] = [];
  const invalidDockerIds: string[] = [];
  for (const dockerId of Object.keys(entries)) {
    const stats = parseContainerStats(entries[dockerId]);
    if (stats === 'not-running') continue;
    if (stats === 'invalid-usage') {
      invalidDockerIds.push(dockerId);
      continue;
    }
    const container = task.containers.get(dockerId);
    if (container === undefined) {
      // Internal containers (the EC2 pause container) are absent from TaskMetadata on purpose; they are
      // reported as unknown too, and the sampler asks `/task` about each unknown ID once only.
      unknownDockerIds.push(dockerId);
      continue;
    }
    containers.push({
      container,
      stats,
      limitBytes: resolveMemoryLimitBytes(stats, container, task),
      workingSetBytes: workingSetBytes(stats),
      utilizedBytes: containerInsightsUtilizedBytes(stats),
      inactiveFileEstimate: estimateOrigin(stats),
    });
  }
  return { containers, unknownDockerIds, invalidDockerIds };
}

function estimateOrigin(stats: ContainerMemoryStats): Exclude<InactiveFileOrigin, 'payload'> | undefined {
  const origin = inactiveFileFigure(stats)?.origin;
  return origin === 'payload' ? undefined : origin;
}
