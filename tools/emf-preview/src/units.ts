/**
 * Units: the CloudWatch unit list and awsemf's OTel-to-CloudWatch unit translation.
 * Upstream: opentelemetry-collector-contrib v0.156.0 exporter/awsemfexporter
 * config.go `newEMFSupportedUnits` and grouped_metric.go `translateUnit`.
 */

/** The units CloudWatch accepts in a MetricDatum (config.go `newEMFSupportedUnits`). */
export const CLOUDWATCH_UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds',
  'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second',
  'Count/Second', 'None',
]);

/** One `metric_descriptors` entry after validation. */
export interface MetricDescriptor {
  metricName: string;
  unit: string;
  overwrite: boolean;
}

/** The only OTel units awsemf maps; every other string passes through verbatim. */
const OTEL_TO_CLOUDWATCH: Readonly<Record<string, string>> = {
  '1': '',
  ns: '', // CloudWatch has no nanoseconds
  ms: 'Milliseconds',
  s: 'Seconds',
  us: 'Microseconds',
  By: 'Bytes',
  bit: 'Bits',
};

/**
 * grouped_metric.go `translateUnit`: a descriptor for the exact metric name wins when the SDK
 * unit is empty or `overwrite` is set; otherwise the fixed map, otherwise the unit unchanged.
 */
export function translateUnit(
  metricName: string,
  sdkUnit: string,
  descriptors: ReadonlyMap<string, MetricDescriptor>,
): string {
  const descriptor = descriptors.get(metricName);
  if (descriptor !== undefined && (sdkUnit === '' || descriptor.overwrite)) return descriptor.unit;
  return Object.hasOwn(OTEL_TO_CLOUDWATCH, sdkUnit) ? OTEL_TO_CLOUDWATCH[sdkUnit] : sdkUnit;
}
