/**
 * The EMF log event awsemf writes for one grouped metric. Upstream: opentelemetry-collector-contrib
 * v0.156.0 exporter/awsemfexporter metric_translator.go `translateGroupedMetricToCWMetric` (labels
 * and metric values become top-level fields) and `translateCWMetricToEMF` (version "1": `Version`
 * and `_aws` only when there is at least one directive). Serialised like Go's `json.Marshal` of
 * a map: keys sorted, `<`, `>`, `&` escaped.
 */
import type { CwMeasurement } from './measurements';

/** One EMF log event, as PutLogEvents would receive it. */
export interface EmfRecord {
  logGroup: string;
  logStream: string;
  timestampMs: number;
  /** The log event message: one JSON line. */
  message: string;
  /** `message` parsed. */
  fields: Record<string, unknown>;
  /** false when the event carries no `_aws` block: logged, but no CloudWatch metric. */
  hasMetrics: boolean;
}

/** What `translateGroupedMetricToCWMetric` collected for one group. */
export interface EmfRecordInput {
  logGroup: string;
  logStream: string;
  timestampMs: number;
  labels: ReadonlyMap<string, string>;
  values: ReadonlyMap<string, number>;
  measurements: CwMeasurement[];
}

/** Go's encoding/json escapes these for HTML safety (`json.Marshal` default). */
function goJsonEscape(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Builds the EMF log event for one group. */
export function buildEmfRecord(input: EmfRecordInput): EmfRecord {
  const unsorted = new Map<string, unknown>();
  for (const [key, value] of input.labels) unsorted.set(key, value);
  for (const [key, value] of input.values) unsorted.set(key, value); // a metric named like a label wins, as in Go
  const hasMetrics = input.measurements.length > 0;
  if (hasMetrics) {
    unsorted.set('Version', '1');
    unsorted.set('_aws', { CloudWatchMetrics: input.measurements, Timestamp: input.timestampMs });
  }
  const fields: Record<string, unknown> = {};
  for (const key of [...unsorted.keys()].sort()) fields[key] = unsorted.get(key);
  return {
    logGroup: input.logGroup,
    logStream: input.logStream,
    timestampMs: input.timestampMs,
    message: goJsonEscape(JSON.stringify(fields)),
    fields,
    hasMetrics,
  };
}
