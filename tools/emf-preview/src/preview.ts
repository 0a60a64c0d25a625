/**
 * previewEmf: OTLP/JSON metrics + an awsemf config → the EMF records awsemf would write and the
 * CloudWatch metrics they produce. Upstream: opentelemetry-collector-contrib v0.156.0
 * exporter/awsemfexporter emf_exporter.go `pushMetricsData`, metric_translator.go
 * `translateOTelToGroupedMetric`, grouped_metric.go `addToGroupedMetric` / `upsertGroupedMetric`,
 * datapoint.go (`createLabels`, `IsStaleNaNInf`, gauge data points).
 *
 * Scope: Gauge metrics with scalar attributes, EMF version "1", resource_to_telemetry_conversion
 * off: what collector-config.yaml and this package use. Sums, histograms and summaries (delta
 * state, statistic sets) are not modelled and throw. Processors are not modelled: pass what they
 * add to resources (resourcedetection/ecs) as `addResourceAttributes`.
 */
import type { AwsEmfConfig } from './awsemf-config';
import { buildEmfRecord, type EmfRecord } from './emf-record';
import { extractCloudWatchMetrics, type CloudWatchMetric } from './extract';
import { resolveLogDestination, resolveNamespace, retryWithLabels } from './log-destination';
import { OTEL_LIB_LABEL, toMeasurements, type GroupedMetricInfo, type UnmeasuredMetric } from './measurements';
import { attributesToMap, int64ToBigInt, type OtlpExportMetricsServiceRequest, type OtlpNumberDataPoint } from './otlp-json';
import { translateUnit } from './units';

/** Options of {@link previewEmf}. */
export interface PreviewOptions {
  /** Resource attributes the collector's processors add before awsemf (e.g. `aws.ecs.task.id`). */
  addResourceAttributes?: Readonly<Record<string, string>>;
  /** The collector's clock, used for data points without a timestamp. Default `Date.now()`. */
  nowMs?: number;
}

/** A data point or metric that reached the log but not CloudWatch metrics, or was dropped. */
export interface DroppedMetric {
  metricName: string;
  labels: Record<string, string>;
  reason: UnmeasuredMetric['reason'] | 'NaN or infinite value' | 'no recorded value';
}

/** The result of {@link previewEmf}. */
export interface EmfPreview {
  /** The log events, in the order the groups were formed (upstream iterates a Go map). */
  records: EmfRecord[];
  /** Every CloudWatch metric data point the records produce. */
  metrics: CloudWatchMetric[];
  /** Data points that did not become CloudWatch metrics, with the reason. */
  dropped: DroppedMetric[];
  /** What the collector would warn about (duplicates, dropped config entries) and what CloudWatch would reject. */
  warnings: string[];
}

/** Upstream: aws.emf.storage_resolution is a control attribute, never a label (`filterAWSEMFAttributes`). */
const STORAGE_RESOLUTION_ATTRIBUTE = 'aws.emf.storage_resolution';

interface Group {
  namespace: string;
  logGroup: string;
  logStream: string;
  timestampMs: number;
  labels: Map<string, string>;
  values: Map<string, number>;
  infos: Map<string, GroupedMetricInfo>;
}

function pointValue(dp: OtlpNumberDataPoint): number {
  if (dp.asDouble !== undefined) return Number(dp.asDouble); // "NaN" / "Infinity" strings in proto3 JSON
  if (dp.asInt !== undefined) return Number(int64ToBigInt(dp.asInt));
  return 0; // an unset oneof reads as 0 in pdata
}

function timestampMs(dp: OtlpNumberDataPoint): number {
  // util.go unixNanoToMilliseconds: integer division
  return dp.timeUnixNano === undefined ? 0 : Number(int64ToBigInt(dp.timeUnixNano) / 1_000_000n);
}

/**
 * Runs the model. Throws if the input uses something outside the model's scope.
 * @param request the OTLP/JSON body the app POSTed to /v1/metrics (already parsed)
 * @param config the awsemf exporter settings, from {@link parseAwsEmfConfig} or `loadCollectorConfig`
 */
