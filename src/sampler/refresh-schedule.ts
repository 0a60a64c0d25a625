/**
 * When the endpoint will have something new. The endpoint serves a cached sample that it refreshes on a
 * cadence (`read − preread`: ~10 s on Fargate and Managed Instances, ~1 s on EC2); a poll between two refreshes
 * can only read the cache again (issue 15). This learns where the refreshes fall on the sampler's clock, from
 * what the endpoint serves, and says when to poll so that each refresh is read once, shortly after it is due.
 *
 * The endpoint's `read` is its own wall clock; the sampler's clock is another (monotonic, and tests pass a hand
 * clock). Their difference, `offset` (a `read` becomes available at sampler time `read − offset`), is not
 * measured but bounded by what each answer proves:
 * - an answer received at `receivedAt` with newest `read` r: r was available by then, so offset ≥ r − receivedAt;
 * - a poll sent at `sentAt` that still saw the previous newest `read`, followed by one that sees r: r was not
 *   available then, so offset < r − sentAt.
 * Polling at `r + cadence − lowerBound` is never early; it is late by at most the bounds' width, which is why
 * the schedule is used only while that width leaves room before the refresh after (see {@link nextPollAt}).
 * Bounds widen with age (two clocks drift), a contradiction (a clock stepped, the agent restarted) drops
 * them, and until a refresh has been seen happen between two polls the sampler polls at its interval.
 */

/** Added after the refresh is due: for the agent's own jitter (Fargate's `read − preread` varies by ms). */
export const REFRESH_MARGIN_MILLIS = 250;
/** How far two clocks may drift apart, per ms: 100 ppm, far above NTP-disciplined clocks. */
const DRIFT_PER_MILLI = 1e-4;

/** One successful `/task/stats` answer, as the schedule needs it. */
export interface RefreshObservation {
  /** Sampler clock when the request was sent, and when its body was in. */
  readonly sentAt: number;
  readonly receivedAt: number;
  /** Each reported container's `read` (ms, endpoint clock) and `read − preread` (undefined when not known). */
  readonly containers: ReadonlyArray<{ readonly readMillis: number; readonly cadenceMillis: number | undefined }>;
}

/** A bound on the offset, measured at sampler time `at`; it widens by the drift allowance as it ages. */
interface Bound {
  readonly value: number;
  readonly at: number;
}

/** What the newest answer said about the refreshes: undefined when they follow no cadence we can use. */
interface Cadence {
  readonly newestRead: number;
  readonly minMillis: number;
  readonly maxMillis: number;
  /** How far apart the containers' refreshes fall: spread of their reads plus the spread of their cadences. */
  readonly spreadMillis: number;
}

/** Learns the endpoint's refresh times and tells when the next one is due. */
export class RefreshSchedule {
  private _lower: Bound | undefined;
  private _upper: Bound | undefined;
  private _newestRead: number | undefined;
  /** Send time of the latest poll that saw `_newestRead` as the newest read. */
  private _lastSentSeeingNewest: number | undefined;
  private _cadence: Cadence | undefined;

