import { createHook, type AsyncHook } from 'node:async_hooks';

/**
 * Counts the live timers (setTimeout/setInterval) created while it runs, by delay. Unlike
 * `process.getActiveResourcesInfo()`, it sees unref'd timers too, and the package unrefs all of its own.
 * Give the code under test distinctive delays (e.g. 1234 ms) and count those.
 */
export class LiveTimers {
  private readonly _live = new Map<number, { _idleTimeout?: number; _destroyed?: boolean }>();
  private readonly _hook: AsyncHook = createHook({
    init: (asyncId, type, _triggerId, resource) => {
      if (type === 'Timeout') this._live.set(asyncId, resource);
    },
    destroy: (asyncId) => {
      this._live.delete(asyncId);
    },
  });

  start(): this {
    this._hook.enable();
    return this;
  }

  stop(): void {
    this._hook.disable();
    this._live.clear();
  }

  /** Live timers whose delay (or interval) is `millis`. */
  withDelay(millis: number): number {
    let count = 0;
    for (const timer of this._live.values()) if (timer._idleTimeout === millis && timer._destroyed !== true) count++;
    return count;
  }
}
