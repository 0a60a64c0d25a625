/**
 * Stable codes of the errors this package throws at construction, in the style of Node's own
 * (`ERR_INVALID_ARG_TYPE`) and undici's (`UND_ERR_*`): callers match on `error.code`, never on the message.
 * The one place for them, so that every configuration error can get its code here.
 */
export const ERROR_CODES = {
  /** The options argument is neither an object nor `undefined` (null, a string, a number, an array, …). */
  INVALID_OPTIONS: 'ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS',
} as const;

/** One of {@link ERROR_CODES}. */
export type EcsTaskStatsErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** A TypeError carrying a stable `code`. */
export function codedTypeError(code: EcsTaskStatsErrorCode, message: string): TypeError & { code: EcsTaskStatsErrorCode } {
  return Object.assign(new TypeError(message), { code });
}
