/**
 * The subset of the OTLP/JSON ExportMetricsServiceRequest that the preview reads, as
 * `@opentelemetry/exporter-metrics-otlp-http` sends it (JSON protobuf mapping: int64 may be a
 * decimal string, attribute values are `{stringValue}` / `{intValue}` / ...).
 * Spec: opentelemetry-proto `opentelemetry/proto/metrics/v1/metrics.proto`, OTLP JSON encoding.
 */

/** int64 in OTLP JSON: decimal string, number, or the `{low, high}` long-bits form. */
export type OtlpInt64 = string | number | { low: number; high: number };

/** An OTLP AnyValue. Only the scalar forms are modelled. */
export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: OtlpInt64;
  doubleValue?: number | string;
  boolValue?: boolean;
  arrayValue?: unknown;
  kvlistValue?: unknown;
  bytesValue?: unknown;
}

/** One attribute (key/value) of a resource or a data point. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** A number data point of a Gauge or Sum. */
export interface OtlpNumberDataPoint {
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: OtlpInt64;
  timeUnixNano?: OtlpInt64;
  asDouble?: number | string;
  asInt?: OtlpInt64;
  flags?: number;
}

/** One metric; exactly one data field (gauge, sum, histogram, ...) is set. */
export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpNumberDataPoint[] };
  sum?: unknown;
  histogram?: unknown;
  exponentialHistogram?: unknown;
  summary?: unknown;
}

/** Metrics of one instrumentation scope (one meter). */
export interface OtlpScopeMetrics {
  scope?: { name?: string; version?: string };
  metrics?: OtlpMetric[];
}

/** Metrics of one resource. */
export interface OtlpResourceMetrics {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeMetrics?: OtlpScopeMetrics[];
}

/** The body of POST /v1/metrics with Content-Type application/json. */
export interface OtlpExportMetricsServiceRequest {
  resourceMetrics?: OtlpResourceMetrics[];
}

/** Converts an OTLP int64 to a bigint (exact for nanosecond timestamps). */
export function int64ToBigInt(value: OtlpInt64): bigint {
  if (typeof value === 'string') return BigInt(value);
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/**
 * pcommon `Value.AsString()` for the scalar kinds: strings as is, ints in decimal, bools as
 * `true`/`false`, doubles in Go's shortest 'f' form. Other kinds are outside the model's scope.
 */
export function anyValueAsString(key: string, value: OtlpAnyValue): string {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return int64ToBigInt(value.intValue).toString();
  if (value.boolValue !== undefined) return value.boolValue ? 'true' : 'false';
  if (value.doubleValue !== undefined) return String(Number(value.doubleValue));
  if (Object.keys(value).length === 0) return '';
  throw new Error(`emf-preview: attribute "${key}" has a non-scalar value, which this model does not cover`);
}

/** Attributes as a plain map, values converted with {@link anyValueAsString}. */
export function attributesToMap(attributes: OtlpKeyValue[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, value } of attributes ?? []) map.set(key, anyValueAsString(key, value));
  return map;
}
