/**
 * Loading a collector config file and picking its awsemf exporter. Component lists: ADOT
 * aws-otel-collector v0.49.0 pkg/defaultcomponents/defaults.go. This is the only file that
 * imports the `yaml` package; the model itself (preview.ts) works on parsed data.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseAwsEmfConfig, type AwsEmfConfig } from './awsemf-config';

/** Component types the ADOT collector v0.49.0 ships (no `transform` processor, no `logging` exporter). */
export const ADOT_COMPONENTS: Readonly<Record<'receivers' | 'processors' | 'exporters' | 'extensions', ReadonlySet<string>>> = {
  receivers: new Set(['otlp', 'awsecscontainermetrics', 'awscontainerinsightreceiver', 'awsxray', 'statsd', 'prometheus', 'kafka', 'jaeger', 'zipkin', 'filelog']),
  processors: new Set(['attributes', 'resource', 'resourcedetection', 'filter', 'metricstransform', 'metricsgeneration', 'cumulativetodelta', 'deltatorate', 'batch', 'memory_limiter', 'probabilistic_sampler', 'span', 'groupbytrace', 'tail_sampling', 'k8sattributes']),
  exporters: new Set(['awsemf', 'awsxray', 'awscloudwatchlogs', 'prometheusremotewrite', 'prometheus', 'file', 'kafka', 'debug', 'otlp', 'otlphttp', 'loadbalancing']),
  extensions: new Set(['health_check', 'pprof', 'zpages', 'awsproxy', 'ecs_observer', 'sigv4auth', 'file_storage']),
};

/** A parsed collector config and its awsemf exporter. */
export interface CollectorConfig {
  /** The whole YAML document as plain data. */
  document: Record<string, unknown>;
  /** The component id of the awsemf exporter used (e.g. `awsemf` or `awsemf/app`). */
  awsemfExporterId: string;
  /** Its settings, ready for `previewEmf`. */
  awsemf: AwsEmfConfig;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ids(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) throw new Error(`collector config: ${where} must be a list of component ids`);
  return value;
}

/** The top-level keys of a collector config (otelcol config.go); the collector refuses any other. */
const SECTIONS = new Set(['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'service']);

/** A component's type (before `/`) must be one ADOT ships. */
function checkType(kind: keyof typeof ADOT_COMPONENTS, id: string): void {
  const type = id.split('/')[0];
  if (!ADOT_COMPONENTS[kind].has(type)) throw new Error(`collector config: ${kind} type "${type}" is not in the ADOT collector`);
}

/** Every id used by the service must be defined in its section, with a type ADOT ships. */
function checkComponent(document: Record<string, unknown>, kind: keyof typeof ADOT_COMPONENTS, id: string): void {
  checkType(kind, id);
  const section = document[kind];
  if (!isRecord(section) || !(id in section)) throw new Error(`collector config: ${kind} "${id}" is used but not defined`);
}

/**
 * The collector builds every component it finds in a section, used or not: an unknown top-level key, or a
 * component of a type it lacks, stops it even when no pipeline names it.
 */
function checkSections(document: Record<string, unknown>): void {
  for (const key of Object.keys(document)) {
    if (!SECTIONS.has(key)) throw new Error(`collector config: unknown top-level key "${key}": the collector would refuse to start`);
  }
  for (const kind of Object.keys(ADOT_COMPONENTS) as Array<keyof typeof ADOT_COMPONENTS>) {
    const section = document[kind];
    if (section === undefined || section === null) continue;
    if (!isRecord(section)) throw new Error(`collector config: ${kind} must be a map of component ids`);
    for (const id of Object.keys(section)) checkType(kind, id);
  }
}

/**
 * Parses collector YAML, checks that it has only known sections, that every component it defines is one
 * ADOT ships and that the service uses only defined components, and returns the awsemf exporter of the
 * metrics pipelines (`exporterId` picks one if several).
 */
export function parseCollectorConfig(text: string, exporterId?: string): CollectorConfig {
  const document: unknown = parse(text);
  if (!isRecord(document) || !isRecord(document.service)) throw new Error('collector config: no service section');
  checkSections(document);
  const service = document.service;
  for (const id of ids(service.extensions ?? [], 'service.extensions')) checkComponent(document, 'extensions', id);
  if (!isRecord(service.pipelines)) throw new Error('collector config: no service.pipelines');
  const candidates = new Set<string>();
  for (const [name, pipeline] of Object.entries(service.pipelines)) {
    if (!isRecord(pipeline)) throw new Error(`collector config: pipeline ${name} must be a map`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of ids(pipeline[kind] ?? [], `${name}.${kind}`)) checkComponent(document, kind, id);
    }
    if (name === 'metrics' || name.startsWith('metrics/')) {
      for (const id of ids(pipeline.exporters, `${name}.exporters`)) if (id.split('/')[0] === 'awsemf') candidates.add(id);
    }
  }
  const chosen = exporterId ?? (candidates.size === 1 ? [...candidates][0] : undefined);
  if (chosen === undefined || !candidates.has(chosen)) {
    throw new Error(`collector config: expected one awsemf exporter in a metrics pipeline, found [${[...candidates].join(', ')}]`);
  }
  const exporters = document.exporters as Record<string, unknown>;
  return { document, awsemfExporterId: chosen, awsemf: parseAwsEmfConfig(exporters[chosen]) };
}

/** Reads and parses a collector config file (see {@link parseCollectorConfig}). */
export function loadCollectorConfig(path: string, exporterId?: string): CollectorConfig {
  return parseCollectorConfig(readFileSync(path, 'utf8'), exporterId);
}
