/**
 * `--real-kernel`: the demo's task is the test kit's kernel-backed task (tools/testing/src/kernel-task), real
 * processes in real cgroup v1 memory cgroups under this process's own, whose endpoint serves Docker's stats
 * from their files. This module starts it, plays the incident's timeline (kernel-incident.ts) on it in real
 * time, and removes every cgroup, process and file it made: at the end, on Ctrl-C and on errors (close()), and
 * at process exit when nothing can be awaited any more (the kit's exit hook: a second Ctrl-C, a crash).
 *
 * The kit lives in the test kit because the tests need exactly this task, and one implementation serves both;
 * the published package never reaches it (the import-graph check forbids src/ → tools/).
 */
import { existsSync } from 'node:fs';
import { METRIC_MAX_MEMORY_USAGE } from 'otel-ecs-task-stats';
import { type CgroupMemorySample, type ContainerExit, isAlive, kernelSupport, KernelTask } from '../../testing/src';
import type { DemoTask } from './demo-task';
import { DATA_FILE_MIB, DATA_FILES, kernelIncidentSteps, kernelIncidentTask, KERNEL_DEFAULT_DURATION_SECONDS, KERNEL_REFRESH_SECONDS, type KernelStep } from './kernel-incident';
import { kernelReadings, writeKernelReadings, type KernelStepRecord } from './kernel-readings';
import { KernelSource } from './kernel-source';
import { DemoUsageError, type DemoOptions } from './options';
import type { ContainerRecord } from './run-record';
import { formatSimTime, SimClock, sleep } from './sim-clock';

const MIB = 1024 * 1024;

function mibText(bytes: bigint | number): string {
  return `${(Number(bytes) / MIB).toFixed(1)} MiB`;
}

function timesText(times: number): string {
  return times === 1 ? 'once' : times === 2 ? 'twice' : `${times} times`;
}

/**
 * The kernel-backed task, started: its containers run in their cgroups and hold nothing yet, the data files
 * are written past the page cache, and the clock starts. Throws a DemoUsageError, before making anything, where
 * the machine cannot run it (the kit's own check: not Linux, not root, no cgroup v1 memory controller).
 */
