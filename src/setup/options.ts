import { diag } from '@opentelemetry/api';
import { MAX_TIMER_MILLIS, type EcsTaskStatsInstrumentationConfig } from '../instrumentation/config';
import { PACKAGE_NAME } from '../version';

/** Options of {@link startEcsTaskStats}: the instrumentation's options plus the export pipeline's. */
export interface StartEcsTaskStatsOptions extends EcsTaskStatsInstrumentationConfig {
  /**
   * OTLP/HTTP metrics URL. Default: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`
   * + `/v1/metrics`, else `http://127.0.0.1:4318/v1/metrics` (the collector sidecar; not `localhost`, which
   * Node may resolve to `::1` where the collector does not listen).
   */
  url?: string;
  /** How often metrics are exported, in ms. Default `OTEL_METRIC_EXPORT_INTERVAL`, else 60000. */
  exportIntervalMillis?: number;
  /**
   * Bound on one export, retries included, in ms. Default `OTEL_METRIC_EXPORT_TIMEOUT`, else 30000; never
   * more than the interval (the SDK's reader rejects that) nor than `shutdownTimeoutMillis`.
   */
  exportTimeoutMillis?: number;
  /**
   * Take a final sample and flush on SIGTERM, SIGINT and at `beforeExit`, without changing how the process
   * would otherwise end. Default true.
   */
  handleSignals?: boolean;
  /** Bound on the exit path (final sample, then flush with retries), in ms. Default 5000. */
  shutdownTimeoutMillis?: number;
}

/** The export settings after defaults, environment and validation. */
export interface ResolvedExportOptions {
  readonly url: string;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly handleSignals: boolean;
  readonly shutdownTimeoutMillis: number;
}

export const DEFAULT_OTLP_METRICS_URL = 'http://127.0.0.1:4318/v1/metrics';
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;

/**
 * Resolves the export options. Throws on an invalid option (a configuration error); an invalid environment
 * variable is logged once and its default used, because the environment is not the caller's code.
 */
export function resolveExportOptions(options: StartEcsTaskStatsOptions, env: NodeJS.ProcessEnv = process.env): ResolvedExportOptions {
  const url = resolveUrl(options.url, env);
  const exportIntervalMillis = positiveInteger('exportIntervalMillis', options.exportIntervalMillis) ??
    envInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL') ?? DEFAULT_EXPORT_INTERVAL_MILLIS;
  const shutdownTimeoutMillis = positiveInteger('shutdownTimeoutMillis', options.shutdownTimeoutMillis) ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const requestedTimeout = positiveInteger('exportTimeoutMillis', options.exportTimeoutMillis) ??
    envInteger(env, 'OTEL_METRIC_EXPORT_TIMEOUT') ?? DEFAULT_EXPORT_TIMEOUT_MILLIS;
  if (options.handleSignals !== undefined && typeof options.handleSignals !== 'boolean') {
    throw new TypeError(`${PACKAGE_NAME}: handleSignals must be true or false; got ${String(options.handleSignals)}`);
  }
  return {
    url,
    exportIntervalMillis,
    // The exporter retries until this deadline: capping it at the exit bound keeps a down collector from
    // holding a finishing process open with retry timers.
    exportTimeoutMillis: Math.min(requestedTimeout, exportIntervalMillis, shutdownTimeoutMillis),
    handleSignals: options.handleSignals ?? true,
    shutdownTimeoutMillis,
  };
}

function resolveUrl(url: string | undefined, env: NodeJS.ProcessEnv): string {
  if (url !== undefined) {
    if (!isHttpUrl(url)) throw new TypeError(`${PACKAGE_NAME}: url must be an http(s) URL such as ${DEFAULT_OTLP_METRICS_URL}; got "${url}"`);
    return url;
  }
  const metricsEndpoint = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']?.trim();
  if (metricsEndpoint) {
    if (isHttpUrl(metricsEndpoint)) return metricsEndpoint;
    warnEnv('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', metricsEndpoint);
  }
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (endpoint) {
    // The spec: the signal path is appended to the base endpoint (…/v1/metrics), a trailing slash removed.
    const joined = `${endpoint.replace(/\/+$/, '')}/v1/metrics`;
    if (isHttpUrl(joined)) return joined;
    warnEnv('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint);
  }
  return DEFAULT_OTLP_METRICS_URL;
}

function isHttpUrl(value: string): boolean {
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${PACKAGE_NAME}: ${name} must be a positive integer (milliseconds); got ${String(value)}`);
  }
  if (value > MAX_TIMER_MILLIS) {
    throw new RangeError(`${PACKAGE_NAME}: ${name} must be at most ${MAX_TIMER_MILLIS} (the longest Node.js timer); got ${value}`);
  }
  return value;
}

function envInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0 && value <= MAX_TIMER_MILLIS) return value;
  warnEnv(name, raw);
  return undefined;
}

function warnEnv(name: string, value: string): void {
  diag.warn(`${PACKAGE_NAME}: ignoring ${name}="${value}" (not valid); using the default`);
}
