import type { CgroupVersion } from '../contract';
import { asObject, readByteCount, readLimitBytes, readString, type JsonObject } from './untrusted';

/** Which kernel's memory accounting a stats sample carries, read from its keys. */
type MemoryStatsOs = 'linux' | 'windows';

/** The memory fields of one container's Docker stats, checked and typed. All values in bytes. */
export interface ContainerMemoryStats {
  /** `id` of the stats entry (the Docker ID). */
  readonly dockerId: string;
  /** `read`: the time the endpoint took this sample; identifies the sample (the endpoint caches). */
  readonly read: string | undefined;
  /** `read − preread` in milliseconds when both parse: the endpoint's refresh cadence (~10 s on Fargate). */
  readonly refreshIntervalMillis: number | undefined;
  /** 'windows' when `memory_stats` has `privateworkingset` (Windows on EC2 and on Fargate), else 'linux'. */
  readonly os: MemoryStatsOs;
  /** 1 or 2 on Linux; undefined on Windows or when the payload carries none of the distinguishing keys. */
  readonly cgroupVersion: CgroupVersion | undefined;
  /**
   * Linux: `memory_stats.usage`, all memory charged to the cgroup, page cache included. Windows: the commit
   * charge, `commitbytes` (Docker, EC2), else `usage` (Fargate Windows serves no commit bytes).
   */
  readonly usageBytes: number;
  /**
   * The kernel's peak since the container started: `memory_stats.max_usage` (cgroup v1 only); on Windows
   * `commitpeakbytes`, else `max_usage`.
   */
  readonly maxUsageBytes: number | undefined;
  /** Windows `privateworkingset`: the container's private pages resident in RAM. Undefined on Linux. */
  readonly privateWorkingSetBytes: number | undefined;
  /** cgroup v1 `hierarchical_memory_limit`: the limit the cgroup hierarchy enforces, sentinels included. */
  readonly hierarchicalLimitBytes: number | undefined;
  /**
   * `memory_stats.limit`, sentinels included. Docker writes min(cgroup limit, host memory) on both cgroup
   * versions, so host memory when nothing limits the container; Fargate and containerd write the sentinel.
   */
  readonly statsLimitBytes: number | undefined;
  /** Inactive file cache: `total_inactive_file` (v1, `inactive_file` if absent) or `inactive_file` (v2). */
  readonly inactiveFileBytes: number | undefined;
  /** v1 `cache` (all page cache), the figure Container Insights subtracts on cgroup v1. */
  readonly cacheBytes: number | undefined;
  /**
   * Set only on a cgroup v2 payload that has no `inactive_file` key but valid `file` and `active_file`
   * (trimmed payloads, issue 13). A key that is present but invalid is a bad field, not a missing one: no
   * estimate then.
   */
  readonly inactiveFileEstimateInputs: InactiveFileEstimateInputs | undefined;
}

/** The cgroup v2 counters inactive file cache is estimated from when a payload has no `inactive_file` key. */
interface InactiveFileEstimateInputs {
  /** `file`: page cache, tmpfs and shared memory included. */
  readonly fileBytes: number;
  /** `active_file`. */
  readonly activeFileBytes: number;
  /** `shmem` (tmpfs and shared memory), undefined when the payload has no `shmem` either. */
  readonly shmemBytes: number | undefined;
}

/** Why a stats entry yields no sample. */
export type StatsSkipReason = 'not-running' | 'invalid-usage';

/**
 * Normalises one entry of `/task/stats`. `null`, `{}` and entries without `id` or `memory_stats` are
 * containers that are stopped or not started yet (the agent and Fargate serve both shapes): 'not-running'.
 * An entry whose usage is not a valid byte count is 'invalid-usage'. Optional fields that are missing or
 * of the wrong type are undefined; they never turn into 0.
 */
