/**
 * The awsemf exporter settings the preview understands, parsed from the exporter's YAML section.
 * Keys and defaults: opentelemetry-collector-contrib v0.156.0 exporter/awsemfexporter config.go,
 * factory.go `createDefaultConfig`, config.go `Validate`; internal/aws/awsutil awsconfig.go.
 */
import {
  compileGoRegex,
  normaliseDimensionSets,
  type LabelMatcher,
  type MetricDeclaration,
} from './metric-declaration';
import { CLOUDWATCH_UNITS, type MetricDescriptor } from './units';

/** Accepted by awsemf v0.156; any other key makes the collector reject its config. */
const ACCEPTED_KEYS = new Set([
  // modelled
  'namespace', 'log_group_name', 'log_stream_name', 'dimension_rollup_option', 'metric_declarations',
  'metric_descriptors', 'version', 'resource_to_telemetry_conversion', 'parse_json_encoded_attr_values',
  'eks_fargate_container_insights_enabled', 'detailed_metrics', 'retain_initial_value_of_delta_metric',
  // accepted, but they do not change the records (delivery, credentials, retention)
  'log_retention', 'tags', 'output_destination', 'region', 'endpoint', 'role_arn', 'external_id',
  'max_retries', 'request_timeout_seconds', 'num_workers', 'no_verify_ssl', 'proxy_address',
  'local_mode', 'resource_arn',
]);

/** Valid `dimension_rollup_option` values (metric_translator.go constants; the third is the default). */
const ROLLUP_OPTIONS = ['NoDimensionRollup', 'SingleDimensionRollupOnly', 'ZeroAndSingleDimensionRollup'] as const;

/** The awsemf settings that shape EMF records, after defaults and validation. */
export interface AwsEmfConfig {
  /** `""` means: derive from service.namespace / service.name, else "default" (util.go `getNamespace`). */
  namespace: string;
  /** `""` means `/metrics/<namespace>` (util.go `getLogInfo`). */
  logGroupName: string;
  /** `""` means `otel-stream-<collector uuid>` (emf_exporter.go). */
  logStreamName: string;
  dimensionRollupOption: string;
  metricDeclarations: MetricDeclaration[];
  metricDescriptors: Map<string, MetricDescriptor>;
  /** What the collector would log as warnings while loading (dropped declarations, descriptors...). */
  warnings: string[];
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(raw: Raw, key: string, fallback: string): string {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`awsemf: ${key} must be a string`);
  return String(value);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`awsemf: ${where} must be a list of strings`);
  }
  return value;
}

function checkKeys(raw: Raw, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) throw new Error(`awsemf: unknown key "${key}" in ${where}: the collector would refuse to start`);
  }
}

function parseLabelMatcher(raw: unknown): LabelMatcher {
  if (!isRecord(raw)) throw new Error('awsemf: a label_matchers entry must be a map');
  checkKeys(raw, ['label_names', 'separator', 'regex'], 'label_matchers');
  const labelNames = stringList(raw.label_names, 'label_matchers.label_names');
  const regex = str(raw, 'regex', '');
  // metric_declaration.go LabelMatcher.init: both required; separator defaults to ";"
  if (labelNames.length === 0) throw new Error('awsemf: label matcher must have at least one label name specified');
  if (regex === '') throw new Error('awsemf: regex not specified for label matcher');
  return { labelNames, separator: str(raw, 'separator', '') || ';', regex: compileGoRegex(regex) };
}

function parseDeclaration(raw: unknown, warnings: string[]): MetricDeclaration | undefined {
  if (!isRecord(raw)) throw new Error('awsemf: a metric_declarations entry must be a map');
  checkKeys(raw, ['dimensions', 'metric_name_selectors', 'label_matchers'], 'metric_declarations');
  const selectors = stringList(raw.metric_name_selectors, 'metric_name_selectors');
  if (selectors.length === 0) {
    // config.go Validate: init fails -> "Dropped metric declaration." warning, the rest still loads
    warnings.push('Dropped metric declaration: no metric name selectors defined');
    return undefined;
  }
  const rawSets = raw.dimensions ?? [];
  if (!Array.isArray(rawSets)) throw new Error('awsemf: dimensions must be a list of lists');
  const sets = rawSets.map((set) => stringList(set, 'dimensions[]'));
  const matchers = raw.label_matchers ?? [];
  if (!Array.isArray(matchers)) throw new Error('awsemf: label_matchers must be a list');
  return {
    dimensions: normaliseDimensionSets(sets, warnings),
    metricNameSelectors: selectors.map(compileGoRegex),
    labelMatchers: matchers.map(parseLabelMatcher),
  };
}

