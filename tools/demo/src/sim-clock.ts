/**
 * Simulated time: the demo runs a task's minutes in seconds. Simulated second 0 is the moment the demo
 * started; `speed` simulated seconds pass per real second.
 */
import { performance } from 'node:perf_hooks';

/** A clock that maps real elapsed time to simulated seconds. */
export class SimClock {
  private readonly startPerf: number;
  /** Wall-clock time (ms since epoch) of simulated second 0; payload timestamps count from here. */
  readonly startEpochMillis: number;

  constructor(readonly speed: number) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
    this.startPerf = performance.now();
    this.startEpochMillis = Date.now();
  }

  /** Simulated seconds elapsed since the start. */
  nowSeconds(): number {
    return ((performance.now() - this.startPerf) / 1000) * this.speed;
  }

  /** Real milliseconds that `simSeconds` of simulated time take. */
  realMillis(simSeconds: number): number {
    return (simSeconds * 1000) / this.speed;
  }
}

/** Resolves after `ms` real milliseconds, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise) => {
    if (signal?.aborted === true) return resolvePromise();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolvePromise();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** mm:ss of a simulated second count. */
export function formatSimTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
