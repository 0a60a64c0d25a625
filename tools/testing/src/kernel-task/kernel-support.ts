/**
 * Whether this machine can run a kernel-backed task, and where: the cgroup v1 memory controller, the test
 * process's own memory cgroup as the parent (from /proc/self/cgroup, mapped through /proc/self/mountinfo, or
 * a cgroup inside it named by OTEL_ECS_TASK_STATS_CGROUP_PARENT), permission to make a child cgroup there, and
 * a disk-backed directory for page-cache files.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { CGROUP_NAME_PREFIX } from './memory-cgroup';

export type KernelSupport =
  | {
      readonly ok: true;
      /** The test process's own memory cgroup: the parent of every cgroup the kit makes. */
      readonly parentCgroupDir: string;
      /** A directory on a disk-backed filesystem: files read there go through the page cache. */
      readonly fileDir: string;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The environment variable that names the memory cgroup to make the kit's cgroups in, instead of the process's
 * own: that cgroup or one inside it (a subtree delegated to the tests), never elsewhere. A directory that does
 * not exist there is how a test sees the "no cgroup" answer without dropping root.
 */
export const CGROUP_PARENT_ENV = 'OTEL_ECS_TASK_STATS_CGROUP_PARENT';

let cached: KernelSupport | undefined;

/** Probes once per process (it makes and removes one empty child cgroup); never throws. */
export function kernelSupport(): KernelSupport {
  cached ??= probe();
  return cached;
}

function probe(): KernelSupport {
  if (process.platform !== 'linux') return no(`not Linux (platform ${process.platform})`);
  let parentCgroupDir: string | { problem: string };
  try {
    parentCgroupDir = ownMemoryCgroupDir(readFileSync('/proc/self/cgroup', 'utf8'), readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch (error) {
    return no(`cannot read /proc/self/cgroup or /proc/self/mountinfo (${String(error)})`);
  }
  if (typeof parentCgroupDir !== 'string') return no(parentCgroupDir.problem);
  parentCgroupDir = parentCgroupWithin(parentCgroupDir, process.env[CGROUP_PARENT_ENV]);
  if (typeof parentCgroupDir !== 'string') return no(parentCgroupDir.problem);
  const probeDir = join(parentCgroupDir, `${CGROUP_NAME_PREFIX}${process.pid}-probe`);
  try {
    mkdirSync(probeDir);
    try {
      writeFileSync(join(probeDir, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
    } finally {
      rmdirSync(probeDir);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const why = code === 'EACCES' || code === 'EPERM' ? 'needs root' : code === 'ENOENT' ? 'no such cgroup' : 'the kernel refused';
    return no(`cannot make a child memory cgroup under ${parentCgroupDir} (${code}: ${why})`);
  }
  const dd = spawnSync('dd', ['--version'], { stdio: 'ignore' });
  if (dd.status !== 0) return no('dd (coreutils) is not installed; it writes the page-cache files with O_DIRECT');
  const fileDir = [tmpdir(), '/var/tmp'].find(isDiskBackedAndWritable);
  if (fileDir === undefined) return no(`no disk-backed writable directory for page-cache files (${tmpdir()} is tmpfs)`);
  return { ok: true, parentCgroupDir, fileDir };
}

function no(reason: string): KernelSupport {
  return { ok: false, reason };
}

/**
 * The directory of this process's memory cgroup, or why there is none to use: no cgroup v1 memory controller
 * (cgroup v2 has no memory.max_usage_in_bytes, and these machines' unified hierarchy has no memory
 * controller), or a process in the root of the hierarchy, where the kit refuses to make cgroups.
 */
export function ownMemoryCgroupDir(procSelfCgroup: string, procSelfMountinfo: string): string | { problem: string } {
  // `4:memory:/process_api/abc`: hierarchy id, controllers, path from the hierarchy's root.
  const line = procSelfCgroup.split('\n').find((l) => l.split(':')[1]?.split(',').includes('memory'));
  if (line === undefined) return { problem: 'no cgroup v1 memory controller (cgroup v2 memory is not used by these tests)' };
  const cgroupPath = line.split(':').slice(2).join(':');
  // mountinfo: `id parent major:minor root mountpoint options … - fstype source superoptions`.
  for (const mount of procSelfMountinfo.split('\n')) {
    const [before, after] = mount.split(' - ');
    if (after === undefined) continue;
    const [fstype, , superOptions = ''] = after.split(' ');
    if (fstype !== 'cgroup' || !superOptions.split(',').includes('memory')) continue;
    const fields = before.split(' ');
    const root = unescapeMountinfo(fields[3]);
    const mountPoint = unescapeMountinfo(fields[4]);
    const relative = posix.relative(root, cgroupPath);
    if (relative.startsWith('..')) continue; // mounted from elsewhere in the hierarchy: not our cgroup
    if (relative === '') return { problem: `the test process is in the root memory cgroup (${mountPoint}); refusing to make cgroups there` };
    return join(mountPoint, relative);
  }
  return { problem: 'the cgroup v1 memory controller is not mounted' };
}

/**
 * The parent for the kit's cgroups: `ownDir` (the process's memory cgroup), or `override` (CGROUP_PARENT_ENV)
 * when it is `ownDir` or inside it; anything else is refused, so that the kit never makes a cgroup elsewhere.
 */
export function parentCgroupWithin(ownDir: string, override: string | undefined): string | { problem: string } {
  if (override === undefined || override === '') return ownDir;
  const dir = resolve(override);
  if (dir === ownDir || dir.startsWith(`${ownDir}/`)) return dir;
  return { problem: `${CGROUP_PARENT_ENV}=${override} is not inside this process's memory cgroup ${ownDir}; the kit makes cgroups only there` };
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

function isDiskBackedAndWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    const { type } = statfsSync(dir);
    return type !== TMPFS_MAGIC && type !== RAMFS_MAGIC;
  } catch {
    return false;
  }
}
