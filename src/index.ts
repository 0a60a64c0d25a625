/**
 * otel-ecs-task-stats: per-container memory gauges for Amazon ECS from the task metadata endpoint v4.
 * This file is the whole public surface.
 */
export { EcsTaskStatsInstrumentation } from './instrumentation/instrumentation';
export { MIN_SAMPLE_INTERVAL_MILLIS, type EcsTaskStatsInstrumentationConfig } from './instrumentation/config';
export { MAX_TIMER_MILLIS } from './options/validate';
export {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  MEMORY_METRICS,
  MEMORY_UNIT,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  type CgroupVersion,
  type MemoryMetric,
  type MemoryMetricName,
} from './contract';
export { memoryFiguresOf, type ContainerMemoryFigures } from './normalise/payload-figures';
export { startEcsTaskStats, type EcsTaskStatsHandle, type EcsTaskStatsMeterProvider } from './setup/start';
export type { StartEcsTaskStatsOptions } from './setup/options';
export { ERROR_CODES, type EcsTaskStatsErrorCode } from './errors';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
