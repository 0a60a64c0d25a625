/**
 * Readers for untrusted JSON: every field of a metadata payload is checked for type and range before any
 * arithmetic, so a string, a negative number or an absurd value never becomes a figure.
 */

/** A plain JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** Returns the value as an object when it is a plain JSON object, else undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** Returns a non-empty string field, else undefined. */
export function readString(obj: JsonObject | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Returns a byte count: a finite, non-negative number below 2^53 (from there on a double cannot hold
 * an exact count, and no real counter gets there). Anything else (string, negative, NaN) is undefined.
 * Limits use {@link readLimitBytes}, which accepts the larger "no limit" sentinels.
 */
export function readByteCount(obj: JsonObject | undefined, key: string): number | undefined {
  const value = obj?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER
    ? value
    : undefined;
}

/** Returns a limit in bytes: a finite non-negative number of any size (sentinels are resolved later). */
export function readLimitBytes(obj: JsonObject | undefined, key: string): number | undefined {
  const value = obj?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
