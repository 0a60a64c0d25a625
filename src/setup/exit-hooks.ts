/**
 * A final sample and flush when the process ends, without changing how it ends.
 *
 * - `beforeExit` (a batch job that just finishes): flush once. Node fires `beforeExit` again after the
 *   asynchronous flush empties the loop, so the hook is guarded. It never fires on `process.exit()`, on a
 *   signal or on an uncaught exception.
 * - SIGTERM (ECS stops a task with SIGTERM, then SIGKILL after `stopTimeout`, 30 s by default) and SIGINT:
 *   flush within the bound, then, if the application has no handler of its own for that signal, remove ours
 *   and re-raise it, so the process ends exactly as it would have without us (killed by the signal). If the
 *   application has a handler, the ending is its business: we only flush.
 */
export interface ExitHooks {
  /** Removes the listeners. Idempotent. */
  remove(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Installs the hooks; `finalFlush` must never reject and must be bounded in time. */
export function installExitHooks(finalFlush: () => Promise<void>): ExitHooks {
  let flushedAtBeforeExit = false;
  let signalled = false;

  const onBeforeExit = (): void => {
    if (flushedAtBeforeExit || signalled) return;
    flushedAtBeforeExit = true;
    void finalFlush();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) return;
    signalled = true;
    // Counted now: a handler the application adds later, while we flush, does not change our decision.
    const applicationHandlesIt = process.listenerCount(signal) > 1;
    void finalFlush().then(() => {
      if (applicationHandlesIt) return;
      hooks.remove();
      process.kill(process.pid, signal);
    });
  };

  process.on('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const hooks: ExitHooks = {
    remove(): void {
      process.removeListener('beforeExit', onBeforeExit);
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    },
  };
  return hooks;
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
