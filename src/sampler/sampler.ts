import { diag } from '@opentelemetry/api';
import { MetadataEndpointClient } from '../metadata/endpoint-client';
import type { FetchResult } from '../metadata/fetch-result';
import { peakUsageBytes } from '../normalise/memory-figures';
import { parseTaskMetadata, type DuplicateName, type ImpossibleMemoryLimit, type TaskMetadata } from '../normalise/task-metadata';
import { readTaskStats, type ContainerReading, type TaskStatsReading } from '../normalise/task-stats';
import { quoteForLog } from '../log-text';
import { PACKAGE_NAME } from '../version';
import { nextPollDelayMillis } from './backoff';
import { DiagOnce } from './diag-once';
import { RefreshSchedule, type RefreshObservation } from './refresh-schedule';
import { toSampledContainer, type SampledContainer } from './sampled-container';

/**
 * The OpenTelemetry SDK's default cardinality limit: 2000 series per metric (sdk-metrics `MetricReader`).
 * Its async storage keeps 1999 attribute sets and folds every further one into a single series with the
 * attribute `otel.metric.overflow: true`, so from 2000 containers on, some are no longer told apart.
 */
const SDK_DEFAULT_CARDINALITY_LIMIT = 2000;

/** Resolved, validated settings of a {@link TaskStatsSampler}. */
export interface SamplerOptions {
  readonly metadataUri: URL;
  readonly sampleIntervalMillis: number;
  readonly requestTimeoutMillis: number;
  readonly maxResponseBytes: number;
  readonly staleAfterMillis: number;
  readonly includeContainer: (containerName: string) => boolean;
  /** Monotonic milliseconds; tests pass their own. */
  readonly clock?: () => number;
  /** [0, 1); tests pass their own. */
  readonly random?: () => number;
  /** Schedules the next poll (default `setTimeout`; the timer is unref'd); tests pass their own to see the delay. */
  readonly setTimer?: (poll: () => void, delayMillis: number) => NodeJS.Timeout;
}

/** What the sampler keeps per running container between samples. */
interface ContainerState {
  readonly read: string | undefined;
  readonly peakBytes: number;
  readonly included: boolean;
  readonly reported: SampledContainer | undefined;
}

/** Counters for tests, benchmarks and the soak script. */
export interface SamplerCounters {
  samples: number;
  /** Samples that brought nothing new: the same body, or the same `read` of every container. */
  duplicateSamples: number;
  failures: number;
  taskRequests: number;
  /** `/task/stats` bodies given to JSON.parse: a body equal to the previous one is not. */
  statsBodiesParsed: number;
  /** `/task/stats` payloads normalised: one whose every `read` is unchanged is not. */
  statsPayloadsNormalised: number;
}

/**
 * Polls `/task/stats` in the background on one keep-alive connection, reads `/task` at start and again only
 * when an unknown DockerId appears, and keeps the latest figures per container for the observable callback.
 * Never throws, never rejects, never keeps the process alive (its timer is unref'd), never overlaps polls.
 */
