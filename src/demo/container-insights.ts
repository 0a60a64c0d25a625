/**
 * What a Container Insights-style view shows: the ECS agent's "memory utilized" figure (usage − cache on
 * cgroup v1, usage − inactive_file on v2) of each sample the endpoint served, averaged into one point per
 * minute (CloudWatch's 1-minute period, statistic Average). The formula itself is the package's
 * `containerInsightsUtilizedBytes` (src/normalise/memory-figures.ts): one formula, one place.
 */
import { parseContainerStats } from '../normalise/container-stats';
import { containerInsightsUtilizedBytes } from '../normalise/memory-figures';

/** The Container Insights figure of one `/task/stats` entry in bytes; undefined for stopped containers. */
export function containerInsightsFigureBytes(entry: unknown): number | undefined {
  const stats = parseContainerStats(entry);
  return typeof stats === 'string' ? undefined : containerInsightsUtilizedBytes(stats);
}

/** A timed value. */
export interface TimedValue {
  tSeconds: number;
  value: number;
}

/** One per-minute point: the mean of the values whose time falls in [startSeconds, startSeconds + 60). */
export interface MinutePoint {
  startSeconds: number;
  mean: number;
  count: number;
}

/** Averages values into 1-minute buckets (times in simulated seconds from the task start). */
export function perMinuteAverages(values: readonly TimedValue[], periodSeconds = 60): MinutePoint[] {
  const buckets = new Map<number, { sum: number; count: number }>();
  for (const v of values) {
    const start = Math.floor(v.tSeconds / periodSeconds) * periodSeconds;
    const b = buckets.get(start) ?? { sum: 0, count: 0 };
    b.sum += v.value;
    b.count += 1;
    buckets.set(start, b);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startSeconds, b]) => ({ startSeconds, mean: b.sum / b.count, count: b.count }));
}
