import type { Meter, ObservableGauge } from '@opentelemetry/api';

/** OpenTelemetry unit of every gauge: MiB (UCUM `MiBy`); the collector config maps it to `Megabytes`. */
export const MEMORY_UNIT = 'MiBy';

/** Metric names: the first three are the contract users see in CloudWatch (namespace `ECS/Container`). */
export const METRIC_MEMORY_USAGE = 'MemoryUsage';
export const METRIC_MAX_MEMORY_USAGE = 'MaxMemoryUsage';
export const METRIC_MEMORY_LIMIT = 'MemoryLimit';
export const METRIC_MEMORY_WORKING_SET = 'MemoryWorkingSet';
export const METRIC_MEMORY_UTILIZED = 'MemoryUtilized';

/** The five observable gauges, created together on one meter. */
export interface MemoryGauges {
  readonly usage: ObservableGauge;
  readonly maxUsage: ObservableGauge;
  readonly limit: ObservableGauge;
  readonly workingSet: ObservableGauge;
  readonly utilized: ObservableGauge;
}

/** Creates the gauges on a meter. Descriptions say which figure each is; the README has the formulas. */
export function createMemoryGauges(meter: Meter): MemoryGauges {
  const gauge = (name: string, description: string): ObservableGauge =>
    meter.createObservableGauge(name, { description, unit: MEMORY_UNIT });
  return {
    usage: gauge(METRIC_MEMORY_USAGE, 'Memory charged to the container cgroup, page cache included (memory_stats.usage); the commit charge on Windows.'),
    maxUsage: gauge(METRIC_MAX_MEMORY_USAGE, 'Peak memory usage: max_usage on cgroup v1, the highest sampled usage on cgroup v2, the commit peak on Windows.'),
    limit: gauge(METRIC_MEMORY_LIMIT, 'Memory limit that binds the container: its own hard limit, else the task limit, else the cgroup limit, else the host memory Docker reports.'),
    workingSet: gauge(METRIC_MEMORY_WORKING_SET, 'Usage minus inactive file cache: what the out-of-memory killer acts on; the private working set on Windows.'),
    utilized: gauge(METRIC_MEMORY_UTILIZED, 'The Container Insights figure: usage minus cache (cgroup v1) or inactive file (v2); the private working set on Windows.'),
  };
}

/** The gauges as a list, for addBatchObservableCallback/removeBatchObservableCallback. */
export function gaugeList(gauges: MemoryGauges): ObservableGauge[] {
  return [gauges.usage, gauges.maxUsage, gauges.limit, gauges.workingSet, gauges.utilized];
}
