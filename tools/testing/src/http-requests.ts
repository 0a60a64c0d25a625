/**
 * The HTTP requests undici creates in this process, seen through its diagnostics channel
 * (`undici:request:create`, published synchronously when a request is made, before any byte is sent). A test
 * that advances fake timers can then say "no request was made" at once, without waiting for a server to see
 * nothing.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

const CHANNEL = 'undici:request:create';

export class UndiciRequests {
  /** `origin` + `path` of every request created since construction, in order. */
  readonly urls: string[] = [];
  private readonly _onCreate = (message: unknown): void => {
    const request = (message as { request?: { origin?: unknown; path?: unknown } }).request;
    this.urls.push(`${String(request?.origin)}${String(request?.path)}`);
  };

  constructor() {
    subscribe(CHANNEL, this._onCreate);
  }

  /** How many of them went to a path ending with `suffix` (e.g. `/task/stats`). */
  count(suffix: string): number {
    return this.urls.filter((url) => url.endsWith(suffix)).length;
  }

  dispose(): void {
    unsubscribe(CHANNEL, this._onCreate);
  }
}
