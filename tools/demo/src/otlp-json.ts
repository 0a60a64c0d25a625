/**
 * Reads the gauge data points out of an OTLP/HTTP JSON metrics body (ExportMetricsServiceRequest, the
 * encoding @opentelemetry/exporter-metrics-otlp-http sends), keyed the way the picture needs them.
 */
import { ATTR_CONTAINER_NAME } from 'otel-ecs-task-stats';

/** One exported data point. */
export interface ExportedPoint {
  metric: string;
  unit: string;
  containerName: string | undefined;
  value: number;
  attributes: Record<string, string>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface NumberDataPoint {
  attributes?: KeyValue[];
  asDouble?: number;
  asInt?: string | number;
}
interface Metric {
  name: string;
  unit?: string;
  gauge?: { dataPoints?: NumberDataPoint[] };
  sum?: { dataPoints?: NumberDataPoint[] };
}
interface Body {
  resourceMetrics?: { scopeMetrics?: { metrics?: Metric[] }[] }[];
}

function attributeText(v: AnyValue | undefined): string {
  if (v === undefined) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  return '';
}

/** Every gauge/sum data point of the body, flattened; tolerant of absent fields. */
export function exportedPoints(body: unknown): ExportedPoint[] {
  const out: ExportedPoint[] = [];
  for (const rm of (body as Body).resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        for (const dp of m.gauge?.dataPoints ?? m.sum?.dataPoints ?? []) {
          const attributes: Record<string, string> = {};
          for (const kv of dp.attributes ?? []) attributes[kv.key] = attributeText(kv.value);
          const value = dp.asDouble ?? (dp.asInt !== undefined ? Number(dp.asInt) : NaN);
          out.push({ metric: m.name, unit: m.unit ?? '', containerName: attributes[ATTR_CONTAINER_NAME], value, attributes });
        }
      }
    }
  }
  return out;
}
