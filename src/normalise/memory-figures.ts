/**
 * The formulas. Each figure the package reports is computed here, by exactly one function, and the
 * README's metric table cites these functions by name. All inputs and outputs are bytes.
 */
import type { ContainerMemoryStats } from './container-stats';
import type { ContainerMetadata, TaskMetadata } from './task-metadata';
import { isRealLimitBytes, mibToBytes } from './units';

/** Where an inactive file figure came from: the payload's own key, or an estimate (with or without `shmem`). */
export type InactiveFileOrigin = 'payload' | 'estimated' | 'estimated-without-shmem';

/** Inactive file cache in bytes, and where the figure came from. */
export interface InactiveFileFigure {
  readonly bytes: number;
  readonly origin: InactiveFileOrigin;
}

/**
 * Inactive file cache: `total_inactive_file` (v1, else `inactive_file`) or `inactive_file` (v2) as served.
 * A v2 payload without `inactive_file` gets max(0, file − active_file − shmem): `file` counts inactive file
 * pages, and tmpfs and shared memory pages too, which sit on the anon LRU and cannot be dropped like cache.
 * Real v2 payloads bear it out (file = active_file + inactive_file + shmem to the byte
 * in three of four containers, 8 KiB apart in the fourth). Without `shmem` it counts as 0: then the figure
 * can only be too high, and the working set too low, by the container's shared memory (issue 13).
 * Docker CLI, cAdvisor and the ECS agent fall back to raw usage instead: page cache counted as working set.
 */
export function inactiveFileFigure(stats: ContainerMemoryStats): InactiveFileFigure | undefined {
  if (stats.inactiveFileBytes !== undefined) return { bytes: stats.inactiveFileBytes, origin: 'payload' };
  const inputs = stats.inactiveFileEstimateInputs;
  if (inputs === undefined) return undefined;
  return {
    bytes: Math.max(0, inputs.fileBytes - inputs.activeFileBytes - (inputs.shmemBytes ?? 0)),
    origin: inputs.shmemBytes === undefined ? 'estimated-without-shmem' : 'estimated',
  };
}

/**
 * Working set: usage minus inactive file cache, floored at 0. The memory the kernel cannot simply drop, the
 * figure the out-of-memory killer acts on, as Docker CLI (`calculateMemUsageUnixNoCache`) and cAdvisor
 * compute it: `total_inactive_file` on cgroup v1, `inactive_file` on v2 ({@link inactiveFileFigure}, which
 * estimates it where a v2 payload lacks it). Undefined when there is no inactive-file figure (never usage in
 * disguise). On Windows, `privateworkingset`, the figure Docker CLI shows there.
 */
export function workingSetBytes(stats: ContainerMemoryStats): number | undefined {
  if (stats.os === 'windows') return stats.privateWorkingSetBytes;
  const inactiveFile = inactiveFileFigure(stats);
  if (inactiveFile === undefined) return undefined;
  return Math.max(0, stats.usageBytes - inactiveFile.bytes);
}

/**
 * The figure Container Insights and the ECS agent report as memory utilized (agent `getMemUsage`, moby
 * PR #51786): usage minus `cache` on cgroup v1 (all page cache, active included), usage minus
 * `inactive_file` on v2 (estimated where missing, as for the working set, so that the two stay equal on v2).
 * Floored at 0. Undefined when the cgroup version or the needed key is unknown.
 * On Windows, `privateworkingset` (agent `utils_windows.go`: `memoryUsage := PrivateWorkingSet`).
 */
export function containerInsightsUtilizedBytes(stats: ContainerMemoryStats): number | undefined {
  if (stats.os === 'windows') return stats.privateWorkingSetBytes;
  const subtrahend =
    stats.cgroupVersion === 1 ? stats.cacheBytes : stats.cgroupVersion === 2 ? inactiveFileFigure(stats)?.bytes : undefined;
  if (subtrahend === undefined) return undefined;
  return Math.max(0, stats.usageBytes - subtrahend);
}

/**
 * Peak usage: the largest of the kernel's `max_usage` (cgroup v1: peak since the container started; on
 * Windows `commitpeakbytes`, else `max_usage`), the current usage, and the highest usage this package sampled
 * before (cgroup v2 has no `max_usage`, so there the peak is what was sampled). Never below the current
 * usage, never 0 for "unknown".
 */
export function peakUsageBytes(stats: ContainerMemoryStats, previousPeakBytes: number | undefined): number {
  return Math.max(stats.usageBytes, stats.maxUsageBytes ?? 0, previousPeakBytes ?? 0);
}

/**
 * The limit that binds the container: the first real one ({@link isRealLimitBytes}) of
 * 1. the container's own hard limit (`Limits.Memory` in `/task`, MiB),
 * 2. the task's `Limits.Memory`,
 * 3. cgroup v1 `hierarchical_memory_limit`,
 * 4. `memory_stats.limit`.
 * Metadata comes first because `memory_stats.limit` is a sentinel on Fargate and host memory on EC2 when only
 * the task has a limit. A limit no machine can have (non-finite, ≥ 2^62 bytes) is skipped, whichever source
 * it is in: the "no limit" sentinels (2^63 − 4096, 2^64 − 1) and impossible metadata values alike.
 * With no hard limit anywhere, Docker's `memory_stats.limit` is the host memory on both cgroup versions
 * (moby caps it at the machine's memory), so both report what the container can actually use; on v1 the
 * `hierarchical_memory_limit` sentinel no longer hides it (issue 13). Undefined when nothing is real
 * (Fargate or containerd sentinels with no metadata limit, Windows without one).
 */
export function resolveMemoryLimitBytes(
  stats: ContainerMemoryStats,
  container: ContainerMetadata | undefined,
  task: TaskMetadata | undefined,
): number | undefined {
  const candidates = [
    mibToBytesOrUndefined(container?.memoryLimitMib),
    mibToBytesOrUndefined(task?.taskMemoryLimitMib),
    stats.hierarchicalLimitBytes,
    stats.statsLimitBytes,
  ];
  return candidates.find(isRealLimitBytes);
}

function mibToBytesOrUndefined(mib: number | undefined): number | undefined {
  return mib === undefined ? undefined : mibToBytes(mib);
}
