/**
 * What CloudWatch extracts from an EMF record: for every directive, every dimension set and every
 * metric, one metric identified by (namespace, name, dimension name/value pairs). Source: the EMF
 * specification, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { EmfRecord } from './emf-record';
import type { CwMeasurement } from './measurements';
import { CLOUDWATCH_UNITS } from './units';

/** One CloudWatch metric data point that an EMF record produces. */
export interface CloudWatchMetric {
  namespace: string;
  metricName: string;
  /** Dimension name → value, names sorted. */
  dimensions: Record<string, string>;
  unit: string;
  value: number;
  storageResolution: number;
  timestampMs: number;
}

function isMeasurementList(value: unknown): value is CwMeasurement[] {
  return Array.isArray(value);
}

/**
 * Extracts the metrics of one record. Problems CloudWatch would reject or mis-handle (a unit
 * outside its list, a missing or empty dimension value, a non-numeric value) go to `warnings`.
 */
export function extractCloudWatchMetrics(record: EmfRecord, warnings: string[]): CloudWatchMetric[] {
  const aws = record.fields._aws as { CloudWatchMetrics?: unknown } | undefined;
  if (aws === undefined || !isMeasurementList(aws.CloudWatchMetrics)) return [];
  const metrics: CloudWatchMetric[] = [];
  for (const directive of aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      const dimensions: Record<string, string> = {};
      for (const name of [...set].sort()) {
        const value = record.fields[name];
        if (typeof value !== 'string' || value === '') warnings.push(`dimension ${name} has no non-empty string value in ${record.message}`);
        dimensions[name] = String(value);
      }
      for (const metric of directive.Metrics) {
        const value = record.fields[metric.Name];
        if (typeof value !== 'number') {
          warnings.push(`metric ${metric.Name} has no numeric value in ${record.message}`);
          continue;
        }
        if (metric.Unit !== '' && !CLOUDWATCH_UNITS.has(metric.Unit)) {
          warnings.push(`metric ${metric.Name} has unit "${metric.Unit}", which is not a CloudWatch unit`);
        }
        metrics.push({
          namespace: directive.Namespace,
          metricName: metric.Name,
          dimensions,
          // EMF: Unit is optional and defaults to None (awsemf writes "" when it has none)
          unit: metric.Unit === '' ? 'None' : metric.Unit,
          value,
          storageResolution: metric.StorageResolution,
          timestampMs: record.timestampMs,
        });
      }
    }
  }
  return metrics;
}
