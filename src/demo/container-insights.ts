/**
 * What a Container Insights-style view shows: the ECS agent's "memory utilized" formula applied to each
 * sample, then averaged into one point per minute (CloudWatch's 1-minute period, statistic Average).
 * Formula per ../shared/reference/tmde-and-receiver.md §5 (agent/stats/utils_unix.go getMemUsage):
 *   cgroup v1: usage − cache          cgroup v2: usage − inactive_file
 * Fargate's own agent is closed source; this is the documented EC2 agent formula, which the article's
 * numbers (≈4 GB shown for a 16 GB task) are consistent with.
 */

/** `usage − cache` (v1) or `usage − inactive_file` (v2) in bytes, or undefined when the stats have no memory. */
export function containerInsightsUtilizedBytes(stats: Record<string, unknown> | null | undefined): number | undefined {
  const memory = stats?.memory_stats as { usage?: unknown; stats?: Record<string, unknown> } | undefined;
  if (memory === undefined || typeof memory.usage !== 'number') return undefined;
  const inner = memory.stats ?? {};
  // cgroup v2 is recognised by memory_stats.stats.anon (moby's v1 response has no unqualified anon key).
  const subtract = 'anon' in inner ? inner.inactive_file : inner.cache;
  const sub = typeof subtract === 'number' && subtract < memory.usage ? subtract : 0;
  return memory.usage - sub;
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