export async function startKernelTask(options: DemoOptions): Promise<DemoTask> {
  const support = kernelSupport();
  if (!support.ok) throw new DemoUsageError(`--real-kernel needs Linux, root and the cgroup v1 memory controller: ${support.reason}`);
  const spec = kernelIncidentTask();
  const task = await KernelTask.start(spec);
  const files: string[] = [];
  try {
    for (let i = 0; i < DATA_FILES; i++) files.push(await task.createUncachedFile(DATA_FILE_MIB * MIB));
  } catch (error) {
    await task.dispose().catch(() => undefined); // the error that matters is the first
    throw error;
  }
  const names = spec.containers.map((c) => c.name);
  const clock = new SimClock(1);
  const source = new KernelSource(task, clock.startEpochMillis, KERNEL_REFRESH_SECONDS);
  const durationSeconds = options.durationSeconds ?? KERNEL_DEFAULT_DURATION_SECONDS;
  const steps: KernelStepRecord[] = [];
  let exitsDuringRun: ReadonlyMap<string, ContainerExit> | undefined;
  let cleanup: string | undefined;

  const at = (): string => `kernel ${formatSimTime(clock.nowSeconds())}`;

  /** Does one step; returns what it did, in words, with the kernel's figures right after. */
  async function play(step: KernelStep): Promise<string> {
    const container = task.container(step.container);
    const after = (): CgroupMemorySample => container.cgroup.readSample();
    const record = (did: { did: string; [detail: string]: unknown }, sample: CgroupMemorySample | undefined): void => {
      steps.push({ tSeconds: clock.nowSeconds(), container: step.container, ...did, kernel: sample });
    };
    switch (step.kind) {
      case 'hold': {
        await container.hold(step.mib * MIB);
        const k = after();
        record({ did: 'hold', bytes: step.mib * MIB }, k);
        return `holds ${step.mib} MiB of its own → usage ${mibText(k.usageInBytes)}`;
      }
      case 'read': {
        await container.readFile(files[step.file], step.times);
        const k = after();
        record({ did: 'read', bytes: DATA_FILE_MIB * MIB, times: step.times }, k);
        return (
          `reads data file ${step.file + 1} of ${DATA_FILES} (${DATA_FILE_MIB} MiB) ${timesText(step.times)} → usage ${mibText(k.usageInBytes)}, ` +
          `cache ${mibText(k.stat['cache'] ?? 0n)}, inactive file ${mibText(k.stat['total_inactive_file'] ?? 0n)}`
        );
      }
      case 'spike': {
        // Right after a refresh, and the next one waits for the memory to be back: the spike falls between two
        // samples, as a sub-second spike does between Fargate's 10 s refreshes (here they are 1 s apart).
        await task.nextRefresh();
        const release = task.holdRefreshes();
        const started = performance.now();
        try {
          await container.spike(step.mib * MIB);
        } finally {
          release();
        }
        const seconds = (performance.now() - started) / 1000;
        const k = after();
        record({ did: 'spike', bytes: step.mib * MIB, seconds }, k);
        return (
          `spikes: ${step.mib} MiB allocated, touched and freed in ${seconds.toFixed(2)} s, between two refreshes → ` +
          `max_usage_in_bytes ${mibText(k.maxUsageInBytes)} of its ${mibText(k.limitInBytes)} limit, usage ${mibText(k.usageInBytes)}`
        );
      }
      case 'oom': {
        const exit = await container.growUntilKilled();
        const oomKills = container.cgroup.oomKillCount();
        const k = after();
        record({ did: 'oom', exitCode: exit.exitCode, signal: exit.signal, oomKilled: exit.oomKilled, oomKills }, k);
        return (
          `grows past its ${mibText(k.limitInBytes)} limit → ${exit.oomKilled ? "the kernel's OOM killer ends it" : 'it ends'}: ` +
          `exit code ${exit.exitCode}${exit.signal !== null ? ` (${exit.signal})` : ''}, memory.oom_control oom_kill ${oomKills}; /task now says STOPPED`
        );
      }
    }
  }

  return {
    title: `kernel-backed task, ${spec.taskMemoryLimitMib} MiB, cgroup v1 on this machine: ${names[0]} job beside a ${names[1]}${options.oom ? ', OOM at the end' : ''}`,
    kernelFigures: true,
    clock,
    durationSeconds,
    source,
    taskText: task.taskJson(),
    url: task.uri,
    setupLines: [
      `  containers: ${spec.containers.map((c) => `${c.name} (pid ${task.container(c.name).pid}, limit ${mibText(c.cgroupLimitBytes)})`).join(', ')}, ` +
        `each in its own memory cgroup under ${support.parentCgroupDir}`,
      `  data set: ${DATA_FILES} files of ${DATA_FILE_MIB} MiB in ${support.fileDir}, written past the page cache (O_DIRECT)`,
    ],
    lastServedSample: () => (task.servedRefreshSeqs.at(-1) ?? 0) - 1,

    async drive(signal, print) {
      const stopped = new Set<string>();
      for (const step of kernelIncidentSteps(durationSeconds, options.oom)) {
        await sleep(Math.max(0, clock.realMillis(step.atSeconds - clock.nowSeconds())), signal);
        if (signal.aborted) return;
        if (stopped.has(step.container)) continue;
        try {
          print(`${at()} ${step.container}: ${await play(step)}`);
        } catch (error) {
          print(`  ! ${at()} ${step.container}: ${(error as Error).message}`);
        }
        if (task.container(step.container).exit !== undefined) stopped.add(step.container);
      }
    },

    async close() {
      exitsDuringRun ??= new Map(names.flatMap((name) => {
        const exit = task.container(name).exit;
        return exit === undefined ? [] : [[name, exit] as const];
      }));
      await task.dispose();
      // What is left, checked rather than assumed.
      const left = [
        ...names.filter((name) => isAlive(task.container(name).pid)).map((name) => `process ${task.container(name).pid} (${name})`),
        ...names.map((name) => task.container(name).cgroup.dir).filter((dir) => existsSync(dir)),
        ...files.filter((file) => existsSync(file)),
      ];
      cleanup =
        left.length === 0
          ? `  cleaned up: ${names.length} container processes ended by pid, their ${names.length} cgroups removed from ${support.parentCgroupDir}, ${DATA_FILES} data files removed`
          : `  ! left behind: ${left.join(', ')}`;
    },

    closingLines(records, svgPath) {
      const lines = ['Kernel figures (this machine\'s kernel, cgroup v1):', ...lastServedLines(task, source, records)];
      for (const [name, exit] of exitsDuringRun ?? []) {
        const last = records.find((r) => r.containerName === name)?.exports.at(-1);
        lines.push(
          `  ${name} ended at ${formatSimTime((exit.finishedAtMillis - clock.startEpochMillis) / 1000)}: ${exit.oomKilled ? "killed by the kernel's OOM killer, " : ''}` +
            `exit code ${exit.exitCode} (/task: STOPPED); it left the export` +
            (last !== undefined ? `, whose last ${METRIC_MAX_MEMORY_USAGE} for it was ${last.values[METRIC_MAX_MEMORY_USAGE]?.toFixed(1)} MiB` : ''),
        );
      }
      if (cleanup !== undefined) lines.push(cleanup);
      const readingsPath = writeKernelReadings(svgPath, kernelReadings(task, source, names, exitsDuringRun ?? new Map(), steps));
      lines.push(`Kernel readings: ${readingsPath}`);
      return lines;
    },
  };
}

/**
 * The last refresh served, each running container's max_usage_in_bytes in it, and whether the last export's
 * MaxMemoryUsage is that figure (it is, unless the final sample failed).
 */
function lastServedLines(task: KernelTask, source: KernelSource, records: readonly ContainerRecord[]): string[] {
  const seq = task.servedRefreshSeqs.at(-1);
  if (seq === undefined) return ['  the endpoint served no /task/stats'];
  const refresh = task.refreshes[seq - 1];
  const lines = [`  last refresh served: #${seq}, read at ${formatSimTime(source.secondsOf(refresh))}`];
  for (const [name, container] of refresh.containers) {
    if (container.sample === undefined) continue;
    const maxUsage = container.sample.maxUsageInBytes;
    const exported = records.find((r) => r.containerName === name)?.exports.at(-1)?.values[METRIC_MAX_MEMORY_USAGE];
    const same = exported === Number(maxUsage) / MIB;
    lines.push(
      `  ${name}: memory.max_usage_in_bytes ${maxUsage} (${mibText(maxUsage)}) ` +
        (same ? `= the ${METRIC_MAX_MEMORY_USAGE} exported last` : `≠ the ${METRIC_MAX_MEMORY_USAGE} exported last, ${exported ?? 'none'} (the final sample failed?)`),
    );
  }
  return lines;
}
