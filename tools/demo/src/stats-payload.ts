/**
 * One container's Docker stats object as `/task/stats` serves it, with exactly the keys of the real payloads:
 * cgroup v1 like test/fixtures/tmde-v4/fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json,
 * cgroup v2 like managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json
 * (moby statsV1 / statsV2: v2 has no max_usage, no hierarchical_*_limit, no percpu_usage, lowercase blkio ops).
 */
import type { ContainerHistory } from './container-history';
import type { CgroupVersion } from 'otel-ecs-task-stats';
import { poolsAt, type ScenarioContainer } from './scenario';

const MIB = 1024 * 1024;
const PAGE = 4096;

/** JSON has no exact double for these sentinels; the endpoint substitutes the literal text (see toJsonText). */
const UNLIMITED_V1 = '__UNLIMITED_V1__'; // 9223372036854771712 = 2^63 − 4096 (Fargate, no container limit)
const UNLIMITED_V2 = '__UNLIMITED_V2__'; // 18446744073709551615 = 2^64 − 1 (containerd on cgroup v2)

/** Serialise a payload, writing the unlimited sentinels as the exact integers the agent sends. */
export function toJsonText(payload: unknown): string {
  return JSON.stringify(payload)
    .replaceAll(`"${UNLIMITED_V1}"`, '9223372036854771712')
    .replaceAll(`"${UNLIMITED_V2}"`, '18446744073709551615');
}

/** MiB → bytes, whole pages (the kernel accounts memory in pages). */
export function pagesBytes(mib: number): number {
  return Math.round((mib * MIB) / PAGE) * PAGE;
}

/** Inputs for one stats object. */
export interface StatsInput {
  cgroup: CgroupVersion;
  container: ScenarioContainer;
  history: ContainerHistory;
  dockerId: string;
  /** Simulated seconds since the task started, of this sample and of the previous one. */
  tSeconds: number;
  prevSeconds: number;
  readIso: string;
  prereadIso: string;
  /** Container hard limit in bytes, or undefined (then the cgroup limit is the unlimited sentinel). */
  containerLimitBytes: number | undefined;
  /** cgroup v1 hierarchical_memory_limit: the container limit if set, else the task's. */
  hierarchicalLimitBytes: number;
}

