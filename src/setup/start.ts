import { diag } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { resolveSamplerOptions } from '../instrumentation/config';
import { EcsTaskStatsInstrumentation } from '../instrumentation/instrumentation';
import { PACKAGE_NAME } from '../version';
import { installExitHooks, withinMillis, type ExitHooks } from './exit-hooks';
import { resolveExportOptions, type StartEcsTaskStatsOptions } from './options';

/** What {@link startEcsTaskStats} returns. */
export interface EcsTaskStatsHandle {
  /** The MeterProvider it built (this package's SDK 2.x copy); other instruments may use it too. */
  readonly meterProvider: MeterProvider;
  /** The instrumentation, enabled on `meterProvider`. */
  readonly instrumentation: EcsTaskStatsInstrumentation;
  /** Takes a sample now and exports everything. Never rejects. */
  forceFlush(): Promise<void>;
  /** Final sample and export, then stops everything and removes the exit hooks. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}

let active: EcsTaskStatsHandle | undefined;

/**
 * One call for an application without OpenTelemetry: a MeterProvider with a PeriodicExportingMetricReader
 * and an OTLP/HTTP exporter (delta temporality, so stopped containers disappear), with the instrumentation
 * enabled on it, and a final sample and flush at exit (see `handleSignals`).
 *
 * Calling it again while a handle is active returns that handle (with a warning): one sampler, one set of
 * instruments, one exporter per process. After `shutdown()`, a new call starts afresh.
 *
 * @throws TypeError or RangeError when an option is invalid; the message says what to change.
 */
export function startEcsTaskStats(options: StartEcsTaskStatsOptions = {}): EcsTaskStatsHandle {
  const exportOptions = resolveExportOptions(options);
  const instrumentationConfig = stripExportOptions(options);
  if (active !== undefined) {
    resolveSamplerOptions(instrumentationConfig); // still reject invalid options, as a first call would
    diag.warn(`${PACKAGE_NAME}: startEcsTaskStats() was called again; returning the handle already running`);
    return active;
  }
  // Enabled at construction on the global meter (no-op unless set), then moved to our provider below.
  const instrumentation = new EcsTaskStatsInstrumentation(instrumentationConfig);
  const onEcs = instrumentation._taskStatsSampler !== undefined;
  // Loaded here, not at import: applications using only the instrumentation never load our SDK copy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createMeterProvider } = require('./pipeline') as typeof import('./pipeline');
  const meterProvider = createMeterProvider(exportOptions, onEcs);
  instrumentation.setMeterProvider(meterProvider);

  const flush = async (): Promise<void> => {
    await instrumentation.sampleNow();
    await meterProvider.forceFlush().catch((error: unknown) => {
      diag.warn(`${PACKAGE_NAME}: export failed: ${String(error)}`);
    });
  };
  let hooks: ExitHooks | undefined =
    onEcs && exportOptions.handleSignals
      ? installExitHooks(() => withinMillis(flush(), exportOptions.shutdownTimeoutMillis))
      : undefined;
  let shutdownPromise: Promise<void> | undefined;
  const handle: EcsTaskStatsHandle = {
    meterProvider,
    instrumentation,
    forceFlush: flush,
    shutdown: () =>
      (shutdownPromise ??= (async () => {
        hooks?.remove();
        hooks = undefined;
        // Sample, then shut the provider down while the callback is still registered: its final
        // collection exports that sample. Only then stop the sampler.
        await withinMillis(
          instrumentation.sampleNow().then(() => meterProvider.shutdown()),
          exportOptions.shutdownTimeoutMillis,
        );
        instrumentation.disable();
        if (active === handle) active = undefined;
      })()),
  };
  active = handle;
  return handle;
}

function stripExportOptions(options: StartEcsTaskStatsOptions): StartEcsTaskStatsOptions {
  const { url: _u, exportIntervalMillis: _i, exportTimeoutMillis: _t, handleSignals: _h, shutdownTimeoutMillis: _s, ...rest } = options;
  return rest;
}
