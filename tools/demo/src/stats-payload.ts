/**
 * One container's Docker stats object as `/task/stats` serves it. A running container's entry of a real payload
 * is the template (test/fixtures/tmde-v4: Fargate cgroup v1 for `cgroup: 1`, Managed Instances cgroup v2 for
 * `cgroup: 2`), so every key is a real one and every figure the package never reads (CPU, block I/O, network,
 * page-fault counters) is a real figure; the scenario sets only its container's identity, the timestamps and
 * the memory figures the package reads (with the pools they are sums of).
 */
import type { CgroupVersion } from 'otel-ecs-task-stats';
import { loadFixture } from '../../testing/src';
import type { ContainerHistory } from './container-history';
import { poolsAt, type ScenarioContainer } from './scenario';

const MIB = 1024 * 1024;
const PAGE = 4096;

/** The real payloads the entries are made from. */
const TEMPLATE_FIXTURES: Readonly<Record<CgroupVersion, string>> = {
  1: 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json',
  2: 'managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json',
};

/** JSON has no exact double for these sentinels; the endpoint substitutes the literal text (see toJsonText). */
const UNLIMITED_V1 = '__UNLIMITED_V1__'; // 9223372036854771712 = 2^63 − 4096 (cgroup v1 "no limit", Fargate)
const UNLIMITED_V2 = '__UNLIMITED_V2__'; // 18446744073709551615 = 2^64 − 1 (cgroup v2 "max", containerd)

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
  /** Simulated seconds since the task started. */
  tSeconds: number;
  readIso: string;
  prereadIso: string;
  /** Container hard limit in bytes, or undefined (then the cgroup limit is the unlimited sentinel). */
  containerLimitBytes: number | undefined;
  /** cgroup v1 hierarchical_memory_limit: the container limit if set, else the task's. */
  hierarchicalLimitBytes: number;
}

type Json = Record<string, unknown>;
const templates = new Map<CgroupVersion, Json>();

/**
 * The first running entry of the template payload, read once. A number no double holds exactly (a "no
 * limit" sentinel, parsed as ≈ 2^63 or ≈ 2^64) becomes its placeholder, so that it is written back exactly.
 */
function template(cgroup: CgroupVersion): Json {
  let entry = templates.get(cgroup);
  if (entry === undefined) {
    const payload = loadFixture(TEMPLATE_FIXTURES[cgroup]) as Record<string, Json | null>;
    entry = Object.values(payload).find((e): e is Json => e !== null && 'memory_stats' in e);
    if (entry === undefined) throw new Error(`${TEMPLATE_FIXTURES[cgroup]} has no running container to copy`);
    entry = JSON.parse(JSON.stringify(entry), (_key, value: unknown) =>
      typeof value === 'number' && value > Number.MAX_SAFE_INTEGER ? (value >= 2 ** 64 ? UNLIMITED_V2 : UNLIMITED_V1) : value,
    ) as Json;
    templates.set(cgroup, entry);
  }
  return structuredClone(entry);
}

/** cgroup v1: usage = rss + page cache + kernel memory; `max_usage` is the kernel's peak (ContainerHistory). */
function memoryV1(memory: Json, input: StatsInput): Json {
  const p = poolsAt(input.container, input.tSeconds);
  const rss = pagesBytes(p.anonMib);
  const activeFile = pagesBytes(p.activeFileMib);
  const inactiveFile = pagesBytes(p.inactiveFileMib);
  const cache = activeFile + inactiveFile;
  const usage = rss + cache + pagesBytes(input.container.kernelMib);
  const stats = memory['stats'] as Json;
  for (const prefix of ['', 'total_']) {
    stats[`${prefix}rss`] = rss;
    stats[`${prefix}cache`] = cache;
    stats[`${prefix}active_file`] = activeFile;
    stats[`${prefix}inactive_file`] = inactiveFile;
  }
  stats['hierarchical_memory_limit'] = input.hierarchicalLimitBytes;
  return {
    ...memory,
    usage,
    max_usage: Math.max(usage, pagesBytes(input.history.maxUsageMib)),
    stats,
    limit: input.containerLimitBytes ?? UNLIMITED_V1,
  };
}

/** cgroup v2: usage (memory.current) = anon + file + kernel memory; moby serves no max_usage for v2. */
function memoryV2(memory: Json, input: StatsInput): Json {
  const p = poolsAt(input.container, input.tSeconds);
  const anon = pagesBytes(p.anonMib);
  const activeFile = pagesBytes(p.activeFileMib);
  const inactiveFile = pagesBytes(p.inactiveFileMib);
  const stats = memory['stats'] as Json;
  const shmem = typeof stats['shmem'] === 'number' ? stats['shmem'] : 0;
  stats['anon'] = anon;
  stats['active_file'] = activeFile;
  stats['inactive_file'] = inactiveFile;
  stats['file'] = activeFile + inactiveFile + shmem;
  return {
    ...memory,
    usage: anon + activeFile + inactiveFile + shmem + pagesBytes(input.container.kernelMib),
    stats,
    limit: input.containerLimitBytes ?? UNLIMITED_V2,
  };
}

/** The Docker stats object of one running container at one refresh. */
export function containerStats(input: StatsInput): Json {
  const entry = template(input.cgroup);
  entry['read'] = input.readIso;
  entry['preread'] = input.prereadIso;
  entry['id'] = input.dockerId;
  entry['name'] = input.container.name; // Fargate and Managed Instances: the bare container name
  const memory = entry['memory_stats'] as Json;
  entry['memory_stats'] = input.cgroup === 1 ? memoryV1(memory, input) : memoryV2(memory, input);
  return entry;
}