function cpuBlock(cgroup: CgroupVersion, c: ScenarioContainer, t: number): Record<string, unknown> {
  // Busy share of one vCPU: the job works hard, the sidecar idles.
  const vcpu = c.cpuUnits >= 256 ? 0.04 : 1.6;
  const total = Math.round(vcpu * t * 1e9) + 48_000_000;
  const kernel = Math.floor((total * 0.12) / 1e7) * 1e7;
  const usage: Record<string, unknown> = { total_usage: total };
  if (cgroup === 1) usage.percpu_usage = [Math.round(total * 0.52), total - Math.round(total * 0.52)];
  usage.usage_in_kernelmode = kernel;
  usage.usage_in_usermode = Math.floor((total - kernel) / 1e7) * 1e7;
  return {
    cpu_usage: usage,
    system_cpu_usage: Math.round((t + 900) * 2 * 1e9),
    online_cpus: 2,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

function blkio(cgroup: CgroupVersion, readBytes: number): Record<string, unknown> {
  if (cgroup === 2) {
    return {
      io_service_bytes_recursive: [
        { major: 259, minor: 0, op: 'read', value: readBytes },
        { major: 259, minor: 0, op: 'write', value: 4096 },
      ],
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    };
  }
  const ops = (value: number): unknown[] =>
    ['Read', 'Write', 'Sync', 'Async', 'Discard', 'Total'].map((op) => ({
      major: 259,
      minor: 1,
      op,
      value: op === 'Read' || op === 'Sync' || op === 'Total' ? value : 0,
    }));
  return {
    io_service_bytes_recursive: ops(readBytes),
    io_serviced_recursive: ops(Math.round(readBytes / 131072)),
    io_queue_recursive: [],
    io_service_time_recursive: [],
    io_wait_time_recursive: [],
    io_merged_recursive: [],
    io_time_recursive: [],
    sectors_recursive: [],
  };
}

function memoryV1(input: StatsInput): Record<string, unknown> {
  const p = poolsAt(input.container, input.tSeconds);
  const rss = pagesBytes(p.anonMib);
  const activeFile = pagesBytes(p.activeFileMib);
  const inactiveFile = pagesBytes(p.inactiveFileMib);
  const cache = activeFile + inactiveFile;
  const usage = rss + cache + pagesBytes(input.container.kernelMib);
  const inactiveAnon = Math.round((rss * 0.7) / PAGE) * PAGE;
  const readPages = Math.round(input.history.fileReadMib * 256);
  const v: Record<string, number> = {
    active_anon: rss - inactiveAnon,
    active_file: activeFile,
    cache,
    dirty: 0,
    inactive_anon: inactiveAnon,
    inactive_file: inactiveFile,
    mapped_file: Math.round((cache * 0.3) / PAGE) * PAGE,
    pgfault: Math.round(input.tSeconds * 950) + 18975,
    pgmajfault: Math.round(readPages / 64) + 12,
    pgpgin: readPages + Math.round(rss / PAGE),
    pgpgout: Math.round(input.tSeconds * 40),
    rss,
    rss_huge: 0,
    unevictable: 0,
    writeback: 0,
  };
  const stats: Record<string, unknown> = {};
  for (const key of ['active_anon', 'active_file', 'cache', 'dirty']) stats[key] = v[key];
  stats.hierarchical_memory_limit = input.hierarchicalLimitBytes;
  stats.hierarchical_memsw_limit = UNLIMITED_V1;
  for (const key of ['inactive_anon', 'inactive_file', 'mapped_file', 'pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'rss', 'rss_huge']) {
    stats[key] = v[key];
  }
  for (const key of ['active_anon', 'active_file', 'cache', 'dirty', 'inactive_anon', 'inactive_file', 'mapped_file', 'pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'rss', 'rss_huge', 'unevictable', 'writeback']) {
    stats[`total_${key}`] = v[key];
  }
  stats.unevictable = 0;
  stats.writeback = 0;
  const maxUsage = Math.max(usage, pagesBytes(input.history.maxUsageMib));
  return { usage, max_usage: maxUsage, stats, limit: input.containerLimitBytes ?? UNLIMITED_V1 };
}

function memoryV2(input: StatsInput): Record<string, unknown> {
  const p = poolsAt(input.container, input.tSeconds);
  const anon = pagesBytes(p.anonMib);
  const activeFile = pagesBytes(p.activeFileMib);
  const inactiveFile = pagesBytes(p.inactiveFileMib);
  const kernel = pagesBytes(input.container.kernelMib);
  const kernelStack = Math.round((kernel * 0.2) / PAGE) * PAGE;
  const sock = Math.round((kernel * 0.1) / PAGE) * PAGE;
  const slab = kernel - kernelStack - sock;
  const slabReclaimable = Math.round(slab / 2 / 8) * 8;
  const readPages = Math.round(input.history.fileReadMib * 256);
  const inactiveAnon = Math.round((anon * 0.7) / PAGE) * PAGE;
  const stats = {
    active_anon: anon - inactiveAnon,
    active_file: activeFile,
    anon,
    anon_thp: 0,
    file: activeFile + inactiveFile,
    file_dirty: 0,
    file_mapped: Math.round(((activeFile + inactiveFile) * 0.3) / PAGE) * PAGE,
    file_writeback: 0,
    inactive_anon: inactiveAnon,
    inactive_file: inactiveFile,
    kernel_stack: kernelStack,
    pgactivate: Math.round(readPages / 10),
    pgdeactivate: 0,
    pgfault: Math.round(input.tSeconds * 950) + 7924,
    pglazyfree: 0,
    pglazyfreed: 0,
    pgmajfault: Math.round(readPages / 64) + 12,
    pgrefill: 0,
    pgscan: 0,
    pgsteal: 0,
    shmem: 0,
    slab,
    slab_reclaimable: slabReclaimable,
    slab_unreclaimable: slab - slabReclaimable,
    sock,
    thp_collapse_alloc: 0,
    thp_fault_alloc: 0,
    unevictable: 0,
    workingset_activate: 0,
    workingset_nodereclaim: 0,
    workingset_refault: 0,
  };
  // memory.current counts anon, page cache and kernel memory; moby has no max for v2 ("not supported").
  const usage = anon + activeFile + inactiveFile + kernel;
  return { usage, stats, limit: input.containerLimitBytes ?? UNLIMITED_V2 };
}

/** The Docker stats object of one running container at one refresh. */
export function containerStats(input: StatsInput): Record<string, unknown> {
  const { cgroup, container, tSeconds } = input;
  const readBytes = pagesBytes(input.history.fileReadMib) + 24 * MIB;
  const rx = Math.round(129_045_374 + tSeconds * 2464.7);
  const tx = Math.round(347_839 + tSeconds * 1173.3);
  return {
    read: input.readIso,
    preread: input.prereadIso,
    pids_stats: {},
    blkio_stats: blkio(cgroup, readBytes),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuBlock(cgroup, container, tSeconds),
    precpu_stats: cpuBlock(cgroup, container, input.prevSeconds),
    memory_stats: cgroup === 1 ? memoryV1(input) : memoryV2(input),
    name: container.name,
    id: input.dockerId,
    networks: {
      eth1: { rx_bytes: rx, rx_packets: Math.round(rx / 1451), rx_errors: 0, rx_dropped: 0, tx_bytes: tx, tx_packets: Math.round(tx / 99), tx_errors: 0, tx_dropped: 0 },
    },
    network_rate_stats: { rx_bytes_per_sec: 2464.6679803462657, tx_bytes_per_sec: 1173.289548516495 },
  };
}