export class TaskStatsSampler {
  readonly counters: SamplerCounters = { samples: 0, duplicateSamples: 0, failures: 0, taskRequests: 0, statsBodiesParsed: 0, statsPayloadsNormalised: 0 };
  private readonly _options: SamplerOptions;
  private readonly _clock: () => number;
  private readonly _random: () => number;
  private readonly _logger = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  private readonly _diag = new DiagOnce(this._logger);
  /** Containers already told about an estimated inactive file figure: once per container, not per sample. */
  private readonly _estimateAnnounced = new Set<string>();
  private _client: MetadataEndpointClient | undefined;
  private _timer: NodeJS.Timeout | undefined;
  private _running = false;
  /**
   * Bumped by stop(): a polling loop started before it ends at its next step, even if start() came since,
   * and a sample in flight learns it was cut short on purpose (its failure is not the endpoint's).
   */
  private _generation = 0;
  private _inFlight: Promise<void> | undefined;
  private _task: TaskMetadata | undefined;
  private readonly _askedAboutUnknown = new Set<string>();
  private _states = new Map<string, ContainerState>();
  private _reported: readonly SampledContainer[] = [];
  private _consecutiveFailures = 0;
  private _lastFailure: Extract<FetchResult, { ok: false }> | undefined;
  private _refreshIntervalMillis: number | undefined;
  /** A failed `/task` re-read during a sample that succeeded otherwise. */
  private _refreshFailure: Extract<FetchResult, { ok: false }> | undefined;
  private readonly _schedule = new RefreshSchedule();
  /**
   * The last `/task/stats` body fully applied, and each entry's `read` in it: the same again is skipped before
   * JSON.parse, or before normalisation. Unset while something of it is pending (a `/task` re-read that failed).
   */
  private _applied: { readonly text: string; readonly reads: Map<string, string | null> } | undefined;

  constructor(options: SamplerOptions) {
    this._options = options;
    this._clock = options.clock ?? (() => performance.now());
    this._random = options.random ?? Math.random;
  }

  /** Starts polling: one sample now, then one per interval. Idempotent. */
  start(): void {
    if (this._running) return;
    this._running = true;
    void this._runAndReschedule(this._generation);
  }

  /** Stops polling and closes the connection. Idempotent; the figures sampled so far are kept. */
  stop(): void {
    this._running = false;
    this._generation++;
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
    const client = this._client;
    this._client = undefined;
    void client?.close();
  }

  /** Samples now (or joins the sample in flight). Resolves when done; never rejects. */
  sampleNow(): Promise<void> {
    this._inFlight ??= this._sample().finally(() => {
      this._inFlight = undefined;
    });
    return this._inFlight;
  }

  /** The figures to report now: running, included containers whose sample is not stale. */
  current(): readonly SampledContainer[] {
    const oldestFresh = this._clock() - this._options.staleAfterMillis;
    const reported = this._reported;
    for (const container of reported) {
      if (container.freshAtMillis < oldestFresh) return reported.filter((c) => c.freshAtMillis >= oldestFresh);
    }
    return reported;
  }

  private async _runAndReschedule(generation: number): Promise<void> {
    await this.sampleNow();
    // stop() then start() while this sample was in flight started another loop: this one must end here.
    if (!this._running || generation !== this._generation) return;
    const failure = this._lastFailure;
    let delay = nextPollDelayMillis({
      sampleIntervalMillis: this._options.sampleIntervalMillis,
      consecutiveFailures: this._consecutiveFailures,
      retryAfterMillis: failure?.retryAfterMillis,
      refreshIntervalMillis: this._refreshIntervalMillis,
      rateLimited: failure?.kind === 'rate-limited',
      random: this._random,
    });
    if (failure === undefined && this._consecutiveFailures === 0) {
      // Nothing new can be read before the endpoint's next refresh: poll shortly after it, never more often
      // than the interval (issue 15).
      const now = this._clock();
      const nextRefreshAt = this._schedule.nextPollAt(now);
      if (nextRefreshAt !== undefined) delay = Math.max(delay, nextRefreshAt - now);
    }
    this._timer = (this._options.setTimer ?? setTimeout)(() => void this._runAndReschedule(generation), delay);
    this._timer.unref();
  }

  private async _sample(): Promise<void> {
    const generation = this._generation;
    try {
      const outcome = await this._fetchAndApply();
      if (outcome === undefined) this._succeeded();
      // A request cut short by stop() (shutdown, disable) is not the endpoint's failure: nothing to log.
      else if (generation === this._generation) this._failed(outcome);
    } catch (error) {
      // Nothing above should throw; if it does, it costs this sample, never the application.
      this._failed({ ok: false, kind: 'connection', message: `unexpected error while sampling: ${quoteForLog(String(error))}` });
    }
  }

