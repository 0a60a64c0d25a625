/**
 * The contract: every name a user sees in a backend, in one place. The core, the tools around it (demo, EMF
 * preview, test kit), the tests and the benchmarks import these constants; none of them spells a name again.
 * The first three metrics are the CloudWatch contract (namespace `ECS/Container`, dimension `ContainerName`,
 * unit `Megabytes`: collector-config.yaml maps the unit), kept from the script this package replaces.
 */

/** OpenTelemetry unit of every gauge: MiB (UCUM `MiBy`), values bytes / 2^20 unrounded. */
export const MEMORY_UNIT = 'MiBy';

/** Memory charged to the container's cgroup, page cache included. */
export const METRIC_MEMORY_USAGE = 'MemoryUsage';
/** Peak memory usage. */
export const METRIC_MAX_MEMORY_USAGE = 'MaxMemoryUsage';
/** The memory limit that binds the container. */
export const METRIC_MEMORY_LIMIT = 'MemoryLimit';
/** Usage minus inactive file cache. */
export const METRIC_MEMORY_WORKING_SET = 'MemoryWorkingSet';
/** The figure Container Insights reports. */
export const METRIC_MEMORY_UTILIZED = 'MemoryUtilized';

/** One of the metric names above. */
export type MemoryMetricName =
  | typeof METRIC_MEMORY_USAGE
  | typeof METRIC_MAX_MEMORY_USAGE
  | typeof METRIC_MEMORY_LIMIT
  | typeof METRIC_MEMORY_WORKING_SET
  | typeof METRIC_MEMORY_UTILIZED;

/** A gauge the package registers: its name and the description its instrument carries. */
export interface MemoryMetric {
  readonly name: MemoryMetricName;
  readonly description: string;
}

/**
 * Every gauge, in the order the README's metric table, the demo's tables and collector-config.yaml list them.
 * The descriptions say which figure each is; the README has the formulas.
 */
export const MEMORY_METRICS: readonly MemoryMetric[] = Object.freeze([
  {
    name: METRIC_MEMORY_USAGE,
    description: 'Memory charged to the container cgroup, page cache included (memory_stats.usage); the commit charge on Windows.',
  },
  {
    name: METRIC_MAX_MEMORY_USAGE,
    description: 'Peak memory usage: max_usage on cgroup v1, the highest sampled usage on cgroup v2, the commit peak on Windows.',
  },
  {
    name: METRIC_MEMORY_LIMIT,
    description: 'Memory limit that binds the container: its own hard limit, else the task limit, else the cgroup limit, else the host memory Docker reports.',
  },
  {
    name: METRIC_MEMORY_WORKING_SET,
    description: 'Usage minus inactive file cache: what the out-of-memory killer acts on; the private working set on Windows.',
  },
  {
    name: METRIC_MEMORY_UTILIZED,
    description: 'The Container Insights figure: usage minus cache (cgroup v1) or inactive file (v2); the private working set on Windows.',
  },
]);

/**
 * Data point attribute names (CloudWatch dimensions through awsemf). None is `Namespace`, `Version` or `_aws`,
 * which EMF reserves.
 */
export const ATTR_CONTAINER_NAME = 'ContainerName';
export const ATTR_TASK_DEFINITION_FAMILY = 'TaskDefinitionFamily';
export const ATTR_CLUSTER_NAME = 'ClusterName';

/** cgroup version of a stats sample, read from its keys (never from the launch type). */
export type CgroupVersion = 1 | 2;
