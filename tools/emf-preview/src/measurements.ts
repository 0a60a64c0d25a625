/**
 * From one group of metrics sharing a label set to the `_aws.CloudWatchMetrics` directives.
 * Upstream: opentelemetry-collector-contrib v0.156.0 exporter/awsemfexporter metric_translator.go
 * (`groupedMetricToCWMeasurement`, `groupedMetricToCWMeasurementsWithFilters`) and util.go
 * (`dimensionRollup`, `dedupDimensions`).
 */
import type { AwsEmfConfig } from './awsemf-config';
import { extractDimensions, matchesLabels, matchesName, type MetricDeclaration } from './metric-declaration';

/** The label awsemf adds with the instrumentation scope (meter) name (datapoint.go `createLabels`). */
export const OTEL_LIB_LABEL = 'OTelLib';

/** `cWMetricInfo` (field order as the Go struct, which has no JSON tags). */
export interface CwMetricInfo {
  Name: string;
  Unit: string;
  StorageResolution: number;
}

/** `cWMeasurement`: one CloudWatchMetrics directive. */
export interface CwMeasurement {
  Namespace: string;
  Dimensions: string[][];
  Metrics: CwMetricInfo[];
}

/** A metric of the group that produced no directive, and why (awsemf logs these at debug level). */
export interface UnmeasuredMetric {
  metricName: string;
  reason: 'no declaration matched the labels' | 'no declaration matched the name' | 'no declared dimension set is present in the labels';
}

/** The metrics of one group: name → unit and storage resolution. */
export interface GroupedMetricInfo {
  unit: string;
  storageResolution: number;
}

/** `dimensionRollup`: zero set [OTelLib?] and one set per remaining label, each sorted. */
function dimensionRollup(option: string, labels: ReadonlyMap<string, string>): string[][] {
  const zero = labels.has(OTEL_LIB_LABEL) ? [OTEL_LIB_LABEL] : [];
  const names = [...labels.keys()].filter((name) => name !== OTEL_LIB_LABEL).sort();
  const sets: string[][] = [];
  if (option === 'ZeroAndSingleDimensionRollup' && names.length > 0) sets.push(zero);
  if (option === 'ZeroAndSingleDimensionRollup' || option === 'SingleDimensionRollupOnly') {
    for (const name of names) sets.push([...zero, name].sort());
  }
  return sets;
}

/** `dedupDimensions`: drops repeated sets (each set already sorted), keeping the first. */
function dedupDimensions(sets: string[][]): string[][] {
  const seen = new Set<string>();
  return sets.filter((set) => {
    const key = set.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function metricInfo(name: string, info: GroupedMetricInfo): CwMetricInfo {
  return { Name: name, Unit: info.unit, StorageResolution: info.storageResolution };
}

/** No declarations: one directive whose set is every label, plus the rollup sets. */
function withoutDeclarations(namespace: string, labels: ReadonlyMap<string, string>, metrics: ReadonlyMap<string, GroupedMetricInfo>, option: string): CwMeasurement {
  const allLabels = [...labels.keys()].sort();
  const rollup = dimensionRollup(option, labels);
  const isSingleLabel = allLabels.length <= 1 || (allLabels.length === 2 && labels.has(OTEL_LIB_LABEL));
  const singleRollup = option === 'SingleDimensionRollupOnly' || option === 'ZeroAndSingleDimensionRollup';
  // the all-labels set would duplicate a rolled-up set: upstream drops it before appending
  const dimensions = rollup.length > 0 && isSingleLabel && singleRollup ? [...rollup] : [allLabels, ...rollup];
  return { Namespace: namespace, Dimensions: dimensions, Metrics: [...metrics].map(([name, info]) => metricInfo(name, info)) };
}

/** With declarations: metrics grouped by the list of declarations whose selectors match them. */
function withDeclarations(
  namespace: string,
  labels: ReadonlyMap<string, string>,
  metrics: ReadonlyMap<string, GroupedMetricInfo>,
  config: AwsEmfConfig,
  unmeasured: UnmeasuredMetric[],
): CwMeasurement[] {
  const declarations: MetricDeclaration[] = config.metricDeclarations.filter((d) => matchesLabels(d, labels));
  if (declarations.length === 0) {
    for (const metricName of metrics.keys()) unmeasured.push({ metricName, reason: 'no declaration matched the labels' });
    return [];
  }
  const byDeclarations = new Map<string, { indexes: number[]; metrics: CwMetricInfo[] }>();
  for (const [name, info] of metrics) {
    const indexes = declarations.flatMap((d, i) => (matchesName(d, name) ? [i] : []));
    if (indexes.length === 0) {
      unmeasured.push({ metricName: name, reason: 'no declaration matched the name' });
      continue;
    }
    const key = indexes.join(' ');
    const group = byDeclarations.get(key) ?? { indexes, metrics: [] };
    group.metrics.push(metricInfo(name, info));
    byDeclarations.set(key, group);
  }
  const rollup = dimensionRollup(config.dimensionRollupOption, labels);
  const measurements: CwMeasurement[] = [];
  for (const group of byDeclarations.values()) {
    const declared = group.indexes.flatMap((i) => extractDimensions(declarations[i], labels));
    const dimensions = dedupDimensions([...declared, ...rollup]);
    // "Export metrics only with non-empty dimensions list"
    if (dimensions.length > 0) {
      measurements.push({ Namespace: namespace, Dimensions: dimensions, Metrics: group.metrics });
    } else {
      for (const metric of group.metrics) unmeasured.push({ metricName: metric.Name, reason: 'no declared dimension set is present in the labels' });
    }
  }
  return measurements;
}

/**
 * The directives of one grouped metric (`translateGroupedMetricToCWMetric`). `labels` must
 * already exclude `aws.emf.*` attributes (`filterAWSEMFAttributes`).
 */
export function toMeasurements(
  namespace: string,
  labels: ReadonlyMap<string, string>,
  metrics: ReadonlyMap<string, GroupedMetricInfo>,
  config: AwsEmfConfig,
  unmeasured: UnmeasuredMetric[],
): CwMeasurement[] {
  if (config.metricDeclarations.length === 0) {
    return [withoutDeclarations(namespace, labels, metrics, config.dimensionRollupOption)];
  }
  return withDeclarations(namespace, labels, metrics, config, unmeasured);
}
