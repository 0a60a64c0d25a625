/**
 * A `/task/stats` body that refreshes on a cadence and is served from a cache in between, as the agent serves
 * it (Fargate and Managed Instances: every ~10 s): each refresh has its own `read` and, as `preread`, the
 * `read` of the refresh before; between two refreshes every request gets the same text, byte for byte (the
 * agent marshals the same cached sample, and Go's JSON encoder sorts map keys). Give `body` as a
 * FakeMetadataEndpoint route body.
 */

/** One refresh of the endpoint: its number and its timestamps on the endpoint's clock (ms since the epoch). */
export interface CacheRefresh {
  readonly sequence: number;
  readonly readMillis: number;
  readonly prereadMillis: number;
}

export interface CachedRefreshOptions {
  /** Time between two refreshes (`read − preread`). */
  readonly cadenceMillis: number;
  /** The endpoint's wall clock, ms since the epoch: `Date.now` by default; tests pass a hand clock plus an offset. */
  readonly clock?: () => number;
  /** The body of one refresh: JSON text, or a value to serialise. Called once per refresh. */
  readonly render: (refresh: CacheRefresh) => string | object;
}

export class CachedRefresh {
  /** The refresh each request was served, by sequence number, in order. */
  readonly served: number[] = [];
  private readonly _options: CachedRefreshOptions;
  private _cached: { sequence: number; text: string } | undefined;

  constructor(options: CachedRefreshOptions) {
    this._options = options;
  }

  /** The current refresh's text; a route body. */
  readonly body = (): string => {
    const { cadenceMillis, render } = this._options;
    const sequence = Math.floor((this._options.clock ?? Date.now)() / cadenceMillis);
    if (this._cached?.sequence !== sequence) {
      const readMillis = sequence * cadenceMillis;
      const value = render({ sequence, readMillis, prereadMillis: readMillis - cadenceMillis });
      this._cached = { sequence, text: typeof value === 'string' ? value : JSON.stringify(value) };
    }
    this.served.push(sequence);
    return this._cached.text;
  };
}

/** Docker's timestamp format: RFC 3339 with nanoseconds (`2025-02-27T05:22:49.186680233Z`). */
export function dockerTimestamp(millis: number): string {
  return new Date(millis).toISOString().replace(/Z$/, '000000Z');
}
