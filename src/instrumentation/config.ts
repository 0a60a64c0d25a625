import { codedTypeError, ERROR_CODES } from '../errors';
import type { SamplerOptions } from '../sampler/sampler';

/** Configuration of {@link EcsTaskStatsInstrumentation}. Every option is optional. */
export interface EcsTaskStatsInstrumentationConfig {
  /** Start sampling at construction. Default `true` (as every OpenTelemetry instrumentation). */
  enabled?: boolean;
  /**
   * Base URL of the task metadata endpoint v4. Default: `process.env.ECS_CONTAINER_METADATA_URI_V4`,
   * which ECS sets in every container. Must be an `http:` or `https:` URL without credentials.
   */
  metadataUri?: string;
  /** How often `/task/stats` is read, in ms. Default 5000; at least 1000 (the fastest the endpoint refreshes). */
  sampleIntervalMillis?: number;
  /** Bound on one request to the endpoint, connection to last byte, in ms. Default 2000. */
  requestTimeoutMillis?: number;
  /**
   * Which containers to report, by ECS container name: a list of names, a RegExp, or a predicate.
   * Default: every container of the task.
   */
  includeContainers?: readonly string[] | RegExp | ((containerName: string) => boolean);
  /**
   * A container's figures are no longer reported once its newest sample is older than this, in ms.
   * Default max(3 × sampleIntervalMillis, 30000): see the README ("Staleness").
   */
  staleAfterMillis?: number;
  /** Responses larger than this are aborted, in bytes. Default 1 MiB (real payloads are 3–40 KB). */
  maxResponseBytes?: number;
}

/** Defaults, exported for the README test and the one-call setup. */
export const DEFAULT_SAMPLE_INTERVAL_MILLIS = 5000;
export const MIN_SAMPLE_INTERVAL_MILLIS = 1000;
export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 2000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Fargate and Managed Instances refresh stats every 10 s; EC2's polling mode up to every 20 s. */
export const MIN_STALE_AFTER_MILLIS = 30_000;
export const METADATA_URI_ENV = 'ECS_CONTAINER_METADATA_URI_V4';
/**
 * The longest delay a Node.js timer takes (2^31 − 1 ms, about 24.8 days): a longer one fires after 1 ms
 * (TimeoutOverflowWarning), so an interval or timeout above it would poll or time out at once.
 */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/** The validated sampler settings, or undefined off ECS (no metadata URI anywhere). */
export type ResolvedSamplerOptions = Omit<SamplerOptions, 'clock' | 'random'> | undefined;

/**
 * Validates the configuration and resolves defaults. Throws, with a message saying what to change, on a
 * configuration error in `config`. A malformed environment variable is not the caller's error: it yields
 * `{ options: undefined, problem }` so that the instrumentation can log it and stay idle.
 */
export function resolveSamplerOptions(
  config: EcsTaskStatsInstrumentationConfig,
  env: NodeJS.ProcessEnv = process.env,
): { options: ResolvedSamplerOptions; problem?: string } {
  const sampleIntervalMillis = checkInteger('sampleIntervalMillis', config.sampleIntervalMillis, DEFAULT_SAMPLE_INTERVAL_MILLIS, MIN_SAMPLE_INTERVAL_MILLIS, MAX_TIMER_MILLIS);
  const requestTimeoutMillis = checkInteger('requestTimeoutMillis', config.requestTimeoutMillis, DEFAULT_REQUEST_TIMEOUT_MILLIS, 1, MAX_TIMER_MILLIS);
  const staleAfterMillis = checkInteger(
    'staleAfterMillis',
    config.staleAfterMillis,
    Math.max(3 * sampleIntervalMillis, MIN_STALE_AFTER_MILLIS),
    sampleIntervalMillis,
  );
  const maxResponseBytes = checkInteger('maxResponseBytes', config.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 1024);
  const includeContainer = toIncludeFilter(config.includeContainers);
  if (config.enabled !== undefined && typeof config.enabled !== 'boolean') {
    // A string such as 'false' would otherwise count as enabled.
    throw new TypeError(`otel-ecs-task-stats: enabled must be true or false; got ${String(config.enabled)}`);
  }

  let metadataUri: URL;
  if (config.metadataUri !== undefined) {
    const { url, problem } = parseMetadataUri(config.metadataUri);
    if (url === undefined) throw new TypeError(`otel-ecs-task-stats: metadataUri ${problem}`);
    metadataUri = url;
  } else {
    const fromEnv = env[METADATA_URI_ENV];
    if (fromEnv === undefined || fromEnv.trim() === '') return { options: undefined };
    const { url, problem } = parseMetadataUri(fromEnv.trim());
    if (url === undefined) return { options: undefined, problem: `${METADATA_URI_ENV} ${problem}` };
    metadataUri = url;
  }
  return {
    options: { metadataUri, sampleIntervalMillis, requestTimeoutMillis, staleAfterMillis, maxResponseBytes, includeContainer },
  };
}

/**
 * Throws a TypeError (code `ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS`) unless `value` is an object or
 * undefined (all defaults). `call` names what was called, `expected` what it takes, with an example.
 */
export function assertOptionsObject(value: unknown, call: string, expected: string): void {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return;
  throw codedTypeError(
    ERROR_CODES.INVALID_OPTIONS,
    `otel-ecs-task-stats: ${call} takes ${expected}, or nothing for all defaults; got ${describeValue(value)}`,
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

function parseMetadataUri(value: string): { url?: URL; problem?: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `must be an absolute http(s) URL such as http://169.254.170.2/v4/<id>; got "${value}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `must use http: or https:; got "${url.protocol}"` };
  }
  if (url.username !== '' || url.password !== '') {
    return { problem: 'must not contain credentials (user:password@); the endpoint needs none' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { problem: 'must not contain a query or fragment; paths such as /task/stats are appended to it' };
  }
  return { url };
}

function checkInteger(
  name: string,
  value: number | undefined,
  fallback: number,
  minimum: number,
  maximum = Number.POSITIVE_INFINITY,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value) || value < minimum) {
    throw new RangeError(`otel-ecs-task-stats: ${name} must be an integer >= ${minimum}; got ${String(value)}`);
  }
  if (value > maximum) {
    throw new RangeError(`otel-ecs-task-stats: ${name} must be at most ${maximum} (the longest Node.js timer); got ${value}`);
  }
  return value;
}

function toIncludeFilter(filter: EcsTaskStatsInstrumentationConfig['includeContainers']): (name: string) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') return filter;
  if (filter instanceof RegExp) {
    // A global or sticky RegExp keeps state between test() calls: copy it without those flags.
    const pattern = new RegExp(filter.source, filter.flags.replace(/[gy]/g, ''));
    return (name) => pattern.test(name);
  }
  if (Array.isArray(filter) && filter.every((name) => typeof name === 'string')) {
    const names = new Set(filter);
    return (name) => names.has(name);
  }
  throw new TypeError('otel-ecs-task-stats: includeContainers must be an array of container names, a RegExp or a function');
}
