/**
 * EMF preview: a small model of what the ADOT collector's awsemf exporter (contrib v0.156.0, ADOT
 * v0.49.0) writes for this package's metrics, and which CloudWatch metrics result. It covers only
 * what collector-config.yaml uses (gauges, metric declarations, rollup, units and descriptors,
 * OTelLib, log group/stream placeholders); see preview.ts for the exact scope. Used by tests and
 * the demo; it imports nothing from the package (it models the collector, not the instrumentation). Checked field by field against the
 * real exporter (contrib v0.152.0, whose awsemf code is v0.156.0's) in test/collector/differential.collector.ts.
 */
export { previewEmf, type EmfPreview, type PreviewOptions, type DroppedMetric } from './preview';
export { loadCollectorConfig, parseCollectorConfig, ADOT_COMPONENTS, type CollectorConfig } from './collector-config';
export { parseAwsEmfConfig, type AwsEmfConfig } from './awsemf-config';
export type { EmfRecord } from './emf-record';
export type { CloudWatchMetric } from './extract';
export type { CwMeasurement, CwMetricInfo } from './measurements';
export {
  anyValueText,
  otlpPoints,
  type OtlpExportMetricsServiceRequest,
  type OtlpMetricType,
  type OtlpPoint,
} from './otlp-json';
export { CLOUDWATCH_UNITS } from './units';
