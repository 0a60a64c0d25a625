/**
 * A final sample and flush when the process ends, without changing how it ends.
 *
 * - `beforeExit` (a batch job that just finishes): flush once. Node fires `beforeExit` again after the
 *   asynchronous flush empties the loop, so the hook is guarded. It never fires on `process.exit()`, on a
 *   signal or on an uncaught exception.
 * - SIGTERM (ECS stops a task with SIGTERM, then SIGKILL after `stopTimeout`, 30 s by default) and SIGINT:
 *   flush within the bound, then remove our hooks and, if the application had no listener of its own for that
 *   signal when it arrived, re-raise it, so the process ends exactly as it would have without us (killed by
 *   the signal). If the application had one, the ending is its business: we only flush.
 * - A second SIGTERM or SIGINT while that flush runs ends the process at once, by that signal, unless the
 *   application has a listener for it (then its listener decides); no second flush either way.
 */
export interface ExitHooks {
  /** Removes the listeners. Idempotent. */
  remove(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Installs the hooks; `finalFlush` must never reject and must be bounded in time. */
export function installExitHooks(finalFlush: () => Promise<void>): ExitHooks {
  let flushedAtBeforeExit = false;
  let signalled = false;
  const applicationListeners = trackApplicationListeners((listener) => listener === onSignal);

  const onBeforeExit = (): void => {
    if (flushedAtBeforeExit || signalled) return;
    flushedAtBeforeExit = true;
    void finalFlush();
  };
  function onSignal(signal: NodeJS.Signals): void {
    // Decided now: a handler the application adds later, while we flush, does not change our decision.
    const applicationHandlesIt = applicationListeners.hadAny(signal);
    if (signalled) {
      // A second signal while the final flush runs (Ctrl-C pressed twice): it means "now", as in npm and most
      // CLIs. The application's handler decides if it has one; else the signal ends the process at once.
      if (applicationHandlesIt) return;
      hooks.remove();
      process.kill(process.pid, signal);
      return;
    }
    signalled = true;
    void finalFlush().then(() => {
      hooks.remove();
      if (!applicationHandlesIt) process.kill(process.pid, signal);
    });
  }

  process.on('beforeExit', onBeforeExit);
  // First in line, so that when ours runs the application's `once` listeners have not yet removed themselves.
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
  const hooks: ExitHooks = {
    remove(): void {
      process.removeListener('beforeExit', onBeforeExit);
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
      applicationListeners.stop();
    },
  };
  return hooks;
}

/**
 * Answers "did the application have a listener for this signal when it arrived?", whatever the order of
 * the listeners and whether they were added with `on` or `once` (issue 14). Node removes a `once` listener
 * before calling it, and one added later with `prependListener` runs before ours: so besides the listeners
 * registered now, a listener removed earlier in the same tick counts too. A signal is emitted from its own
 * libuv callback, and the tick queue only runs after it, so "this tick" is "during this emit".
 */
function trackApplicationListeners(isOurs: (listener: unknown) => boolean): {
  hadAny(signal: string): boolean;
  stop(): void;
} {
  const removedThisTick = new Set<string>();
  let clearScheduled = false;
  const onRemoveListener = (event: string | symbol, listener: unknown): void => {
    if (typeof event !== 'string' || !(SIGNALS as readonly string[]).includes(event) || isOurs(listener)) return;
    removedThisTick.add(event);
    if (clearScheduled) return;
    clearScheduled = true;
    process.nextTick(() => {
      removedThisTick.clear();
      clearScheduled = false;
    });
  };
  process.on('removeListener', onRemoveListener);
  return {
    hadAny: (signal) => removedThisTick.has(signal) || process.listeners(signal as NodeJS.Signals).some((l) => !isOurs(l)),
    stop: () => process.removeListener('removeListener', onRemoveListener),
  };
}

/** Resolves after `promise` or after `millis`, whichever is first; never rejects; the timer is unref'd. */
export function withinMillis(promise: Promise<unknown>, millis: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, millis);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
