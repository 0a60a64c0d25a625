/**
 * Following a MeterProvider's `shutdown()`. The riskiest code of the package: it wraps a method of an object
 * the application owns, so it is kept small, here, and unit-tested against the MeterProvider of each SDK line
 * (test/instrumentation/provider-shutdown.test.ts).
 *
 * Why it exists: the instrumentation polls the metadata endpoint in the background, and NodeSDK's `shutdown()`
 * shuts its MeterProvider down but never calls the instrumentation's `disable()`
 * (opentelemetry-js experimental/packages/opentelemetry-sdk-node/src/sdk.ts). The API has no shutdown event
 * either. Without this, a sampler would keep polling (timer unref'd, so it would not hold the process open, but
 * requests would go on) after the application shut OpenTelemetry down.
 */
import type { MeterProvider } from '@opentelemetry/api';

/** Where the listeners of a wrapped provider live: one Set per provider, shared by every instrumentation. */
const SHUTDOWN_LISTENERS = Symbol.for('otel-ecs-task-stats.shutdownListeners');
type ShutdownAware = { shutdown?: unknown; [SHUTDOWN_LISTENERS]?: Set<() => void> };

/**
 * Calls `listener` when `provider.shutdown()` is called, before the provider's own shutdown runs, once. Wraps
 * `shutdown` once per provider, whatever the SDK line (2.x and 3.x have it on the prototype); more listeners
 * join the same wrapper. A provider without `shutdown()` (the API's no-op provider) is left alone. A listener
 * that throws never breaks the application's shutdown. Throws (a TypeError) when the provider cannot be
 * changed (frozen, sealed): the provider is then left as it was, and the caller logs that and carries on.
 */
export function onProviderShutdown(provider: MeterProvider, listener: () => void): void {
  const target = provider as ShutdownAware;
  if (typeof target.shutdown !== 'function') return;
  let listeners = target[SHUTDOWN_LISTENERS];
  if (listeners === undefined) {
    const original = target.shutdown as (...args: unknown[]) => unknown;
    const registered = new Set<() => void>();
    listeners = registered;
    // Wrapped first, then the registry attached: when either step is refused (a frozen or sealed provider),
    // the provider is left as it was and the caller hears of it.
    target.shutdown = function (this: unknown, ...args: unknown[]): unknown {
      for (const notify of registered) {
        try {
          notify();
        } catch {
          // A listener must never break the application's shutdown.
        }
      }
      registered.clear();
      return original.apply(this, args);
    };
    try {
      Object.defineProperty(target, SHUTDOWN_LISTENERS, { value: registered });
    } catch (error) {
      target.shutdown = original;
      throw error;
    }
  }
  listeners.add(listener);
}
