/**
 * The simulated task: which containers it has, and how much memory each holds at any simulated second.
 *
 * Memory is modelled as three pools (MiB) that the kernel accounts separately, because the figures the
 * package and Container Insights report differ exactly in which pools they count:
 *   anon          program heap (what the OOM killer cannot reclaim)
 *   activeFile    page cache recently used (counted in the working set)
 *   inactiveFile  page cache not recently used (reclaimable first; excluded from the working set)
 * Usage (memory_stats.usage) = anon + activeFile + inactiveFile + kernelMib.
 */

import type { CgroupVersion } from 'otel-ecs-task-stats';

/** Memory pools of one container at one instant, in MiB. */
export interface MemoryPoolsMib {
  anonMib: number;
  activeFileMib: number;
  inactiveFileMib: number;
}

/** The pools at a point of the simulated timeline; values between keyframes are interpolated linearly. */
interface Keyframe extends MemoryPoolsMib {
  atSeconds: number;
}

/**
 * A brief allocation burst: anon grows by `anonMib` at the centre (raised-cosine shape) while the kernel
 * reclaims up to `reclaimInactiveFileMib` of inactive page cache to make room, as it does near the limit.
 */
interface Spike {
  centreSeconds: number;
  halfWidthSeconds: number;
  anonMib: number;
  reclaimInactiveFileMib: number;
}

/** One container of the simulated task. */
export interface ScenarioContainer {
  name: string;
  image: string;
  /** Container-level hard limit (task definition `memory`), MiB; absent = only the task limit applies. */
  containerLimitMib?: number;
  cpuUnits: number;
  /** false: the container already exited (its /task/stats entry is null, as on Fargate). */
  running: boolean;
  /** Kernel memory charged to the cgroup (slab, stacks, sockets), MiB. */
  kernelMib: number;
  keyframes: Keyframe[];
  spikes: Spike[];
}

/** A whole simulated task. */
export interface Scenario {
  id: string;
  title: string;
  /** cgroup version the simulated host runs; decides the shape of memory_stats. */
  cgroup: CgroupVersion;
  launchType: 'FARGATE' | 'MANAGED_INSTANCES';
  clusterName: string;
  family: string;
  revision: string;
  taskMemoryMib: number;
  taskCpuVcpu: number;
  /** Default length of the simulated run, seconds. */
  durationSeconds: number;
  /** Name of the container the package runs in (what `/` and `/stats` describe). */
  selfContainer: string;
  containers: ScenarioContainer[];
}

function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f;
}

/** 1 at the centre, 0 outside ±halfWidth, smooth in between. */
function bump(tSeconds: number, spike: Spike): number {
  const d = Math.abs(tSeconds - spike.centreSeconds);
  if (d >= spike.halfWidthSeconds) return 0;
  return 0.5 * (1 + Math.cos((Math.PI * d) / spike.halfWidthSeconds));
}

/** The container's memory pools (MiB) at simulated second `tSeconds`. */
export function poolsAt(container: ScenarioContainer, tSeconds: number): MemoryPoolsMib {
  const frames = container.keyframes;
  let pools: MemoryPoolsMib = frames[frames.length - 1];
  if (tSeconds <= frames[0].atSeconds) pools = frames[0];
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1];
    const b = frames[i];
    if (tSeconds >= a.atSeconds && tSeconds <= b.atSeconds) {
      const f = (tSeconds - a.atSeconds) / (b.atSeconds - a.atSeconds);
      pools = {
        anonMib: lerp(a.anonMib, b.anonMib, f),
        activeFileMib: lerp(a.activeFileMib, b.activeFileMib, f),
        inactiveFileMib: lerp(a.inactiveFileMib, b.inactiveFileMib, f),
      };
      break;
    }
  }
  let { anonMib, inactiveFileMib } = pools;
  for (const spike of container.spikes) {
    const k = bump(tSeconds, spike);
    anonMib += k * spike.anonMib;
    inactiveFileMib = Math.max(0, inactiveFileMib - k * spike.reclaimInactiveFileMib);
  }
  return { anonMib, activeFileMib: pools.activeFileMib, inactiveFileMib };
}

/** memory_stats.usage of the container at `tSeconds`, in MiB. */
export function usageMibAt(container: ScenarioContainer, tSeconds: number): number {
  const p = poolsAt(container, tSeconds);
  return p.anonMib + p.activeFileMib + p.inactiveFileMib + container.kernelMib;
}

/** The effective limit the package should report: container limit if set, else the task's. */
export function effectiveLimitMib(scenario: Scenario, container: ScenarioContainer): number {
  return container.containerLimitMib !== undefined && container.containerLimitMib > 0
    ? container.containerLimitMib
    : scenario.taskMemoryMib;
}