function parseDescriptors(raw: unknown, warnings: string[]): Map<string, MetricDescriptor> {
  const descriptors = new Map<string, MetricDescriptor>();
  if (raw === undefined || raw === null) return descriptors;
  if (!Array.isArray(raw)) throw new Error('awsemf: metric_descriptors must be a list');
  for (const entry of raw) {
    if (!isRecord(entry)) throw new Error('awsemf: a metric_descriptors entry must be a map');
    checkKeys(entry, ['metric_name', 'unit', 'overwrite'], 'metric_descriptors');
    const descriptor = { metricName: str(entry, 'metric_name', ''), unit: str(entry, 'unit', ''), overwrite: entry.overwrite === true };
    // config.go Validate: an unsupported unit drops the descriptor with a warning
    if (!CLOUDWATCH_UNITS.has(descriptor.unit)) {
      warnings.push(`Dropped metric descriptor: unsupported unit "${descriptor.unit}" for ${descriptor.metricName}`);
      continue;
    }
    // newMetricTranslator builds a map by name: a later entry replaces an earlier one
    descriptors.set(descriptor.metricName, descriptor);
  }
  return descriptors;
}

/** Rejects settings whose effect on the records this model does not reproduce. */
function checkModelScope(raw: Raw): void {
  const version = str(raw, 'version', '1');
  if (version !== '1') throw new Error(`emf-preview: version "${version}" is outside the model (only EMF version "1")`);
  const conversion = raw.resource_to_telemetry_conversion;
  if (isRecord(conversion)) {
    checkKeys(conversion, ['enabled'], 'resource_to_telemetry_conversion');
    if (conversion.enabled === true) throw new Error('emf-preview: resource_to_telemetry_conversion.enabled is outside the model');
  }
  if (stringList(raw.parse_json_encoded_attr_values, 'parse_json_encoded_attr_values').length > 0) {
    throw new Error('emf-preview: parse_json_encoded_attr_values is outside the model');
  }
  if (raw.eks_fargate_container_insights_enabled === true) {
    throw new Error('emf-preview: eks_fargate_container_insights_enabled is outside the model');
  }
}

/**
 * Parses the YAML section of one awsemf exporter (`exporters.awsemf`; `null` means all defaults).
 * Throws on what would stop the collector (unknown key, bad regex) and on settings outside the
 * model; returns the collector's load-time warnings in `warnings`.
 */
export function parseAwsEmfConfig(section: unknown): AwsEmfConfig {
  const raw: Raw = section === null || section === undefined ? {} : (section as Raw);
  if (!isRecord(raw)) throw new Error('awsemf: the exporter section must be a map');
  checkKeys(raw, [...ACCEPTED_KEYS], 'exporters.awsemf');
  checkModelScope(raw);
  const warnings: string[] = [];
  const dimensionRollupOption = str(raw, 'dimension_rollup_option', 'ZeroAndSingleDimensionRollup');
  if (!(ROLLUP_OPTIONS as readonly string[]).includes(dimensionRollupOption)) {
    warnings.push(`dimension_rollup_option "${dimensionRollupOption}" is not a known option: it behaves as no rollup`);
  }
  const declarations = raw.metric_declarations ?? [];
  if (!Array.isArray(declarations)) throw new Error('awsemf: metric_declarations must be a list');
  return {
    namespace: str(raw, 'namespace', ''),
    logGroupName: str(raw, 'log_group_name', ''),
    logStreamName: str(raw, 'log_stream_name', ''),
    dimensionRollupOption,
    metricDeclarations: declarations
      .map((declaration) => parseDeclaration(declaration, warnings))
      .filter((declaration): declaration is MetricDeclaration => declaration !== undefined),
    metricDescriptors: parseDescriptors(raw.metric_descriptors, warnings),
    warnings,
  };
}
