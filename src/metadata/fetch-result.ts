/**
 * Why a request to the metadata endpoint produced no payload. Stable codes, in the spirit of undici's
 * `UND_ERR_*`: the sampler logs each kind once through `diag`, and tests assert on them.
 */
export type FetchFailureKind =
  /** No response headers or body within the request timeout. */
  | 'timeout'
  /** Refused, reset or closed connection; DNS or socket error. */
  | 'connection'
  /** 429 Too Many Requests: the next poll waits for `Retry-After`. */
  | 'rate-limited'
  /** Any other status outside 2xx (redirects included: they are never followed). */
  | 'http-status'
  /** The body exceeded the size cap; the request was aborted. */
  | 'too-large'
  /** A 2xx with an empty body. */
  | 'empty-body'
  /** A 2xx whose body is not JSON. */
  | 'invalid-json'
  /** JSON of the wrong shape (not a task object, not a stats map). */
  | 'invalid-payload';

/**
 * The outcome of one GET: a parsed JSON payload with the text it was parsed from, the news that the body is
 * the one the caller already had (not parsed again), or a failure that costs this sample only.
 */
export type FetchResult =
  | { readonly ok: true; readonly payload: unknown; readonly text: string; readonly unchanged?: undefined }
  | { readonly ok: true; readonly unchanged: true; readonly payload?: undefined }
  | {
      readonly ok: false;
      readonly kind: FetchFailureKind;
      readonly message: string;
      /** For 'rate-limited': how long the endpoint asked us to wait, when it said so. */
      readonly retryAfterMillis?: number;
    };

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or
 * unparsable; capped at one hour so a hostile header cannot silence the sampler for ever.
 */
export function parseRetryAfterMillis(header: string | string[] | undefined, nowMillis: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  const millis = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - nowMillis;
  if (!Number.isFinite(millis)) return undefined;
  return Math.min(Math.max(0, millis), 3_600_000);
}
