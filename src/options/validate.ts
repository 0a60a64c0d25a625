/**
 * The option validators: the one place that decides whether an option can be used, for the instrumentation's
 * config and for `startEcsTaskStats()` alike. Each throws at construction a Node-style error with a stable
 * `code` (src/errors.ts): a `TypeError` for a wrong type or an unusable value, a `RangeError` for a number
 * outside its bounds. The message names the option, says what it takes and shows what it got.
 */
import { codedError, ERROR_CODES } from '../errors';

/**
 * The longest delay a Node.js timer takes (2^31 − 1 ms, about 24.8 days): a longer one fires after 1 ms
 * (TimeoutOverflowWarning), so an interval or timeout above it would poll, export or time out at once.
 */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/**
 * Throws a TypeError (`ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS`) unless `value` is an object or undefined (all
 * defaults). `call` names what was called, `expected` what it takes, with an example.
 */
export function assertOptionsObject(value: unknown, call: string, expected: string): void {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return;
  throw codedError(TypeError, ERROR_CODES.INVALID_OPTIONS, `${call} takes ${expected}, or nothing for all defaults; got ${describeValue(value)}`);
}

/** An integer option from `min` to `max`, or undefined when it is not given. */
export function integerOption(name: string, value: unknown, min: number, max: number = Number.POSITIVE_INFINITY): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    throw codedError(TypeError, ERROR_CODES.INVALID_OPTION_TYPE, `${name} must be a number, an integer ${describeBounds(min, max)}; got ${describeValue(value)}`);
  }
  if (!isIntegerWithin(value, min, max)) {
    throw codedError(RangeError, ERROR_CODES.OPTION_OUT_OF_RANGE, `${name} must be an integer ${describeBounds(min, max)}; got ${String(value)}`);
  }
  return value;
}

/** True for an integer from `min` to `max` (the check {@link integerOption} makes, for environment variables). */
export function isIntegerWithin(value: number, min: number, max: number = Number.POSITIVE_INFINITY): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** A boolean option, or undefined when it is not given. A string such as 'false' would otherwise count as true. */
export function booleanOption(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw codedError(TypeError, ERROR_CODES.INVALID_OPTION_TYPE, `${name} must be true or false; got ${describeValue(value)}`);
}

/** What an http(s) URL option must be like besides its protocol. */
export interface HttpUrlRules {
  /** An example of a good value, for the message. */
  readonly example: string;
  /** Refuse credentials, a query and a fragment (a base URL that paths are appended to). */
  readonly bare?: boolean;
}

/**
 * Parses an http(s) URL; returns what is wrong with it instead of throwing, for environment variables, which
 * are logged rather than thrown (the environment is not the caller's code).
 */
export function parseHttpUrl(text: string, rules: HttpUrlRules): { url: URL; problem?: undefined } | { url?: undefined; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `must be an absolute http(s) URL such as ${rules.example}; got ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `must use http: or https: (such as ${rules.example}); got ${JSON.stringify(url.protocol)}` };
  }
  if (rules.bare === true && (url.username !== '' || url.password !== '')) {
    return { problem: 'must not contain credentials (user:password@); the endpoint needs none' };
  }
  if (rules.bare === true && (url.search !== '' || url.hash !== '')) {
    return { problem: 'must not contain a query or fragment; paths such as /task/stats are appended to it' };
  }
  return { url };
}

/** An http(s) URL option, or undefined when it is not given. */
export function httpUrlOption(name: string, value: unknown, rules: HttpUrlRules): URL | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw codedError(TypeError, ERROR_CODES.INVALID_OPTION_TYPE, `${name} must be a string, an http(s) URL such as ${rules.example}; got ${describeValue(value)}`);
  }
  const { url, problem } = parseHttpUrl(value, rules);
  if (url === undefined) throw codedError(TypeError, ERROR_CODES.INVALID_OPTION_VALUE, `${name} ${problem}`);
  return url;
}

/**
 * `includeContainers` as a predicate: a list of names, a RegExp, or a predicate of its own; every container
 * when it is not given.
 */
export function includeContainersOption(value: unknown): (containerName: string) => boolean {
  if (value === undefined) return () => true;
  if (typeof value === 'function') return value as (containerName: string) => boolean;
  if (value instanceof RegExp) {
    // A global or sticky RegExp keeps state between test() calls: copy it without those flags.
    const pattern = new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
    return (name) => pattern.test(name);
  }
  if (Array.isArray(value) && value.every((name) => typeof name === 'string')) {
    const names = new Set<string>(value);
    return (name) => names.has(name);
  }
  throw codedError(
    TypeError,
    ERROR_CODES.INVALID_OPTION_TYPE,
    `includeContainers must be an array of container names, a RegExp or a function; got ${describeValue(value)}`,
  );
}

function describeBounds(min: number, max: number): string {
  if (max === Number.POSITIVE_INFINITY) return `>= ${min}`;
  return `from ${min} to ${max}${max === MAX_TIMER_MILLIS ? ' (2^31 − 1, the longest Node.js timer)' : ''}`;
}

/** What a value is, for a message; a string is quoted and cut, since it may be long. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'bigint') return `the bigint ${String(value)}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
