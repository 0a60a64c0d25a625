/**
 * Namespace, log group and log stream of a ResourceMetrics. Upstream: opentelemetry-collector-contrib
 * v0.156.0 exporter/awsemfexporter util.go (`getNamespace`, `getLogInfo`, `replacePatterns`,
 * `patternKeyToAttributeMap`) and grouped_metric.go `replacePatternsIfNeeded`.
 */
import type { AwsEmfConfig } from './awsemf-config';

/** `{Pattern}` → resource attribute looked up when the attribute named like the pattern is absent. */
const PATTERN_KEY_TO_ATTRIBUTE: Readonly<Record<string, string>> = {
  ClusterName: 'aws.ecs.cluster.name',
  TaskId: 'aws.ecs.task.id',
  TaskDefinitionFamily: 'aws.ecs.task.family',
  ContainerInstanceId: 'aws.ecs.container.instance.id',
  NodeName: 'k8s.node.name',
  PodName: 'pod',
  ServiceName: 'service.name',
};

/**
 * `replacePatterns`: each known `{Key}` is replaced by attribute `Key`, else by its mapped
 * attribute; a missing or empty value becomes the literal `undefined` and fails the replacement.
 */
function replacePatterns(template: string, attributes: ReadonlyMap<string, string>): { value: string; replaced: boolean } {
  let value = template;
  let replaced = true;
  for (const [key, attribute] of Object.entries(PATTERN_KEY_TO_ATTRIBUTE)) {
    const pattern = `{${key}}`;
    if (!value.includes(pattern)) continue;
    const found = attributes.get(key) ?? attributes.get(attribute) ?? '';
    if (found === '') replaced = false;
    value = value.split(pattern).join(found === '' ? 'undefined' : found);
  }
  return { value, replaced };
}

/** `getNamespace`: the configured namespace, else service.namespace/service.name, else "default". */
export function resolveNamespace(config: AwsEmfConfig, resource: ReadonlyMap<string, string>): string {
  if (config.namespace !== '') return config.namespace;
  const name = resource.get('service.name');
  const ns = resource.get('service.namespace');
  if (name !== undefined && ns !== undefined) return `${ns}/${name}`;
  return name ?? ns ?? 'default';
}

/** Where the records of one ResourceMetrics go, before any per-data-point retry. */
export interface LogDestination {
  logGroup: string;
  logStream: string;
  /** false when a placeholder resolved to `undefined`; labels are then tried per data point. */
  replaced: boolean;
}

/**
 * `getLogInfo`. An empty `log_stream_name` means `otel-stream-<collector uuid>`; the model writes
 * the placeholder `otel-stream-<collector-id>` because the uuid is random per collector start.
 */
export function resolveLogDestination(config: AwsEmfConfig, namespace: string, resource: ReadonlyMap<string, string>): LogDestination {
  let logGroup = `/metrics/${namespace}`;
  let logStream = 'otel-stream-<collector-id>';
  let replaced = true;
  if (config.logGroupName !== '') {
    const group = replacePatterns(config.logGroupName, resource);
    logGroup = group.value;
    replaced &&= group.replaced;
  }
  if (config.logStreamName !== '') {
    const stream = replacePatterns(config.logStreamName, resource);
    logStream = stream.value;
    replaced &&= stream.replaced;
  }
  return { logGroup, logStream, replaced };
}

/**
 * `replacePatternsIfNeeded`: when the resource left a placeholder `undefined`, retries the group or
 * stream that still contains `undefined` with the data point's labels.
 */
export function retryWithLabels(config: AwsEmfConfig, destination: LogDestination, labels: ReadonlyMap<string, string>): LogDestination {
  if (destination.replaced) return destination;
  return {
    logGroup: destination.logGroup.includes('undefined') ? replacePatterns(config.logGroupName, labels).value : destination.logGroup,
    logStream: destination.logStream.includes('undefined') ? replacePatterns(config.logStreamName, labels).value : destination.logStream,
    replaced: false,
  };
}