export function previewEmf(request: OtlpExportMetricsServiceRequest, config: AwsEmfConfig, options: PreviewOptions = {}): EmfPreview {
  const warnings = [...config.warnings];
  const dropped: DroppedMetric[] = [];
  const groups = new Map<string, Group>();
  const nowMs = options.nowMs ?? Date.now();

  for (const rm of request.resourceMetrics ?? []) {
    const resource = attributesToMap(rm.resource?.attributes);
    for (const [key, value] of Object.entries(options.addResourceAttributes ?? {})) resource.set(key, value);
    const namespace = resolveNamespace(config, resource);
    const destination = resolveLogDestination(config, namespace, resource);
    let scopeName = ''; // upstream never resets it between scopes of one ResourceMetrics
    for (const sm of rm.scopeMetrics ?? []) {
      if ((sm.scope?.name ?? '') !== '') scopeName = sm.scope?.name ?? '';
      for (const metric of sm.metrics ?? []) {
        if (metric.gauge === undefined) {
          const kind = ['sum', 'histogram', 'exponentialHistogram', 'summary'].find((k) => k in metric);
          if (kind === undefined) continue; // an empty metric has no data points (getDataPoints returns nil)
          throw new Error(`emf-preview: metric ${metric.name} is a ${kind}; only gauges are modelled`);
        }
        const unit = translateUnit(metric.name, metric.unit ?? '', config.metricDescriptors);
        // addToGroupedMetric updates one metadata copy per metric in its loop, so a stream resolved from
        // one point's labels, and a point's timestamp, carry over to the next points of the same metric.
        let where = destination;
        let ts = nowMs;
        for (const dp of metric.gauge.dataPoints ?? []) {
          const labels = attributesToMap(dp.attributes);
          if (scopeName !== '') labels.set(OTEL_LIB_LABEL, scopeName);
          const value = pointValue(dp);
          if (((dp.flags ?? 0) & 1) === 1 || !Number.isFinite(value)) {
            const reason = ((dp.flags ?? 0) & 1) === 1 ? 'no recorded value' : 'NaN or infinite value';
            dropped.push({ metricName: metric.name, labels: Object.fromEntries(labels), reason });
            continue;
          }
          where = retryWithLabels(config, where, labels);
          if (timestampMs(dp) > 0) ts = timestampMs(dp);
          const sortedLabels = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          // The group key also holds a batchIndex, but grouped_metric.go sets it to the index within the points
          // CalculateDeltaDatapoints derives from ONE data point: always 0 for a gauge. So a container's points
          // share one record whatever their positions in each metric (checked against the real exporter in
          // test/collector/differential.collector.ts).
          const key = JSON.stringify([namespace, ts, where.logGroup, where.logStream, 'Gauge', sortedLabels]);
          // the control attribute sets StorageResolution (strconv.Atoi) and is never a field or dimension
          const resolution = labels.get(STORAGE_RESOLUTION_ATTRIBUTE) ?? '';
          const storageResolution = /^[+-]?\d+$/.test(resolution) ? Number(resolution) : 60;
          labels.delete(STORAGE_RESOLUTION_ATTRIBUTE);
          const group = groups.get(key) ?? {
            namespace, logGroup: where.logGroup, logStream: where.logStream, timestampMs: ts,
            labels, values: new Map<string, number>(), infos: new Map<string, GroupedMetricInfo>(),
          };
          groups.set(key, group);
          if (group.values.has(metric.name)) {
            warnings.push(`Duplicate metric found: ${metric.name} ${JSON.stringify(Object.fromEntries(labels))} (first value kept)`);
            continue;
          }
          group.values.set(metric.name, value);
          group.infos.set(metric.name, { unit, storageResolution });
        }
      }
    }
  }

  const records: EmfRecord[] = [];
  const metrics: CloudWatchMetric[] = [];
  for (const group of groups.values()) {
    const unmeasured: UnmeasuredMetric[] = [];
    const measurements = toMeasurements(group.namespace, group.labels, group.infos, config, unmeasured);
    for (const { metricName, reason } of unmeasured) dropped.push({ metricName, labels: Object.fromEntries(group.labels), reason });
    const record = buildEmfRecord({ ...group, measurements });
    records.push(record);
    metrics.push(...extractCloudWatchMetrics(record, warnings));
  }
  return { records, metrics, dropped, warnings };
}