  /** Returns undefined on success, else the failure that cost this sample. */
  private async _fetchAndApply(): Promise<Extract<FetchResult, { ok: false }> | undefined> {
    const client = (this._client ??= new MetadataEndpointClient(this._options));
    if (this._task === undefined) {
      const failure = await this._refreshTask(client);
      if (failure !== undefined) return failure;
    }
    const applied = this._applied;
    const sentAt = this._clock();
    const result = await client.getJson('/task/stats', applied?.text);
    if (!result.ok) return result;
    const receivedAt = this._clock();
    if (result.unchanged) return this._unchanged(sentAt);
    this.counters.statsBodiesParsed++;
    const reads = readsOf(result.payload);
    if (applied !== undefined && reads !== undefined && sameReads(applied.reads, reads)) {
      this._applied = { text: result.text, reads };
      return this._unchanged(sentAt);
    }
    this._applied = undefined;
    this.counters.statsPayloadsNormalised++;
    let reading = this._read(result.payload);
    if (reading === undefined) return invalidPayload('/task/stats');
    const newUnknown = reading.unknownDockerIds.filter((id) => !this._askedAboutUnknown.has(id));
    const refreshFailure = newUnknown.length > 0 ? await this._refreshTask(client) : undefined;
    if (newUnknown.length > 0 && refreshFailure === undefined) {
      // Ask `/task` about each unknown ID once: internal containers stay unknown, and must not cost a
      // `/task` request on every poll.
      for (const id of newUnknown) this._askedAboutUnknown.add(id);
      reading = this._read(result.payload) ?? reading;
    }
    if (reading.invalidDockerIds.length > 0) {
      this._diag.warn('invalid-usage', `dropped the sample of ${describeIds(reading.invalidDockerIds)}: memory_stats.usage is not a valid byte count (on Windows: commitbytes, else usage)`);
    }
    this._apply(reading);
    this._schedule.observe(refreshObservation(reading, sentAt, receivedAt));
    // A sample whose `/task` re-read failed is not settled: the same payload must be read again.
    if (refreshFailure === undefined && reads !== undefined) this._applied = { text: result.text, reads };
    if (refreshFailure !== undefined) {
      // The stats still count; a 429 on `/task` must still set the next poll's delay (Retry-After).
      this._refreshFailure = refreshFailure;
      this._diag.warn(refreshFailure.kind, `new container(s) not named yet: ${refreshFailure.message}`);
    }
    return undefined;
  }

  /** The endpoint served its cache again: nothing to parse or apply; the schedule learns it was not new yet. */
  private _unchanged(sentAt: number): undefined {
    this.counters.duplicateSamples++;
    this._schedule.observeUnchanged(sentAt);
    return undefined;
  }

  private _read(payload: unknown): TaskStatsReading | undefined {
    return this._task === undefined ? undefined : readTaskStats(payload, this._task);
  }

  private async _refreshTask(client: MetadataEndpointClient): Promise<Extract<FetchResult, { ok: false }> | undefined> {
    this.counters.taskRequests++;
    const result = await client.getJson('/task');
    if (!result.ok) return result;
    const task = parseTaskMetadata(result.payload);
    if (task === undefined) return invalidPayload('/task');
    if (task.impossibleMemoryLimits.length > 0) {
      this._diag.warn(
        'impossible-memory-limit',
        `/task Limits.Memory cannot be real (not finite, or 2^42 MiB = 2^62 bytes or more): ${describeLimits(task.impossibleMemoryLimits)}; treated as not set, the next limit applies (the task's, then the cgroup's)`,
      );
    }
    if (task.unnamedDockerIds.length > 0) {
      this._diag.warn('unnamed-container', `not reporting ${describeIds(task.unnamedDockerIds)}: its /task entry has a Name that is not a non-empty string`);
    }
    if (task.duplicateNames.length > 0) {
      this._diag.warn('duplicate-container-name', describeDuplicates(task.duplicateNames));
    }
    this._task = task;
    return undefined;
  }

