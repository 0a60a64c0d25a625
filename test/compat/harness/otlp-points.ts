import type { OtlpJsonRequest } from './otlp-receiver';

/** One gauge data point of one metric, flattened out of an OTLP JSON request. */
export interface GaugePoint {
  metric: string;
  unit: string;
  attributes: Record<string, string>;
  value: number;
}

interface JsonAnyValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface JsonKeyValue { key: string; value: JsonAnyValue }
interface JsonNumberPoint { attributes?: JsonKeyValue[]; asDouble?: number; asInt?: string | number }
interface JsonMetric { name: string; unit?: string; gauge?: { dataPoints?: JsonNumberPoint[] }; sum?: unknown; histogram?: unknown }
interface JsonScopeMetrics { scope?: { name?: string; version?: string }; metrics?: JsonMetric[] }
interface JsonResourceMetrics { scopeMetrics?: JsonScopeMetrics[] }

/**
 * The gauge points of every metric the given instrumentation scope exported in one request. A metric of
 * another type (sum, histogram) under that scope is reported with NaN so an assertion on values fails loudly.
 */
export function gaugePointsOfScope(request: OtlpJsonRequest, scopeName: string): GaugePoint[] {
  const points: GaugePoint[] = [];
  for (const rm of (request.resourceMetrics ?? []) as JsonResourceMetrics[]) {
    for (const sm of rm.scopeMetrics ?? []) {
      if (sm.scope?.name !== scopeName) continue;
      for (const metric of sm.metrics ?? []) {
        if (!metric.gauge) {
          points.push({ metric: metric.name, unit: metric.unit ?? '', attributes: {}, value: Number.NaN });
          continue;
        }
        for (const dp of metric.gauge.dataPoints ?? []) {
          points.push({
            metric: metric.name,
            unit: metric.unit ?? '',
            attributes: Object.fromEntries((dp.attributes ?? []).map((kv) => [kv.key, anyValueToString(kv.value)])),
            // OTLP JSON: asInt is an int64, which protobuf's JSON mapping may send as a string.
            value: dp.asDouble ?? Number(dp.asInt),
          });
        }
      }
    }
  }
  return points;
}

function anyValueToString(value: JsonAnyValue): string {
  if (value.stringValue !== undefined) return value.stringValue;
  return JSON.stringify(value);
}
