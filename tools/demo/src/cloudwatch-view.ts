/**
 * "What CloudWatch would store" for one export: the OTLP body through collector-config.yaml's awsemf
 * exporter, as modelled by the EMF preview (tools/emf-preview). The demo's built-in collector uses this.
 */
import { ATTR_CONTAINER_NAME } from 'otel-ecs-task-stats';
import { parseCollectorConfig, previewEmf, type CollectorConfig, type OtlpExportMetricsServiceRequest } from '../../emf-preview/src';
import { readInputFile } from './input-file';
import type { CloudWatchRow } from './terminal';

/** Turns an export into CloudWatch rows; `destination` says where the EMF log events would go. */
export interface CloudWatchView {
  readonly configPath: string;
  rows(body: unknown): { rows: CloudWatchRow[]; destination: string | undefined; warnings: string[] };
}

/**
 * Resource attributes the collector's `resourcedetection/ecs` processor would add, read from `/task`
 * (the preview does not run processors; see its PreviewOptions).
 */
export function ecsResourceAttributes(taskText: string): Record<string, string> {
  const task = JSON.parse(taskText) as { TaskARN?: unknown; Cluster?: unknown; Family?: unknown };
  const attrs: Record<string, string> = {};
  if (typeof task.TaskARN === 'string') attrs['aws.ecs.task.id'] = task.TaskARN.split('/').pop() ?? '';
  if (typeof task.Cluster === 'string') attrs['aws.ecs.cluster.name'] = task.Cluster.split('/').pop() ?? '';
  if (typeof task.Family === 'string') attrs['aws.ecs.task.family'] = task.Family;
  return attrs;
}

/**
 * The collector config at `configPath` (throws if it cannot be read or has no awsemf exporter; a usage error if
 * it is not a regular file of at most 1 MiB). Read before the task starts, so that a bad file starts nothing.
 */
export function readCollectorConfig(configPath: string): CollectorConfig {
  return parseCollectorConfig(readInputFile(configPath, '--collector-config'));
}

/** The EMF-preview view of `config`, read from `configPath`. */
export function emfPreviewView(configPath: string, config: CollectorConfig, resourceAttributes: Record<string, string>): CloudWatchView {
  return {
    configPath,
    rows(body) {
      const preview = previewEmf(body as OtlpExportMetricsServiceRequest, config.awsemf, { addResourceAttributes: resourceAttributes });
      const rows = preview.metrics.map((m) => ({
        namespace: m.namespace,
        metricName: m.metricName,
        containerName: m.dimensions[ATTR_CONTAINER_NAME] ?? Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(','),
        value: m.value,
        unit: m.unit,
      }));
      const first = preview.records[0];
      const destination = first !== undefined ? `log group ${first.logGroup}, stream ${first.logStream}` : undefined;
      const warnings = [...preview.warnings, ...preview.dropped.map((d) => `${d.metricName} not a CloudWatch metric: ${d.reason}`)];
      return { rows, destination, warnings };
    },
  };
}
