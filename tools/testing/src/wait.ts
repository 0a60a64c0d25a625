/**
 * Waiting for servers, the kernel and child processes without fixed sleeps: poll a condition until it holds, with a
 * generous bound (a loaded 2-core machine may be slow; a bound only turns a hang into a clear failure).
 */
export const DEFAULT_WAIT_MILLIS = 30_000;

/** Resolves with the first truthy value `probe` returns; rejects, naming `what`, after `timeoutMillis`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMillis = DEFAULT_WAIT_MILLIS,
  everyMillis = 20,
): Promise<T> {
  const deadline = performance.now() + timeoutMillis;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMillis));
  }
}

/** `promise`, or a rejection naming `what` once `timeoutMillis` have passed. */
export async function within<T>(what: string, promise: Promise<T>, timeoutMillis = DEFAULT_WAIT_MILLIS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`)), timeoutMillis);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
