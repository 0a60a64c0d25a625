import { diag } from '@opentelemetry/api';
import type { EcsTaskStatsInstrumentationConfig } from '../instrumentation/config';
import { booleanOption, httpUrlOption, integerOption, isIntegerWithin, MAX_TIMER_MILLIS, parseHttpUrl } from '../options/validate';
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

const DEFAULT_OTLP_METRICS_URL = 'http://127.0.0.1:4318/v1/metrics';
const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;

const URL_RULES = { example: DEFAULT_OTLP_METRICS_URL };

/**
 * Resolves the export options. Throws on an invalid option (a configuration error, with a stable `code`); an
 * invalid environment variable is logged once and its default used, because the environment is not the
 * caller's code.
 */
export function resolveExportOptions(options: StartEcsTaskStatsOptions, env: NodeJS.ProcessEnv = process.env): ResolvedExportOptions {
  // Validated, then used as given (a URL object would add a trailing slash to a bare origin).
  const url = httpUrlOption('url', options.url, URL_RULES) === undefined ? urlFromEnv(env) : (options.url as string);
  const exportIntervalMillis =
    millisOption('exportIntervalMillis', options.exportIntervalMillis) ??
    envMillis(env, 'OTEL_METRIC_EXPORT_INTERVAL') ??
    DEFAULT_EXPORT_INTERVAL_MILLIS;
  const shutdownTimeoutMillis = millisOption('shutdownTimeoutMillis', options.shutdownTimeoutMillis) ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const requestedTimeout =
    millisOption('exportTimeoutMillis', options.exportTimeoutMillis) ?? envMillis(env, 'OTEL_METRIC_EXPORT_TIMEOUT') ?? DEFAULT_EXPORT_TIMEOUT_MILLIS;
  const handleSignals = booleanOption('handleSignals', options.handleSignals) ?? true;
  return {
    url,
    exportIntervalMillis,
    // The exporter retries until this deadline: capping it at the exit bound keeps a down collector from
    // holding a finishing process open with retry timers.
    exportTimeoutMillis: Math.min(requestedTimeout, exportIntervalMillis, shutdownTimeoutMillis),
    handleSignals,
    shutdownTimeoutMillis,
  };
}

/** A duration option that sets a timer: 1 ms to the longest Node.js timer. */
function millisOption(name: string, value: unknown): number | undefined {
  return integerOption(name, value, 1, MAX_TIMER_MILLIS);
}

function urlFromEnv(env: NodeJS.ProcessEnv): string {
  const metricsEndpoint = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']?.trim();
  if (metricsEndpoint) {
    const { url } = parseHttpUrl(metricsEndpoint, URL_RULES);
    if (url !== undefined) return metricsEndpoint;
    warnEnv('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', metricsEndpoint);
  }
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (endpoint) {
    // The spec: the signal path is appended to the base endpoint (…/v1/metrics), a trailing slash removed.
    const joined = `${endpoint.replace(/\/+$/, '')}/v1/metrics`;
    if (parseHttpUrl(joined, URL_RULES).url !== undefined) return joined;
    warnEnv('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint);
  }
  return DEFAULT_OTLP_METRICS_URL;
}

function envMillis(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (isIntegerWithin(value, 1, MAX_TIMER_MILLIS)) return value;
  warnEnv(name, raw);
  return undefined;
}

function warnEnv(name: string, value: string): void {
  diag.warn(`${PACKAGE_NAME}: ignoring ${name}="${value}" (not valid); using the default`);
}
