// Small builders for hand-written OTLP/JSON requests (the shape @opentelemetry/exporter-metrics-otlp-http
// posts). Test helper: not a test file.
import type { OtlpExportMetricsServiceRequest } from '../../tools/emf-preview/src';
import { MEMORY_UNIT } from '../../src';

/** 2026-01-01T00:00:00.123456789Z in ns; in ms (integer division by 10^6) that is 1767225600123. */
export const TIME_NANOS = '1767225600123456789';
export const TIME_MS = 1767225600123;

export type Attrs = Record<string, string>;

export interface PointSpec {
  attrs: Attrs;
  value: number | string;
  timeUnixNano?: string;
  flags?: number;
}

export interface MetricSpec {
  name: string;
  unit?: string;
  points: PointSpec[];
}

/** One data point as the JS exporter encodes it. */
export function dataPoint(spec: PointSpec): Record<string, unknown> {
  return {
    attributes: Object.entries(spec.attrs).map(([key, value]) => ({ key, value: { stringValue: value } })),
    startTimeUnixNano: '1767225540000000000',
    timeUnixNano: spec.timeUnixNano ?? TIME_NANOS,
    asDouble: spec.value,
    ...(spec.flags === undefined ? {} : { flags: spec.flags }),
  };
}

/** A request with one resource and one scope holding the given gauges. */
export function gaugeRequest(
  metrics: MetricSpec[],
  options: { scope?: string; resource?: Attrs } = {},
): OtlpExportMetricsServiceRequest {
  const resource = options.resource ?? { 'service.name': 'unknown_service:node' };
  return {
    resourceMetrics: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeMetrics: [
          {
            scope: { name: options.scope ?? 'otel-ecs-task-stats', version: '0.1.0' },
            metrics: metrics.map((m) => ({
              name: m.name,
              unit: m.unit ?? MEMORY_UNIT,
              gauge: { dataPoints: m.points.map(dataPoint) },
            })),
          },
        ],
      },
    ],
  };
}

/** "Namespace|MetricName|dim=value,...|unit|value": one line per CloudWatch metric, sortable. */
export function metricLine(m: { namespace: string; metricName: string; dimensions: Record<string, string>; unit: string; value: number }): string {
  const dims = Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(',');
  return `${m.namespace}|${m.metricName}|${dims}|${m.unit}|${m.value}`;
}