  /** Records one successful answer whose figures were read. */
  observe(observation: RefreshObservation): void {
    const { sentAt, receivedAt, containers } = observation;
    if (containers.length === 0) return;
    let newest = -Infinity;
    let oldest = Infinity;
    let minCadence = Infinity;
    let maxCadence = -Infinity;
    let cadenceKnown = true;
    for (const { readMillis, cadenceMillis } of containers) {
      if (!Number.isFinite(readMillis) || cadenceMillis === undefined) cadenceKnown = false;
      if (!Number.isFinite(readMillis)) continue;
      newest = Math.max(newest, readMillis);
      oldest = Math.min(oldest, readMillis);
      if (cadenceMillis === undefined) continue;
      minCadence = Math.min(minCadence, cadenceMillis);
      maxCadence = Math.max(maxCadence, cadenceMillis);
    }
    if (!Number.isFinite(newest)) {
      this._cadence = undefined;
      return;
    }
    const previous = this._newestRead;
    if (previous !== undefined && newest < previous) this._forget(); // the endpoint went back in time (a restart)
    if (previous !== undefined && newest === previous) {
      this.observeUnchanged(sentAt); // the cache again: only a later send time that still saw it
      return;
    }
    const lower = newest - receivedAt;
    const sentBefore = this._lastSentSeeingNewest;
    const upper = this._newestRead !== undefined && sentBefore !== undefined ? newest - sentBefore : undefined;
    if (lower >= this._lowerAt(receivedAt)) this._lower = { value: lower, at: receivedAt };
    if (upper !== undefined && upper <= this._upperAt(receivedAt)) this._upper = { value: upper, at: receivedAt };
    if (this._lowerAt(receivedAt) > this._upperAt(receivedAt)) {
      // The bounds contradict each other: a clock stepped. Keep what this answer proves, drop the rest.
      this._lower = { value: lower, at: receivedAt };
      this._upper = upper === undefined ? undefined : { value: upper, at: receivedAt };
    }
    const allowance = jitterAllowance(minCadence);
    const regular =
      cadenceKnown &&
      maxCadence - minCadence <= allowance &&
      (this._cadence === undefined || Math.abs(this._cadence.minMillis - minCadence) <= allowance) &&
      // Refreshes seen closer together than `read − preread` says: that is not the cadence the cache follows.
      (previous === undefined || newest - previous >= minCadence - allowance);
    // A cadence that changed is not trusted at once: the next answer that keeps it starts it afresh.
    this._cadence = regular ? { newestRead: newest, minMillis: minCadence, maxMillis: maxCadence, spreadMillis: newest - oldest + (maxCadence - minCadence) } : undefined;
    this._newestRead = newest;
    this._lastSentSeeingNewest = sentAt;
  }

  /** Records an answer that served what the previous one did (same body, or same `read`s), sent at `sentAt`. */
  observeUnchanged(sentAt: number): void {
    if (this._newestRead !== undefined) this._lastSentSeeingNewest = sentAt;
  }

  /**
   * Sampler time of the first poll that will see the next refresh, or undefined when the refreshes follow no
   * cadence that can be trusted: unknown (a container's first sample, no `preread`), containers refreshing
   * out of step or at changing cadences, or a refresh time known less precisely than it takes to still come
   * before the refresh after. The caller polls at its interval then, and never more often than it.
   */
  nextPollAt(now: number): number | undefined {
    const cadence = this._cadence;
    if (cadence === undefined || this._lower === undefined || this._upper === undefined) return undefined;
    const lower = this._lowerAt(now);
    const width = this._upperAt(now) - lower;
    // Polling at the lower bound is late by up to `width`: the poll must still come before the next refresh
    // of every container after that, with the margin and the agent's jitter to spare.
    if (cadence.spreadMillis + width + REFRESH_MARGIN_MILLIS + jitterAllowance(cadence.minMillis) >= cadence.minMillis) return undefined;
    return cadence.newestRead + cadence.maxMillis - lower + REFRESH_MARGIN_MILLIS;
  }

  private _lowerAt(now: number): number {
    return this._lower === undefined ? -Infinity : this._lower.value - DRIFT_PER_MILLI * (now - this._lower.at);
  }

  private _upperAt(now: number): number {
    return this._upper === undefined ? Infinity : this._upper.value + DRIFT_PER_MILLI * (now - this._upper.at);
  }

  private _forget(): void {
    this._lower = undefined;
    this._upper = undefined;
    this._newestRead = undefined;
    this._lastSentSeeingNewest = undefined;
    this._cadence = undefined;
  }
}

/** How much a cadence may vary and still be one: a tenth of it, at least 100 ms. */
function jitterAllowance(cadenceMillis: number): number {
  return Math.max(100, cadenceMillis / 10);
}
