/**
 * A kernel-backed ECS task: "containers" that are real processes in real memory cgroups, and a task metadata
 * endpoint v4 that serves their figures the way the ECS agent serves Docker's. The endpoint refreshes on a
 * cadence: each refresh reads every container's cgroup files once and builds `/task/stats` from them (with
 * `read` and `preread`, like Docker's stream); between refreshes it serves that cached sample. Every refresh
 * is recorded with the raw file values it served, so a test compares what the package exported against the
 * kernel's numbers of the same refresh.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { FakeMetadataEndpoint } from '../fake-metadata-endpoint';
import { CONTAINER_PROGRAM, KernelContainer } from './kernel-container';
import { kernelSupport } from './kernel-support';
import { MemoryCgroup, sweepLeftoverCgroups, type CgroupMemorySample } from './memory-cgroup';
import { dockerStatsEntry, rfc3339Nano, toExactJson, ZERO_TIME } from './docker-stats';
import { sweepLeftoverFiles, writeUncachedFile } from './page-cache-file';
import { containerMetadata, taskMetadata, type ContainerDescription, type TaskDescription } from './task-metadata';
import { DEFAULT_WAIT_MILLIS, within } from '../wait';

export interface KernelContainerSpec {
  /** The ECS container name (`Name` in `/task`). */
  readonly name: string;
  /** `memory.limit_in_bytes` of its cgroup (the kernel rounds it down to a whole page). */
  readonly cgroupLimitBytes: number;
  /** `Limits.Memory` in `/task` (MiB); none by default. */
  readonly metadataMemoryLimitMib?: number;
}

export interface KernelTaskOptions {
  /** The first container is the one the base URI describes (the container "this process" runs in). */
  readonly containers: readonly KernelContainerSpec[];
  readonly family?: string;
  readonly cluster?: string;
  /** `Limits.Memory` of the task (MiB); none by default, as on EC2 without a task-level limit. */
  readonly taskMemoryLimitMib?: number;
  /** How often the endpoint re-reads the cgroups. Default 1000 ms (Docker's stats stream: about 1 s on EC2). */
  readonly refreshIntervalMillis?: number;
  /** A stopped container's `/task/stats` entry: `null` (Fargate, the agent's task stats) or `{}`. Default `null`. */
  readonly stoppedStats?: 'null' | 'empty';
}

/** One container at one refresh. */
export interface RefreshedContainer {
  readonly dockerId: string;
  /** `read` served; undefined once the container has stopped (its entry is null or {}). */
  readonly read: string | undefined;
  /** The raw cgroup figures served; undefined once the container has stopped. */
  readonly sample: CgroupMemorySample | undefined;
}

/** One refresh of `/task/stats`: what the kernel's files said, and the exact body served until the next. */
export interface Refresh {
  /** 1, 2, …: the order of refreshes. */
  readonly seq: number;
  /** When the refresh read the files (ms since the epoch, sub-millisecond; the clock of `read`). */
  readonly atMillis: number;
  /** By container name. */
  readonly containers: ReadonlyMap<string, RefreshedContainer>;
  readonly statsJson: string;
}

/** Every task this process started and has not disposed: ended at process exit if a test forgot. */
const liveTasks = new Set<KernelTask>();
let exitHookInstalled = false;

export class KernelTask {
  /** Every refresh so far (the newest last). */
  readonly refreshes: Refresh[] = [];
  /** The `seq` of the refresh each `/task/stats` response carried, in the order served. */
  readonly servedRefreshSeqs: number[] = [];
  private readonly _containers: KernelContainer[] = [];
  private readonly _specs = new Map<string, KernelContainerSpec & { dockerName: string; ipv4Address: string }>();
  private readonly _cgroups: MemoryCgroup[] = [];
  private readonly _files: string[] = [];
  private readonly _task: TaskDescription;
  private readonly _refreshIntervalMillis: number;
  private readonly _endpoint: FakeMetadataEndpoint;
  private _listeners: Array<(refresh: Refresh) => void> = [];
  private _holds = 0;
  private _timer: NodeJS.Timeout | undefined;
  private _disposed: Promise<void> | undefined;

  private constructor(
    private readonly _options: KernelTaskOptions,
    private readonly _parentCgroupDir: string,
    private readonly _fileDir: string,
  ) {
    this._task = {
      cluster: _options.cluster ?? 'kernel-tests',
      family: _options.family ?? 'kernel-task',
      revision: '1',
      taskId: randomBytes(16).toString('hex'),
      memoryLimitMib: _options.taskMemoryLimitMib,
      createdAtMillis: Date.now(),
    };
    this._refreshIntervalMillis = _options.refreshIntervalMillis ?? 1000;
    // The agent's endpoint: the container's own metadata at the URI itself, `/task` live, `/task/stats` the
    // sample of the last refresh (cached in between, as the agent serves it).
    this._endpoint = new FakeMetadataEndpoint({ prefix: 'random' })
      .route('/', { body: () => JSON.stringify(containerMetadata(this._task, this._describe(this._containers[0]))) })
      .route('/task', { body: () => this.taskJson() })
      .route('/task/stats', {
        body: () => {
          const refresh = this.lastRefresh;
          this.servedRefreshSeqs.push(refresh.seq);
          return refresh.statsJson;
        },
      });
  }

