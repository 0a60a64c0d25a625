/**
 * A `setTimer` for TaskStatsSampler that records each delay the sampler asks for and runs the poll only when
 * the test says so: the schedule is asserted through the delay itself, never through wall-clock time.
 */
export class RecordingScheduler {
  /** Every delay the sampler scheduled, in order. */
  readonly delays: number[] = [];
  private _poll: (() => void) | undefined;
  private _placeholder: NodeJS.Timeout | undefined;
  private _waiters: Array<(delayMillis: number) => void> = [];

  /** Pass as `setTimer` in the sampler options. */
  readonly setTimer = (poll: () => void, delayMillis: number): NodeJS.Timeout => {
    this.delays.push(delayMillis);
    this._poll = poll;
    this._clearPlaceholder();
    // The sampler keeps and clears a real Timeout; this one never fires the poll (2^31 - 1 ms is the maximum).
    this._placeholder = setTimeout(() => undefined, 2 ** 31 - 1);
    const waiters = this._waiters;
    this._waiters = [];
    for (const wake of waiters) wake(delayMillis);
    return this._placeholder;
  };

  /** Resolves with the next delay the sampler schedules (after start(), or after a poll it was told to run). */
  nextDelay(): Promise<number> {
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  /** Runs the scheduled poll now and resolves with the delay the sampler schedules after it. */
  async runScheduledPoll(): Promise<number> {
    const poll = this._poll;
    if (poll === undefined) throw new Error('no poll is scheduled');
    this._poll = undefined;
    this._clearPlaceholder();
    const next = this.nextDelay();
    poll();
    return next;
  }

  /** Clears the placeholder timer (the sampler's stop() clears it too). */
  dispose(): void {
    this._clearPlaceholder();
    this._poll = undefined;
  }

  private _clearPlaceholder(): void {
    if (this._placeholder !== undefined) clearTimeout(this._placeholder);
    this._placeholder = undefined;
  }
}
