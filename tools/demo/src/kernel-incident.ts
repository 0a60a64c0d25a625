/**
 * The incident of `--scenario incident`, scaled down to this machine for `--real-kernel`: a 512 MiB task whose
 * scoring job (448 MiB) reads a data set once (page cache, mostly inactive), then allocates close to its limit
 * and frees it again between two refreshes, beside a small sidecar (64 MiB); with `--oom`, the job finally
 * grows past its limit. Real processes do it in real memory cgroups (the test kit's kernel-backed task), so
 * every figure is the kernel's. Pure: the task's shape and the timeline, as fractions of the run.
 */
import type { KernelTaskOptions } from '../../testing/src';

const MIB = 1024 * 1024;

/** Real seconds a run lasts unless --duration says otherwise (the simulated demo also takes about a minute). */
export const KERNEL_DEFAULT_DURATION_SECONDS = 60;
/** Below this the steps crowd each other (they take up to a second each on a loaded machine). */
export const KERNEL_MIN_DURATION_SECONDS = 10;
/** The demo keeps every refresh (one a second) for the Container Insights-style line: an hour at most. */
export const KERNEL_MAX_DURATION_SECONDS = 3600;
/** Default seconds between two exports (the simulated demo's 20 s would give one export in 30 s). */
export const KERNEL_EXPORT_EVERY_SECONDS = 5;
/**
 * The endpoint re-reads the cgroups' files every second: Docker's stats cadence on EC2, the task's launch type
 * (Fargate caches 10 s; a 30-second run would see three samples).
 */
export const KERNEL_REFRESH_SECONDS = 1;

export const JOB = 'scoring';
export const SIDECAR = 'sidecar';
const TASK_MEMORY_MIB = 512;
export const JOB_LIMIT_MIB = 448;
const SIDECAR_LIMIT_MIB = TASK_MEMORY_MIB - JOB_LIMIT_MIB;
/** The job's own heap (the model it loads) and the sidecar's: held for the whole run. */
export const JOB_HELD_MIB = 48;
const SIDECAR_HELD_MIB = 16;
/** The data set: files read once each, so their pages stay on the inactive list; the first is read twice (active). */
export const DATA_FILE_MIB = 48;
export const DATA_FILES = 4;
/**
 * The spike: on top of what the job holds, 48 + 320 = 368 MiB of anonymous memory at once, more than the
 * 448 MiB limit leaves beside the data set's cache, so the kernel reclaims cache and max_usage reaches the limit;
 * 80 MiB stay for node itself, so no OOM.
 */
export const SPIKE_MIB = 320;

/** One step of the timeline. */
export type KernelStep =
  | { readonly atSeconds: number; readonly container: string; readonly kind: 'hold'; readonly mib: number }
  | { readonly atSeconds: number; readonly container: string; readonly kind: 'read'; readonly file: number; readonly times: number }
  | { readonly atSeconds: number; readonly container: string; readonly kind: 'spike'; readonly mib: number }
  | { readonly atSeconds: number; readonly container: string; readonly kind: 'oom' };

/** The kernel-backed task: the job and the sidecar, each with its memory limit in its cgroup and in `/task`. */
export function kernelIncidentTask(): KernelTaskOptions {
  return {
    family: 'scoring-job',
    cluster: 'kernel-demo',
    taskMemoryLimitMib: TASK_MEMORY_MIB,
    refreshIntervalMillis: KERNEL_REFRESH_SECONDS * 1000,
    containers: [
      { name: JOB, cgroupLimitBytes: JOB_LIMIT_MIB * MIB, metadataMemoryLimitMib: JOB_LIMIT_MIB },
      { name: SIDECAR, cgroupLimitBytes: SIDECAR_LIMIT_MIB * MIB, metadataMemoryLimitMib: SIDECAR_LIMIT_MIB },
    ],
  };
}

/**
 * The steps of a run of `durationSeconds`, in order: both containers take their memory at once, the job reads
 * one data file at 10, 20, 30 and 40 % of the run, spikes at 55 % and, with `oom`, grows until killed at 75 %.
 */
export function kernelIncidentSteps(durationSeconds: number, oom: boolean): KernelStep[] {
  const at = (fraction: number): number => fraction * durationSeconds;
  const steps: KernelStep[] = [
    { atSeconds: 0, container: JOB, kind: 'hold', mib: JOB_HELD_MIB },
    { atSeconds: 0, container: SIDECAR, kind: 'hold', mib: SIDECAR_HELD_MIB },
  ];
  for (let file = 0; file < DATA_FILES; file++) {
    steps.push({ atSeconds: at(0.1 * (file + 1)), container: JOB, kind: 'read', file, times: file === 0 ? 2 : 1 });
  }
  steps.push({ atSeconds: at(0.55), container: JOB, kind: 'spike', mib: SPIKE_MIB });
  if (oom) steps.push({ atSeconds: at(0.75), container: JOB, kind: 'oom' });
  return steps;
}
