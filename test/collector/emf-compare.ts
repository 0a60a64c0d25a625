// Putting what the real awsemf exporter wrote and what the EMF preview predicts side by side, field by field.
// Test helper: not a test file.
import type { EmfRecord } from '../../tools/emf-preview/src';
import type { StoredLogEvent } from '../../tools/testing/src';

/** One EMF log event in a form both sides share: where it went, when, and its parsed fields. */
export interface ComparableEvent {
  logGroup: string;
  logStream: string;
  timestamp: number;
  fields: Record<string, unknown>;
}

/** A default log stream is `otel-stream-<uuid of this collector run>`; the preview writes a placeholder. */
const DEFAULT_STREAM = /^otel-stream-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const byJson = (a: unknown, b: unknown): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/**
 * Orders what has no order: Go ranges over maps when it builds the `Metrics` of a directive, the dimension
 * sets (and, without declarations, the names in the all-labels set) and the list of directives, so their
 * order changes from run to run upstream, and means nothing to CloudWatch (a dimension set is a set).
 * Everything else is compared as it is.
 */
function canonicalFields(fields: Record<string, unknown>): Record<string, unknown> {
  const aws = fields._aws as { CloudWatchMetrics?: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } | undefined;
  if (aws?.CloudWatchMetrics === undefined) return fields;
  const directives = aws.CloudWatchMetrics.map((d) => ({
    ...d,
    Dimensions: d.Dimensions.map((set) => [...set].sort()).sort(byJson),
    Metrics: [...d.Metrics].sort(byJson),
  }));
  directives.sort(byJson);
  return { ...fields, _aws: { ...aws, CloudWatchMetrics: directives } };
}

/** What the fake CloudWatch Logs stored, made comparable. */
export function fromStored(event: StoredLogEvent): ComparableEvent {
  return {
    logGroup: event.logGroup,
    logStream: DEFAULT_STREAM.test(event.logStream) ? 'otel-stream-<collector-id>' : event.logStream,
    timestamp: event.timestamp,
    fields: canonicalFields(event.emf ?? { unparsed: event.message }),
  };
}

/** What the preview predicts, made comparable. */
export function fromPreview(record: EmfRecord): ComparableEvent {
  return { logGroup: record.logGroup, logStream: record.logStream, timestamp: record.timestampMs, fields: canonicalFields(record.fields) };
}

/** Sorts events so that two lists of the same events line up one to one. */
export function sortEvents(events: ComparableEvent[]): ComparableEvent[] {
  return [...events].sort(byJson);
}

/** How many scalar values (leaves) a value holds: the number of fields a deep comparison checks. */
export function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countLeaves(item), 0);
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((n: number, item) => n + countLeaves(item), 0);
  return 1;
}

/**
 * The message bytes of an event whose order is fixed (at most one directive, set and metric), else
 * undefined: there the serialisation itself (key order, Go's HTML escaping of <, >, &) can be compared.
 */
export function orderFreeMessage(fields: Record<string, unknown>, message: string): string | undefined {
  const aws = fields._aws as { CloudWatchMetrics?: Array<{ Dimensions: unknown[]; Metrics: unknown[] }> } | undefined;
  const directives = aws?.CloudWatchMetrics ?? [];
  return directives.length <= 1 && directives.every((d) => d.Metrics.length <= 1 && d.Dimensions.length <= 1) ? message : undefined;
}