  private _apply(reading: TaskStatsReading): void {
    const task = this._task!;
    const now = this._clock();
    const states = new Map<string, ContainerState>();
    const reported: SampledContainer[] = [];
    const estimated: ContainerReading[] = [];
    let changed = false;
    for (const containerReading of reading.containers) {
      const { container, stats } = containerReading;
      const previous = this._states.get(container.dockerId);
      let state: ContainerState;
      if (previous !== undefined && stats.read !== undefined && previous.read === stats.read) {
        state = previous; // The endpoint served its cached sample again: nothing new, not fresher.
      } else {
        changed = true;
        const included = previous?.included ?? this._includes(container.name);
        const peakBytes = peakUsageBytes(stats, previous?.peakBytes);
        state = {
          read: stats.read,
          peakBytes,
          included,
          reported: included ? toSampledContainer(containerReading, task, peakBytes, now) : undefined,
        };
        if (stats.refreshIntervalMillis !== undefined) this._refreshIntervalMillis = stats.refreshIntervalMillis;
        if (included && containerReading.inactiveFileEstimate !== undefined) estimated.push(containerReading);
      }
      states.set(container.dockerId, state);
      if (state.reported !== undefined) reported.push(state.reported);
    }
    // A container whose sample was invalid keeps its last figures, which go stale if it stays invalid.
    for (const id of reading.invalidDockerIds) {
      const previous = this._states.get(id);
      if (previous === undefined) continue;
      states.set(id, previous);
      if (previous.reported !== undefined) reported.push(previous.reported);
    }
    // A Set, not Array.includes: the payload decides how many IDs there are (a hostile 1 MiB one has ~20 000),
    // and a quadratic loop over them blocked the event loop for seconds on every poll.
    if (this._askedAboutUnknown.size > 0) {
      const stillUnknown = new Set(reading.unknownDockerIds);
      for (const id of this._askedAboutUnknown) {
        if (!stillUnknown.has(id)) this._askedAboutUnknown.delete(id);
      }
    }
    if (reported.length >= SDK_DEFAULT_CARDINALITY_LIMIT) {
      this._diag.warn(
        'cardinality',
        `the task has ${reported.length} containers to report, more than the OpenTelemetry SDK's default cardinality limit keeps apart (${SDK_DEFAULT_CARDINALITY_LIMIT} series per metric, one of them otel.metric.overflow): all but ${SDK_DEFAULT_CARDINALITY_LIMIT - 1} fold into the otel.metric.overflow series unless the MeterProvider's reader sets higher cardinalityLimits`,
      );
    }
    if (changed || states.size !== this._states.size) this._reported = reported;
    else this.counters.duplicateSamples++;
    // Containers absent from this payload (stopped, gone) are dropped: no stale series, bounded memory.
    this._states = states;
    this._announceEstimates(estimated);
  }

  /** Says once per container that its working set rests on an estimated inactive file figure (issue 13). */
  private _announceEstimates(estimated: readonly ContainerReading[]): void {
    for (const id of this._estimateAnnounced) if (!this._states.has(id)) this._estimateAnnounced.delete(id);
    const fresh = estimated.filter((r) => !this._estimateAnnounced.has(r.container.dockerId));
    for (const r of fresh) this._estimateAnnounced.add(r.container.dockerId);
    for (const origin of ['estimated', 'estimated-without-shmem'] as const) {
      const names = fresh.filter((r) => r.inactiveFileEstimate === origin).map((r) => r.container.name);
      if (names.length === 0) continue;
      const caveat = origin === 'estimated' ? '' : '; shmem is missing too and counts as 0, so both figures may be low by the container\'s shared memory and tmpfs';
      this._logger.warn(`${describeIds(names)}: memory_stats.stats has no inactive_file; MemoryWorkingSet and MemoryUtilized use max(0, file − active_file − shmem) instead${caveat}`);
    }
  }

