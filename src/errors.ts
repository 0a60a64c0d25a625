/**
 * Stable codes of the errors this package throws at construction, in the style of Node's own
 * (`ERR_INVALID_ARG_TYPE`, `ERR_OUT_OF_RANGE`) and undici's (`UND_ERR_*`): callers match on `error.code`,
 * never on the message, which is for people and says what to change. The one place for them.
 */
import { PACKAGE_NAME } from './version';

export const ERROR_CODES = {
  /** TypeError: the options argument is neither an object nor `undefined` (null, a string, a number, an array, …). */
  INVALID_OPTIONS: 'ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS',
  /** TypeError: an option has the wrong type (`enabled: 'false'`, `sampleIntervalMillis: '5000'`, …). */
  INVALID_OPTION_TYPE: 'ERR_OTEL_ECS_TASK_STATS_INVALID_OPTION_TYPE',
  /** TypeError: an option has the right type but cannot be used (a URL that does not parse, uses ftp:, carries credentials). */
  INVALID_OPTION_VALUE: 'ERR_OTEL_ECS_TASK_STATS_INVALID_OPTION_VALUE',
  /** RangeError: a number option is not an integer, or outside its bounds (the message gives them). */
  OPTION_OUT_OF_RANGE: 'ERR_OTEL_ECS_TASK_STATS_OPTION_OUT_OF_RANGE',
  /** Error: `startEcsTaskStats()` needs the OpenTelemetry SDK packages, and the application has not installed them. */
  MISSING_SDK: 'ERR_OTEL_ECS_TASK_STATS_MISSING_SDK',
} as const;

/** One of {@link ERROR_CODES}. */
export type EcsTaskStatsErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * A `TypeError`, `RangeError` or `Error` carrying a stable `code`, its message prefixed with the package name
 * (`otel-ecs-task-stats: …`) so that a log line says where it comes from.
 */
export function codedError<E extends Error>(
  ErrorClass: new (message: string, options?: ErrorOptions) => E,
  code: EcsTaskStatsErrorCode,
  message: string,
  options?: ErrorOptions,
): E & { readonly code: EcsTaskStatsErrorCode } {
  return Object.assign(new ErrorClass(`${PACKAGE_NAME}: ${message}`, options), { code });
}
