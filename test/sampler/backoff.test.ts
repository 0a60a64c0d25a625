import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_BACKOFF_MILLIS, nextPollDelayMillis } from '../../src/sampler/backoff';

const INTERVAL = 5000;

function delay(consecutiveFailures: number, random: number, more: Partial<Parameters<typeof nextPollDelayMillis>[0]> = {}): number {
  return nextPollDelayMillis({
    sampleIntervalMillis: INTERVAL,
    consecutiveFailures,
    retryAfterMillis: undefined,
    refreshIntervalMillis: undefined,
    rateLimited: false,
    random: () => random,
    ...more,
  });
}

/** The un-jittered ceiling after `n` consecutive failures: the interval doubled per failure after the first, capped. */
function ceiling(n: number, interval = INTERVAL): number {
  return Math.min(Math.max(interval, MAX_BACKOFF_MILLIS), interval * 2 ** (n - 1));
}

/** Just below 1: Math.random() never returns 1. */
const ALMOST_ONE = 1 - 2 ** -52;

describe('nextPollDelayMillis', () => {
  it('waits exactly one interval after a success and after a single failure, whatever the jitter', () => {
    for (const random of [0, 0.5, ALMOST_ONE]) {
      assert.equal(delay(0, random), INTERVAL);
      assert.equal(delay(1, random), INTERVAL);
    }
  });

  it('from the second failure in a row, stays within [ceiling / 2, ceiling] and never below one interval', () => {
    for (let n = 2; n <= 12; n++) {
      const low = delay(n, 0);
      const high = delay(n, ALMOST_ONE);
      assert.equal(low, Math.max(INTERVAL, ceiling(n) / 2), `n=${n}`);
      // ceiling/2 + ceiling/2 × (1 − 2^-52) may round to the ceiling itself in floating point.
      assert.ok(high <= ceiling(n) && high > ceiling(n) - 1, `n=${n}: ${high}`);
      assert.ok(low >= INTERVAL);
    }
  });

  it('jitters: the delay spans its range as the random draw does (equal jitter: half fixed, half random)', () => {
    const n = 4; // ceiling 8 × interval = 40 s, below the cap
    for (const random of [0, 0.25, 0.5, 0.75]) {
      assert.equal(delay(n, random), ceiling(n) / 2 + (ceiling(n) / 2) * random);
    }
  });

  it('grows monotonically with consecutive failures for a given draw, up to the cap', () => {
    for (const random of [0, 0.5, ALMOST_ONE]) {
      let previous = 0;
      for (let n = 1; n <= 40; n++) {
        const current = delay(n, random);
        assert.ok(current >= previous, `n=${n}, random=${random}: ${current} < ${previous}`);
        previous = current;
      }
    }
    assert.ok(delay(3, 0.5) > delay(2, 0.5));
  });

  it('never exceeds 60 s, even after thousands of failures (no Infinity, no NaN)', () => {
    for (const n of [13, 100, 1024, 5000]) {
      const d = delay(n, ALMOST_ONE);
      assert.ok(Number.isFinite(d) && d <= MAX_BACKOFF_MILLIS && d >= MAX_BACKOFF_MILLIS / 2, `n=${n}: ${d}`);
    }
  });

  it('with an interval above 60 s, the cap is the interval itself', () => {
    const interval = 120_000;
    for (const n of [1, 2, 10]) {
      assert.equal(delay(n, ALMOST_ONE, { sampleIntervalMillis: interval }), interval);
    }
  });

  it('after a 429 waits at least Retry-After and at least the refresh cadence, whichever is longer', () => {
    const rateLimited = true;
    assert.equal(delay(1, 0.5, { rateLimited, retryAfterMillis: 42_000, refreshIntervalMillis: 10_000 }), 42_000);
    assert.equal(delay(1, 0.5, { rateLimited, retryAfterMillis: 1000, refreshIntervalMillis: 10_000 }), 10_000);
    assert.equal(delay(1, 0.5, { rateLimited, retryAfterMillis: undefined, refreshIntervalMillis: undefined }), INTERVAL);
    // Backoff still applies when it is the longest wait.
    assert.equal(delay(5, 0, { rateLimited, retryAfterMillis: 1000, refreshIntervalMillis: 10_000 }), ceiling(5) / 2);
  });

  it('ignores Retry-After and the refresh cadence when the failure was not a 429', () => {
    assert.equal(delay(1, 0.5, { retryAfterMillis: 42_000, refreshIntervalMillis: 10_000 }), INTERVAL);
  });
});
