/**
 * The kernel's readings of one `--real-kernel` run, written beside the picture (`<picture>.kernel.json`), so
 * that anyone can check the exported figures against the kernel's: every refresh of the endpoint with the
 * memory cgroup files it read (exact bytes, the `memory.stat` keys Docker copies), the refresh each
 * `/task/stats` response served, what each container did and how it ended.
 */
import { writeFileSync } from 'node:fs';
import { DOCKER_V1_MEMORY_STAT_KEYS, toExactJson, type CgroupMemorySample, type ContainerExit, type KernelTask } from '../../testing/src';
import type { KernelSource } from './kernel-source';

/** One step the containers took, with the kernel's figures right after it. */
export interface KernelStepRecord {
  readonly tSeconds: number;
  readonly container: string;
  readonly did: string;
  readonly kernel: CgroupMemorySample | undefined;
  readonly [detail: string]: unknown;
}

/** The files of one cgroup at one reading, named as the kernel names them. */
function files(sample: CgroupMemorySample | undefined): object | null {
  if (sample === undefined) return null;
  return {
    usage_in_bytes: sample.usageInBytes,
    max_usage_in_bytes: sample.maxUsageInBytes,
    limit_in_bytes: sample.limitInBytes,
    failcnt: sample.failcnt,
    stat: Object.fromEntries(DOCKER_V1_MEMORY_STAT_KEYS.map((key) => [key, sample.stat[key] ?? 0n])),
  };
}

/** The readings document (bigints stay exact: see writeKernelReadings). */
export function kernelReadings(
  task: KernelTask,
  source: KernelSource,
  names: readonly string[],
  exitsDuringRun: ReadonlyMap<string, ContainerExit>,
  steps: readonly KernelStepRecord[],
): object {
  return {
    about: 'npm start -- --real-kernel: the memory cgroup files the endpoint read at each refresh (bytes), the refresh each /task/stats response served, and what the containers did; times in seconds from the start of the run',
    refreshIntervalSeconds: source.refreshSeconds,
    containers: names.map((name) => {
      const container = task.container(name);
      return { name, dockerId: container.dockerId, pid: container.pid, cgroup: container.cgroup.dir, exitDuringRun: exitsDuringRun.get(name) ?? null };
    }),
    steps: steps.map(({ kernel, ...step }) => ({ ...step, kernel: files(kernel) })),
    refreshes: task.refreshes.map((refresh) => ({
      seq: refresh.seq,
      tSeconds: source.secondsOf(refresh),
      containers: Object.fromEntries([...refresh.containers].map(([name, c]) => [name, files(c.sample)])),
    })),
    servedRefreshSeqs: task.servedRefreshSeqs,
  };
}

/** Writes `readings` as JSON beside the picture; returns the path. */
export function writeKernelReadings(svgPath: string, readings: object): string {
  const path = `${svgPath.replace(/\.svg$/i, '')}.kernel.json`;
  writeFileSync(path, `${toExactJson(readings)}\n`);
  return path;
}