  /**
   * Sweeps a previous run's leftovers, starts the containers in their cgroups, takes the first refresh and
   * starts the endpoint. Throws (after cleaning up what it made) when the machine cannot run it.
   */
  static async start(options: KernelTaskOptions): Promise<KernelTask> {
    const support = kernelSupport();
    if (!support.ok) throw new Error(`no kernel-backed task on this machine: ${support.reason}`);
    const names = options.containers.map((c) => c.name);
    if (names.length === 0) throw new RangeError('a kernel task needs at least one container');
    if (new Set(names).size !== names.length) throw new RangeError(`container names must differ; got ${names.join(', ')}`);
    await sweepLeftoverCgroups(support.parentCgroupDir, CONTAINER_PROGRAM);
    sweepLeftoverFiles(support.fileDir);
    const task = new KernelTask(options, support.parentCgroupDir, support.fileDir);
    liveTasks.add(task);
    installExitHook();
    try {
      for (const [index, spec] of options.containers.entries()) {
        const dockerId = randomBytes(32).toString('hex');
        const cgroup = MemoryCgroup.create(task._parentCgroupDir, spec.name, spec.cgroupLimitBytes);
        task._cgroups.push(cgroup);
        task._containers.push(KernelContainer.spawn(spec.name, dockerId, cgroup));
        const dockerName = `ecs-${task._task.family}-${task._task.revision}-${spec.name}-${randomBytes(10).toString('hex')}`;
        task._specs.set(spec.name, { ...spec, dockerName, ipv4Address: `172.17.0.${index + 2}` });
      }
      await Promise.all(task._containers.map((c) => c.ready()));
      task._refresh();
      await task._endpoint.start();
      task._scheduleRefresh();
      return task;
    } catch (error) {
      throw await withCleanup(task, error);
    }
  }

  /** ECS_CONTAINER_METADATA_URI_V4 for this task. */
  get uri(): string {
    return this._endpoint.uri;
  }

  /** The container named `name`. */
  container(name: string): KernelContainer {
    const container = this._containers.find((c) => c.name === name);
    if (container === undefined) throw new Error(`no container ${name} in this task`);
    return container;
  }

  /** The `/task` body as the endpoint serves it now (containers that ended are STOPPED, with their exit code). */
  taskJson(): string {
    return JSON.stringify(taskMetadata(this._task, this._containers.map((c) => this._describe(c))));
  }

  get lastRefresh(): Refresh {
    return this.refreshes[this.refreshes.length - 1];
  }

  /** The first refresh from now on for which `predicate` holds. */
  nextRefresh(predicate: (refresh: Refresh) => boolean = () => true, timeoutMillis = DEFAULT_WAIT_MILLIS): Promise<Refresh> {
    let listener: ((refresh: Refresh) => void) | undefined;
    const next = new Promise<Refresh>((resolve) => {
      listener = (refresh) => {
        if (!predicate(refresh)) return;
        this._listeners = this._listeners.filter((l) => l !== listener);
        resolve(refresh);
      };
      this._listeners.push(listener);
    });
    return within(`a refresh of the kernel task's endpoint`, next, timeoutMillis).finally(() => {
      this._listeners = this._listeners.filter((l) => l !== listener);
    });
  }

  /**
   * Holds the cadence: no refresh until the returned function is called, so the endpoint serves the same
   * sample meanwhile (what a test needs to compare one export with one refresh, or to make a spike fall
   * between two refreshes on a loaded machine). Ticks that fall in a hold are skipped, not made up.
   */
  holdRefreshes(): () => void {
    this._holds++;
    let released = false;
    return () => {
      if (!released) this._holds--;
      released = true;
    };
  }

  /** A file of `bytes` (whole MiB) that no one has cached yet; removed with the task. */
  async createUncachedFile(bytes: number): Promise<string> {
    const path = await writeUncachedFile(this._fileDir, bytes);
    this._files.push(path);
    return path;
  }

