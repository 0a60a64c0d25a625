/**
 * What a Container Insights-style view shows: the ECS agent's "memory utilized" figure (usage − cache on
 * cgroup v1, usage − inactive_file on v2) of each sample the endpoint served, averaged into one point per
 * minute (CloudWatch's 1-minute period, statistic Average). The figure itself is the package's own
 * (`memoryFiguresOf`, through its public entry): one formula, one place.
 */
import { memoryFiguresOf } from 'otel-ecs-task-stats';
import type { SampleSource } from './task-source';

/** The Container Insights figure of every running container, sample by sample, each sample computed once. */
export class ContainerInsightsFigures {
  private readonly bySample: Array<ReadonlyMap<string, number>> = [];

  /** `task`: the `/task` payload (parsed) the samples belong to. */
  constructor(
    private readonly source: SampleSource,
    private readonly task: unknown,
  ) {}

  /** Container name → figure in bytes, in sample `index`; stopped containers have none. */
  of(index: number): ReadonlyMap<string, number> {
    let figures = this.bySample[index];
    if (figures === undefined) {
      const byName = new Map<string, number>();
      for (const c of memoryFiguresOf(this.task, this.source.sample(index).statsByDockerId) ?? []) {
        if (c.utilizedBytes !== undefined) byName.set(c.containerName, c.utilizedBytes);
      }
      figures = byName;
      this.bySample[index] = figures;
    }
    return figures;
  }
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
