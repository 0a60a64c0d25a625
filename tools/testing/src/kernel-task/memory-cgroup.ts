/**
 * One cgroup v1 memory cgroup of the test task: made under the test process's own memory cgroup (never at the
 * root of the hierarchy, never elsewhere), read the way Docker reads it, and removed afterwards.
 *
 * Names carry a prefix and the pid of the process that made them (`otel-ecs-kt-<pid>-<n>-<container>`), so a
 * sweep can tell a previous run's leftovers (owner gone) from the cgroups of a test file running in parallel
 * (owner alive), and touches nothing else.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../wait';

export const CGROUP_NAME_PREFIX = 'otel-ecs-kt-';

/** The raw figures of one read of a memory cgroup's files, exactly as the kernel wrote them (bytes). */
export interface CgroupMemorySample {
  /** `memory.usage_in_bytes`: Docker's `memory_stats.usage`. */
  readonly usageInBytes: bigint;
  /** `memory.max_usage_in_bytes`: Docker's `memory_stats.max_usage`. */
  readonly maxUsageInBytes: bigint;
  /** `memory.limit_in_bytes`: Docker's `memory_stats.limit`. */
  readonly limitInBytes: bigint;
  /** `memory.failcnt`: Docker's `memory_stats.failcnt`. */
  readonly failcnt: bigint;
  /** Every key of `memory.stat` (Docker's `memory_stats.stats` keeps a fixed subset of them). */
  readonly stat: Readonly<Record<string, bigint>>;
}

let created = 0;

/** A memory cgroup this process made, with its limit set. */
export class MemoryCgroup {
  private constructor(readonly dir: string) {}

  /** Makes `<parentDir>/otel-ecs-kt-<pid>-<n>-<label>` and sets its `memory.limit_in_bytes`. */
  static create(parentDir: string, label: string, limitBytes: number): MemoryCgroup {
    const name = `${CGROUP_NAME_PREFIX}${process.pid}-${++created}-${label.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const dir = join(parentDir, name);
    mkdirSync(dir);
    const cgroup = new MemoryCgroup(dir);
    try {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    } catch (error) {
      rmdirSync(dir);
      throw error;
    }
    return cgroup;
  }

  /** `cgroup.procs` of this cgroup: where a process writes its pid to move itself in. */
  get procsFile(): string {
    return join(this.dir, 'cgroup.procs');
  }

  /**
   * Reads the files Docker builds cgroup v1 `memory_stats` from. Usage is read before the peak: the peak
   * only grows, so the sample never has max_usage < usage.
   */
  readSample(): CgroupMemorySample {
    const usageInBytes = this._readNumber('memory.usage_in_bytes');
    const maxUsageInBytes = this._readNumber('memory.max_usage_in_bytes');
    const limitInBytes = this._readNumber('memory.limit_in_bytes');
    const failcnt = this._readNumber('memory.failcnt');
    return { usageInBytes, maxUsageInBytes, limitInBytes, failcnt, stat: parseKeyValues(this._read('memory.stat')) };
  }

  /** `oom_kill` of `memory.oom_control`: how many processes the kernel's OOM killer ended in this cgroup. */
  oomKillCount(): number {
    return Number(parseKeyValues(this._read('memory.oom_control'))['oom_kill'] ?? 0n);
  }

  /** Threads in the cgroup (`tasks`): what Docker's `pids_stats.current` counts. */
  taskCount(): number {
    return listPids(join(this.dir, 'tasks')).length;
  }

  /** Processes in the cgroup (`cgroup.procs`). */
  pids(): number[] {
    return listPids(this.procsFile);
  }

  /**
   * Removes the cgroup once its processes are gone (the kernel refuses with EBUSY until then). Already
   * removed is fine. Rejects if it is still busy after `timeoutMillis`.
   */
  async remove(timeoutMillis = 10_000): Promise<void> {
    await removeCgroupDir(this.dir, timeoutMillis);
  }

  /**
   * remove(), synchronously, for a process's 'exit' handler: retries while the kernel says EBUSY (the killed
   * processes are still leaving), sleeping between tries, for at most `timeoutMillis`. Returns whether it is gone;
   * never throws.
   */
  removeNow(timeoutMillis: number): boolean {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const deadline = performance.now() + timeoutMillis;
    for (;;) {
      try {
        rmdirSync(this.dir);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return true;
        if (code !== 'EBUSY' || performance.now() >= deadline) return false;
      }
      Atomics.wait(pause, 0, 0, 5); // a synchronous 5 ms sleep: an 'exit' handler cannot await
    }
  }

  private _read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  private _readNumber(file: string): bigint {
    return BigInt(this._read(file).trim());
  }
}

/** `key value` lines (memory.stat, memory.oom_control) as bigints. */
function parseKeyValues(text: string): Record<string, bigint> {
  const values: Record<string, bigint> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values[key] = BigInt(value);
  }
  return values;
}

function listPids(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map(Number);
}

async function removeCgroupDir(dir: string, timeoutMillis: number): Promise<void> {
  let busy: unknown;
  const removed = (): boolean => {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return true;
      if (code !== 'EBUSY') throw error;
      busy = error;
      return false;
    }
  };
  try {
    await waitFor(`rmdir ${dir}`, removed, timeoutMillis);
  } catch (error) {
    throw new Error(`could not remove the cgroup ${dir}: ${String(busy ?? error)}`, { cause: error });
  }
}

/** True while a process with this pid exists (EPERM: it exists, it is just not ours to signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the cgroups a previous run left under `parentDir`: only directories with this kit's prefix whose
 * owning process is gone. A leftover's processes are ended by pid first, and only if they run this kit's
 * container program (`programName` in their command line): the kit started them, and a leftover cannot be
 * removed while they live. Returns the directories removed.
 */
export async function sweepLeftoverCgroups(parentDir: string, programName: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of readdirSync(parentDir)) {
    const owner = /^otel-ecs-kt-(\d+)-/.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    const dir = join(parentDir, name);
    let pids: number[];
    try {
      pids = listPids(join(dir, 'cgroup.procs'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // a parallel test file swept it first
      throw error;
    }
    for (const pid of pids) {
      if (!commandLine(pid).includes(programName)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended meanwhile.
      }
    }
    await removeCgroupDir(dir, 10_000);
    removed.push(dir);
  }
  return removed;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
