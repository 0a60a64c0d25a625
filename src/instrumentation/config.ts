import {
  booleanOption,
  httpUrlOption,
  includeContainersOption,
  integerOption,
  MAX_TIMER_MILLIS,
  parseHttpUrl,
  type HttpUrlRules,
} from '../options/validate';
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

/** Defaults. */
const DEFAULT_SAMPLE_INTERVAL_MILLIS = 5000;
/** The fastest `sampleIntervalMillis` accepted: no endpoint refreshes faster than once a second. */
export const MIN_SAMPLE_INTERVAL_MILLIS = 1000;
const DEFAULT_REQUEST_TIMEOUT_MILLIS = 2000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Fargate and Managed Instances refresh stats every 10 s; EC2's polling mode up to every 20 s. */
const MIN_STALE_AFTER_MILLIS = 30_000;
export const METADATA_URI_ENV = 'ECS_CONTAINER_METADATA_URI_V4';

/** The validated sampler settings, or undefined off ECS (no metadata URI anywhere). */
export type ResolvedSamplerOptions = Omit<SamplerOptions, 'clock' | 'random'> | undefined;

const METADATA_URI_RULES: HttpUrlRules = { example: 'http://169.254.170.2/v4/<id>', bare: true };

/**
 * Validates the configuration and resolves defaults. Throws, with a message saying what to change and a
 * stable `code`, on a configuration error in `config`. A malformed environment variable is not the caller's
 * error: it yields `{ options: undefined, problem }` so that the instrumentation can log it and stay idle.
 */
export function resolveSamplerOptions(
  config: EcsTaskStatsInstrumentationConfig,
  env: NodeJS.ProcessEnv = process.env,
): { options: ResolvedSamplerOptions; problem?: string } {
  const sampleIntervalMillis =
    integerOption('sampleIntervalMillis', config.sampleIntervalMillis, MIN_SAMPLE_INTERVAL_MILLIS, MAX_TIMER_MILLIS) ??
    DEFAULT_SAMPLE_INTERVAL_MILLIS;
  const requestTimeoutMillis =
    integerOption('requestTimeoutMillis', config.requestTimeoutMillis, 1, MAX_TIMER_MILLIS) ?? DEFAULT_REQUEST_TIMEOUT_MILLIS;
  const staleAfterMillis =
    integerOption('staleAfterMillis', config.staleAfterMillis, sampleIntervalMillis) ??
    Math.max(3 * sampleIntervalMillis, MIN_STALE_AFTER_MILLIS);
  const maxResponseBytes = integerOption('maxResponseBytes', config.maxResponseBytes, 1024) ?? DEFAULT_MAX_RESPONSE_BYTES;
  const includeContainer = includeContainersOption(config.includeContainers);
  booleanOption('enabled', config.enabled);

  let metadataUri = httpUrlOption('metadataUri', config.metadataUri, METADATA_URI_RULES);
  if (metadataUri === undefined) {
    const fromEnv = env[METADATA_URI_ENV]?.trim();
    if (fromEnv === undefined || fromEnv === '') return { options: undefined };
    const { url, problem } = parseHttpUrl(fromEnv, METADATA_URI_RULES);
    if (url === undefined) return { options: undefined, problem: `${METADATA_URI_ENV} ${problem}` };
    metadataUri = url;
  }
  return {
    options: { metadataUri, sampleIntervalMillis, requestTimeoutMillis, staleAfterMillis, maxResponseBytes, includeContainer },
  };
}
