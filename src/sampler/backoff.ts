/** Longest wait between two polls while the endpoint keeps failing (unless it asks for longer). */
export const MAX_BACKOFF_MILLIS = 60_000;

/**
 * The wait before the next poll. A success, or a single failure, waits one sampling interval: one bad
 * answer costs one sample. From the second consecutive failure the wait doubles up to
 * max(interval, 60 s), with "equal jitter" (half fixed, half random) so that the tasks of a service do not
 * retry in step; never less than one interval. A 429 waits at least its `Retry-After` and at least the
 * endpoint's refresh cadence: polling faster than the endpoint refreshes only re-reads its cache.
 */
export function nextPollDelayMillis(input: {
  readonly sampleIntervalMillis: number;
  readonly consecutiveFailures: number;
  readonly retryAfterMillis: number | undefined;
  readonly refreshIntervalMillis: number | undefined;
  readonly rateLimited: boolean;
  readonly random: () => number;
}): number {
  const interval = input.sampleIntervalMillis;
  let delay = interval;
  if (input.consecutiveFailures >= 2) {
    const cap = Math.max(interval, MAX_BACKOFF_MILLIS);
    const base = Math.min(cap, interval * 2 ** (input.consecutiveFailures - 1));
    delay = Math.max(interval, base / 2 + (base / 2) * input.random());
  }
  if (input.rateLimited) {
    delay = Math.max(delay, input.retryAfterMillis ?? 0, input.refreshIntervalMillis ?? 0);
  }
  return delay;
}
