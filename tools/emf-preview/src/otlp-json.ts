/**
 * The OTLP/JSON reader: the ExportMetricsServiceRequest as `@opentelemetry/exporter-metrics-otlp-http` sends
 * it (JSON protobuf mapping: int64 may be a decimal string, attribute values are `{stringValue}` /
 * `{intValue}` / ...), its types, and {@link otlpPoints}, which flattens a request to its data points. The
 * preview, the demo, the test kit's receiver, the tests and the compatibility matrix all read OTLP/JSON here.
 * Spec: opentelemetry-proto `opentelemetry/proto/metrics/v1/metrics.proto`, OTLP JSON encoding.
 */

/** int64 in OTLP JSON: decimal string, number, or the `{low, high}` long-bits form. */
export type OtlpInt64 = string | number | { low: number; high: number };

/** An OTLP AnyValue. Only the scalar forms are modelled. */
interface OtlpAnyValue {
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
interface OtlpMetric {
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
interface OtlpScopeMetrics {
  scope?: { name?: string; version?: string };
  metrics?: OtlpMetric[];
}

/** Metrics of one resource. */
interface OtlpResourceMetrics {
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
function anyValueAsString(key: string, value: OtlpAnyValue): string {
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

/** The data fields a metric can have; exactly one is set. */
export type OtlpMetricType = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
const METRIC_TYPES: readonly OtlpMetricType[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

/** One data point of a request, flattened: where it comes from, what it is, its value. */
export interface OtlpPoint {
  /** Resource attributes, values as strings. */
  readonly resource: Readonly<Record<string, string>>;
  /** The instrumentation scope (meter) name; '' when unnamed. */
  readonly scope: string;
  readonly metric: string;
  readonly unit: string;
  readonly type: OtlpMetricType;
  /** Point attributes, values as strings ({@link anyValueText}). */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * `asDouble`, or `asInt` as a number. NaN for a point of a histogram, exponential histogram or summary
   * (not a number point: an assertion on its value fails loudly) and for a number point with no value.
   */
  readonly value: number;
  /** `asInt`, exact (a JavaScript number is not, above 2^53); undefined for any other point. */
  readonly intValue: bigint | undefined;
}

/**
 * Every data point of a request, in order: resource by resource, scope by scope, metric by metric. Tolerant of
 * absent fields (an empty request has no points); throws only on a body that is not an object at all.
 */
export function otlpPoints(request: unknown): OtlpPoint[] {
  if (typeof request !== 'object' || request === null) throw new TypeError(`an OTLP/JSON request must be an object; got ${String(request)}`);
  const points: OtlpPoint[] = [];
  for (const rm of (request as OtlpExportMetricsServiceRequest).resourceMetrics ?? []) {
    const resource = attributesToText(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      const scope = sm.scope?.name ?? '';
      for (const metric of sm.metrics ?? []) {
        const type = METRIC_TYPES.find((t) => metric[t] !== undefined && metric[t] !== null);
        if (type === undefined) continue;
        const dataPoints = ((metric[type] as { dataPoints?: unknown } | undefined)?.dataPoints ?? []) as OtlpNumberDataPoint[];
        for (const dp of dataPoints) {
          const numberPoint = type === 'gauge' || type === 'sum';
          const intValue = numberPoint && dp.asInt !== undefined ? int64ToBigInt(dp.asInt) : undefined;
          const value = !numberPoint ? Number.NaN : dp.asDouble !== undefined ? Number(dp.asDouble) : intValue !== undefined ? Number(intValue) : Number.NaN;
          points.push({ resource, scope, metric: metric.name, unit: metric.unit ?? '', type, attributes: attributesToText(dp.attributes), value, intValue });
        }
      }
    }
  }
  return points;
}

/**
 * An attribute value as text, never throwing: the scalar kinds as {@link anyValueAsString} writes them, any
 * other kind (array, kvlist, bytes) as its JSON.
 */
export function anyValueText(value: OtlpAnyValue | undefined): string {
  if (value === undefined) return '';
  const scalar = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
  return scalar !== undefined || Object.keys(value).length === 0 ? anyValueAsString('', value) : JSON.stringify(value);
}

function attributesToText(attributes: OtlpKeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of attributes ?? []) out[key] = anyValueText(value);
  return out;
}