export function parseContainerStats(entry: unknown): ContainerMemoryStats | StatsSkipReason {
  const stats = asObject(entry);
  const dockerId = readString(stats, 'id');
  const memory = asObject(stats?.['memory_stats']);
  if (stats === undefined || dockerId === undefined || memory === undefined) return 'not-running';
  // Windows is told by `privateworkingset`, not by a missing `usage`: Fargate Windows serves `usage` too
  // (issue 13; moby daemon/stats_windows.go fills commit, commit peak and private working set only).
  const os: MemoryStatsOs = 'privateworkingset' in memory ? 'windows' : 'linux';
  const usageKey = os === 'windows' && 'commitbytes' in memory ? 'commitbytes' : 'usage';
  const maxUsageKey = os === 'windows' && 'commitpeakbytes' in memory ? 'commitpeakbytes' : 'max_usage';
  // Docker serves `memory_stats: {}` for a container it has no cgroup data for yet. A Windows entry with a
  // working set but no commit or usage figure is running, with a usage that is missing: 'invalid-usage'.
  if (!(usageKey in memory)) return os === 'windows' ? 'invalid-usage' : 'not-running';
  const usageBytes = readByteCount(memory, usageKey);
  if (usageBytes === undefined) return 'invalid-usage';
  const details = asObject(memory['stats']);
  const cgroupVersion = os === 'linux' ? detectCgroupVersion(memory, details) : undefined;
  const read = readString(stats, 'read');
  return {
    dockerId,
    read,
    refreshIntervalMillis: refreshIntervalMillis(read, readString(stats, 'preread')),
    os,
    cgroupVersion,
    usageBytes,
    maxUsageBytes: readByteCount(memory, maxUsageKey),
    privateWorkingSetBytes: os === 'windows' ? readByteCount(memory, 'privateworkingset') : undefined,
    hierarchicalLimitBytes: readLimitBytes(details, 'hierarchical_memory_limit'),
    statsLimitBytes: readLimitBytes(memory, 'limit'),
    inactiveFileBytes:
      cgroupVersion === 2
        ? readByteCount(details, 'inactive_file')
        : (readByteCount(details, 'total_inactive_file') ?? readByteCount(details, 'inactive_file')),
    cacheBytes: cgroupVersion === 1 ? readByteCount(details, 'cache') : undefined,
    inactiveFileEstimateInputs: cgroupVersion === 2 ? readEstimateInputs(details) : undefined,
  };
}

function readEstimateInputs(details: JsonObject | undefined): InactiveFileEstimateInputs | undefined {
  if (details === undefined || 'inactive_file' in details) return undefined;
  const fileBytes = readByteCount(details, 'file');
  const activeFileBytes = readByteCount(details, 'active_file');
  if (fileBytes === undefined || activeFileBytes === undefined) return undefined;
  return { fileBytes, activeFileBytes, shmemBytes: readByteCount(details, 'shmem') };
}

/**
 * Moby's cgroup v2 stats always have `anon`; its v1 stats have `active_anon`/`inactive_anon`, `cache` and
 * `max_usage`, but no unqualified `anon` (prometheus-community/ecs_exporter collector.go; moby statsV1/V2).
 */
function detectCgroupVersion(memory: JsonObject, details: JsonObject | undefined): CgroupVersion | undefined {
  if (details !== undefined && 'anon' in details) return 2;
  if ('max_usage' in memory) return 1;
  if (details !== undefined && ('cache' in details || 'total_inactive_file' in details)) return 1;
  return undefined;
}

/** `read − preread` in ms, or undefined when either is missing, unparsable, the zero time, or not positive. */
function refreshIntervalMillis(read: string | undefined, preread: string | undefined): number | undefined {
  if (read === undefined || preread === undefined) return undefined;
  const delta = Date.parse(read) - Date.parse(preread);
  // Docker's first sample has preread 0001-01-01T00:00:00Z: a delta of two thousand years is not a cadence.
  return Number.isFinite(delta) && delta > 0 && delta < 3_600_000 ? delta : undefined;
}
