// What a `--real-kernel` demo process leaves behind, for the demo's kernel tests (not a test file itself).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_NAME_PREFIX, isAlive, kernelSupport } from '../../tools/testing/src';

function where(): { parentCgroupDir: string; fileDir: string } {
  const support = kernelSupport();
  if (!support.ok) throw new Error(support.reason);
  return support;
}

/** The kit names what a process makes after its pid: `otel-ecs-kt-<pid>-…`, cgroups and data files alike. */
function madeBy(dir: string, pid: number): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${CGROUP_NAME_PREFIX}${pid}-`))
    .map((name) => join(dir, name));
}

/** The cgroups process `pid` made under this process's own memory cgroup (the CLI inherits it). */
export function cgroupsMadeBy(pid: number): string[] {
  return madeBy(where().parentCgroupDir, pid);
}

/** The processes in the cgroups that process `pid` made, now. */
export function processesInCgroupsOf(pid: number): number[] {
  return cgroupsMadeBy(pid).flatMap((dir) =>
    readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter((line) => line !== '').map(Number),
  );
}

/** Still running: it exists and has not ended (a zombie has ended; only its exit status is left). */
function running(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Everything of the kernel-backed task that process `pid` left: its cgroups, its data files, the given processes still running. */
export function leftoversOf(pid: number, containerPids: readonly number[]): string[] {
  return [
    ...cgroupsMadeBy(pid),
    ...madeBy(where().fileDir, pid),
    ...containerPids.filter(running).map((p) => `process ${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`),
  ];
}