  /**
   * Stops the endpoint, ends the containers' processes by pid, removes their cgroups and files. Idempotent.
   * Rejects, naming what is left, if any of it fails.
   */
  dispose(): Promise<void> {
    this._disposed ??= (async () => {
      if (this._timer !== undefined) clearTimeout(this._timer);
      const errors: unknown[] = [];
      const attempt = async (step: () => unknown): Promise<void> => {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      };
      await attempt(() => this._endpoint.close());
      for (const container of this._containers) await attempt(() => container.kill());
      for (const cgroup of this._cgroups) await attempt(() => cgroup.remove());
      for (const file of this._files) await attempt(() => rmSync(file, { force: true }));
      liveTasks.delete(this);
      if (errors.length > 0) throw new AggregateError(errors, `kernel task cleanup: ${errors.map(String).join('; ')}`);
    })();
    return this._disposed;
  }

  /**
   * At process exit, when nothing can be awaited (`process.exit()`, an uncaught exception, a second Ctrl-C in
   * the demo): SIGKILL each running container by its pid, then remove its cgroup and the files, waiting
   * synchronously (a killed process leaves its cgroup within milliseconds; at most `timeoutMillis` in all).
   * What cannot be removed is left to the next run's sweep.
   */
  _disposeNow(timeoutMillis = 5000): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    for (const container of this._containers) {
      if (container.exit !== undefined) continue;
      try {
        process.kill(container.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const deadline = performance.now() + timeoutMillis;
    for (const cgroup of this._cgroups) cgroup.removeNow(Math.max(0, deadline - performance.now()));
    for (const file of this._files) rmSync(file, { force: true });
    liveTasks.delete(this);
  }

  private _scheduleRefresh(): void {
    this._timer = setTimeout(() => {
      if (this._holds === 0) this._refresh();
      this._scheduleRefresh();
    }, this._refreshIntervalMillis);
    this._timer.unref();
  }

  private _refresh(): void {
    const atMillis = performance.timeOrigin + performance.now();
    const previous = this.refreshes[this.refreshes.length - 1];
    const containers = new Map<string, RefreshedContainer>();
    const entries: Record<string, unknown> = {};
    for (const container of this._containers) {
      const sample = container.exit === undefined ? readSampleOrUndefined(container.cgroup) : undefined;
      if (sample === undefined) {
        containers.set(container.name, { dockerId: container.dockerId, read: undefined, sample: undefined });
        entries[container.dockerId] = this._options.stoppedStats === 'empty' ? {} : null;
        continue;
      }
      const read = rfc3339Nano(performance.timeOrigin + performance.now());
      const preread = previous?.containers.get(container.name)?.read ?? ZERO_TIME;
      containers.set(container.name, { dockerId: container.dockerId, read, sample });
      entries[container.dockerId] = dockerStatsEntry({
        dockerId: container.dockerId,
        name: `/${this._specs.get(container.name)!.dockerName}`,
        read,
        preread,
        sample,
        pids: container.cgroup.taskCount(),
        onlineCpus: availableParallelism(),
      });
    }
    const refresh: Refresh = { seq: (previous?.seq ?? 0) + 1, atMillis, containers, statsJson: toExactJson(entries) };
    this.refreshes.push(refresh);
    for (const listener of [...this._listeners]) listener(refresh);
  }

  private _describe(container: KernelContainer): ContainerDescription {
    const spec = this._specs.get(container.name)!;
    return {
      dockerId: container.dockerId,
      name: container.name,
      dockerName: spec.dockerName,
      memoryLimitMib: spec.metadataMemoryLimitMib,
      startedAtMillis: container.startedAtMillis,
      exit: container.exit,
      ipv4Address: spec.ipv4Address,
    };
  }
}

/** Runs `body` with a started task and disposes of it afterwards, also when `body` throws. */
export async function withKernelTask<T>(options: KernelTaskOptions, body: (task: KernelTask) => T | Promise<T>): Promise<T> {
  const task = await KernelTask.start(options);
  let result: T;
  try {
    result = await body(task);
  } catch (error) {
    throw await withCleanup(task, error);
  }
  await task.dispose();
  return result;
}

/** Disposes of `task` after `error`; a cleanup failure is reported beside `error`, not instead of it. */
async function withCleanup(task: KernelTask, error: unknown): Promise<unknown> {
  const cleanup = await task.dispose().then(() => undefined, (cleanupError: unknown) => cleanupError);
  return cleanup === undefined ? error : new AggregateError([error, cleanup], `${String(error)}; and then ${(cleanup as Error).message}`);
}

/** The raw figures of `name` at `refresh`; throws if it was not running then. */
export function sampleAt(refresh: Refresh, name: string): CgroupMemorySample {
  const sample = refresh.containers.get(name)?.sample;
  if (sample === undefined) throw new Error(`container ${name} was not running at refresh ${refresh.seq}`);
  return sample;
}

function readSampleOrUndefined(cgroup: MemoryCgroup): CgroupMemorySample | undefined {
  try {
    return cgroup.readSample();
  } catch {
    return undefined; // removed under us: the container is gone
  }
}

/** A process that ends without dispose() still ends its containers and removes their cgroups and files. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const task of liveTasks) {
      task._disposeNow();
    }
  });
}