  private _includes(containerName: string): boolean {
    try {
      return this._options.includeContainer(containerName);
    } catch (error) {
      this._diag.warn('include-filter', `includeContainers threw for ${quoteForLog(containerName)}; the container is reported: ${quoteForLog(String(error))}`);
      return true;
    }
  }

  private _succeeded(): void {
    this.counters.samples++;
    if (this._consecutiveFailures > 0) {
      this._diag.info('recovered', `task metadata endpoint answered again after ${this._consecutiveFailures} failed sample(s)`);
    }
    this._consecutiveFailures = 0;
    this._lastFailure = this._refreshFailure;
    this._refreshFailure = undefined;
  }

  private _failed(failure: Extract<FetchResult, { ok: false }>): void {
    this.counters.failures++;
    this._consecutiveFailures++;
    this._lastFailure = failure;
    this._diag.warn(failure.kind, `sample dropped: ${failure.message}`);
  }
}

/**
 * Each entry's `read` (null for an entry that is not a running container's: null, `{}`, not an object), or
 * undefined when an entry has none to compare: a payload of those is always read in full.
 */
function readsOf(payload: unknown): Map<string, string | null> | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const reads = new Map<string, string | null>();
  for (const [id, entry] of Object.entries(payload as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) reads.set(id, null);
    else if (typeof (entry as { read?: unknown }).read === 'string') reads.set(id, (entry as { read: string }).read);
    else if (Object.keys(entry).length === 0) reads.set(id, null);
    else return undefined;
  }
  return reads;
}

function sameReads(a: ReadonlyMap<string, string | null>, b: ReadonlyMap<string, string | null>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, read] of b) if (a.get(id) !== read) return false;
  return true;
}

/** What the refresh schedule learns from a sample: when it was asked and answered, and each container's `read`. */
function refreshObservation(reading: TaskStatsReading, sentAt: number, receivedAt: number): RefreshObservation {
  return {
    sentAt,
    receivedAt,
    containers: reading.containers.map(({ stats }) => ({
      readMillis: stats.read === undefined ? NaN : Date.parse(stats.read),
      cadenceMillis: stats.refreshIntervalMillis,
    })),
  };
}

function invalidPayload(path: string): Extract<FetchResult, { ok: false }> {
  return { ok: false, kind: 'invalid-payload', message: `GET ${path} answered JSON of the wrong shape` };
}

/** Says which container of a repeated name is reported, for the first three repeats; `/task` decides how many. */
function describeDuplicates(duplicates: readonly DuplicateName[]): string {
  const shown = duplicates
    .slice(0, 3)
    .map((d) => `more than one container named ${quoteForLog(d.name)}: reporting the first in /task order (${quoteForLog(d.keptDockerId)}), not ${quoteForLog(d.droppedDockerId)}`)
    .join('; ');
  return `/task has ${shown}${duplicates.length > 3 ? `; and ${duplicates.length - 3} more repeated names` : ''}`;
}

/** Names at most three impossible limits and counts the rest: `/task` decides how many there are. */
function describeLimits(limits: readonly ImpossibleMemoryLimit[]): string {
  const shown = limits
    .slice(0, 3)
    .map((l) => `${l.containerName === undefined ? 'task' : `container ${quoteForLog(l.containerName)}`} ${String(l.memoryMib)} MiB`)
    .join(', ');
  return limits.length > 3 ? `${shown} and ${limits.length - 3} more` : shown;
}

/**
 * Names at most three containers (Docker IDs or names), each quoted for a log line: the endpoint decides how
 * many there are and what they contain, and a log line must stay short and be one line.
 */
export function describeIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map(quoteForLog).join(', ');
  return ids.length > 3 ? `${ids.length} containers (${shown}, …)` : `container(s) ${shown}`;
}
