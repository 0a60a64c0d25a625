/**
 * Docker's cgroup v1 container stats, built from a memory cgroup's files as Docker builds them (moby
 * `statsV1`, served unchanged by the ECS agent): `usage` = memory.usage_in_bytes, `max_usage` =
 * memory.max_usage_in_bytes, `limit` = memory.limit_in_bytes, `failcnt` = memory.failcnt, `stats` = a fixed
 * set of memory.stat keys. Pure functions: sample in, payload out.
 */
import type { CgroupMemorySample } from './memory-cgroup';

/**
 * The memory.stat keys Docker copies into `memory_stats.stats` on cgroup v1: the key set of every real v1
 * payload in test/fixtures/tmde-v4 (swap, shmem and workingset_* are in the kernel's file, not in Docker's).
 * Go encodes the map with its keys sorted, as here.
 */
export const DOCKER_V1_MEMORY_STAT_KEYS = [
  'active_anon', 'active_file', 'cache', 'dirty', 'hierarchical_memory_limit', 'hierarchical_memsw_limit',
  'inactive_anon', 'inactive_file', 'mapped_file', 'pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'rss', 'rss_huge',
  'total_active_anon', 'total_active_file', 'total_cache', 'total_dirty', 'total_inactive_anon', 'total_inactive_file',
  'total_mapped_file', 'total_pgfault', 'total_pgmajfault', 'total_pgpgin', 'total_pgpgout', 'total_rss',
  'total_rss_huge', 'total_unevictable', 'total_writeback', 'unevictable', 'writeback',
] as const;

/** Docker's zero time: the `preread` of a container's first sample. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One container's stats read, with what it needs besides the memory files. */
export interface StatsRead {
  readonly dockerId: string;
  /** Docker's name for it: `/` + DockerName. */
  readonly name: string;
  readonly read: string;
  readonly preread: string;
  readonly sample: CgroupMemorySample;
  /** Threads in the cgroup (`pids_stats.current`). */
  readonly pids: number;
  readonly onlineCpus: number;
}

/**
 * `memory_stats` of a cgroup v1 container. Go's `omitempty` drops `usage`, `max_usage`, `failcnt` and `limit`
 * when they are 0 (hence no `failcnt` in the real payloads); a key missing from memory.stat is 0, as in
 * Docker's struct.
 */
function dockerMemoryStatsV1(sample: CgroupMemorySample): Record<string, unknown> {
  const stats: Record<string, bigint> = {};
  for (const key of DOCKER_V1_MEMORY_STAT_KEYS) stats[key] = sample.stat[key] ?? 0n;
  const memory: Record<string, unknown> = {};
  if (sample.usageInBytes !== 0n) memory['usage'] = sample.usageInBytes;
  if (sample.maxUsageInBytes !== 0n) memory['max_usage'] = sample.maxUsageInBytes;
  memory['stats'] = stats;
  if (sample.failcnt !== 0n) memory['failcnt'] = sample.failcnt;
  if (sample.limitInBytes !== 0n) memory['limit'] = sample.limitInBytes;
  return memory;
}

/**
 * One `/task/stats` entry, with the key set and order of the real EC2 cgroup v1 payloads. Only the memory
 * figures are measured: the task has a memory cgroup per container and nothing else, so CPU, block I/O and
 * network are present with zeros, in their real shapes.
 */
export function dockerStatsEntry(input: StatsRead): Record<string, unknown> {
  const cpuStats = {
    cpu_usage: { total_usage: 0, percpu_usage: new Array<number>(input.onlineCpus).fill(0), usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: 0,
    online_cpus: input.onlineCpus,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
  const blkio = ['io_service_bytes_recursive', 'io_serviced_recursive', 'io_queue_recursive', 'io_service_time_recursive',
    'io_wait_time_recursive', 'io_merged_recursive', 'io_time_recursive', 'sectors_recursive'];
  return {
    read: input.read,
    preread: input.preread,
    pids_stats: { current: input.pids },
    blkio_stats: Object.fromEntries(blkio.map((key) => [key, []])),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats,
    precpu_stats: cpuStats,
    memory_stats: dockerMemoryStatsV1(input.sample),
    name: input.name,
    id: input.dockerId,
    networks: { eth0: { rx_bytes: 0, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: 0, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } },
    network_rate_stats: { rx_bytes_per_sec: 0, tx_bytes_per_sec: 0 },
  };
}

/**
 * JSON with bigints written as exact integers, as Go writes uint64: 9223372036854771712 stays that, where
 * a JS number would print 9223372036854772000.
 */
export function toExactJson(value: unknown): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${marker}${v}` : v));
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1');
}

/** Go's RFC 3339 with nanoseconds (trailing zeros trimmed), from epoch milliseconds with a fraction. */
export function rfc3339Nano(epochMillis: number): string {
  const whole = Math.floor(epochMillis);
  const nanos = Math.round((epochMillis - whole) * 1e6) + (whole % 1000) * 1e6;
  const seconds = new Date(whole - (whole % 1000)).toISOString().slice(0, 19);
  const fraction = String(Math.min(nanos, 999_999_999)).padStart(9, '0').replace(/0+$/, '');
  return `${seconds}${fraction === '' ? '' : `.${fraction}`}Z`;
}
