import { diag } from '@opentelemetry/api';
import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { resolveSamplerOptions } from '../instrumentation/config';
import { EcsTaskStatsInstrumentation } from '../instrumentation/instrumentation';
import { codedError, ERROR_CODES } from '../errors';
import { assertOptionsObject } from '../options/validate';
import { PACKAGE_NAME } from '../version';
import { installExitHooks, withinMillis, type ExitHooks } from './exit-hooks';
import { resolveExportOptions, type StartEcsTaskStatsOptions } from './options';

/**
 * The SDK MeterProvider {@link startEcsTaskStats} built (`@opentelemetry/sdk-metrics` 2.x or 3.x, whichever
 * the application installed), typed structurally so that these declarations need no SDK package.
 */
export interface EcsTaskStatsMeterProvider extends ApiMeterProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What {@link startEcsTaskStats} returns. */
export interface EcsTaskStatsHandle {
  /** The MeterProvider it built; other instruments of the application may use it too. */
  readonly meterProvider: EcsTaskStatsMeterProvider;
  /** The instrumentation, enabled on `meterProvider`. */
  readonly instrumentation: EcsTaskStatsInstrumentation;
  /** Takes a sample now and exports everything. Never rejects. Idle (`enabled: false`, off ECS): resolves, doing nothing. */
  forceFlush(): Promise<void>;
  /**
   * Final sample and export, then stops everything and removes the exit hooks. Idempotent; never rejects.
   * Idle (`enabled: false`, off ECS): requests and exports nothing, and ends the handle.
   */
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
 * With `enabled: false` the handle is idle: no sampling, no request, no export timer, no exit hook.
 * Enabling the instrumentation later does not start exporting: `shutdown()` and call it again instead.
 *
 * @throws TypeError or RangeError when an option is invalid, with a stable `code` ({@link ERROR_CODES}); the
 * message says what to change. An Error with `code` `ERR_OTEL_ECS_TASK_STATS_MISSING_SDK` when the SDK
 * packages are not installed.
 */
export function startEcsTaskStats(options: StartEcsTaskStatsOptions = {}): EcsTaskStatsHandle {
  assertOptionsObject(options, 'startEcsTaskStats(options)', "an options object such as { url: 'http://127.0.0.1:4318/v1/metrics' }");
  const exportOptions = resolveExportOptions(options);
  const instrumentationConfig = stripExportOptions(options);
  if (active !== undefined) {
    resolveSamplerOptions(instrumentationConfig); // still reject invalid options, as a first call would
    diag.warn(`${PACKAGE_NAME}: startEcsTaskStats() was called again; returning the handle already running`);
    return active;
  }
  // Loaded before the instrumentation exists: when the SDK packages are missing this throws, and must not
  // leave a sampler polling the endpoint behind it.
  const pipeline = loadPipeline();
  // Enabled at construction on the global meter (no-op unless set), then moved to our provider below.
  const instrumentation = new EcsTaskStatsInstrumentation(instrumentationConfig);
  // Off ECS, or `enabled: false`: idle. A provider with no reader (no export timer), no exit hooks; flush
  // and shutdown request and export nothing (issue 14).
  const sampling = instrumentation._taskStatsSampler !== undefined && instrumentation.isEnabled();
  const meterProvider = pipeline.createMeterProvider(exportOptions, sampling);
  instrumentation.setMeterProvider(meterProvider);

  const exportNow = (): Promise<void> =>
    meterProvider.forceFlush().catch((error: unknown) => {
      diag.warn(`${PACKAGE_NAME}: export failed: ${String(error)}`);
    });
  const flush = async (): Promise<void> => {
    await instrumentation.sampleNow();
    await exportNow();
  };
  // At exit the final sample gets at most half of the bound: a metadata endpoint that hangs for longer
  // (requestTimeoutMillis may exceed shutdownTimeoutMillis) must still leave time to export the last good sample.
  const finalSample = (): Promise<void> => withinMillis(instrumentation.sampleNow(), exportOptions.shutdownTimeoutMillis / 2);
  let hooks: ExitHooks | undefined =
    sampling && exportOptions.handleSignals
      ? installExitHooks(() => withinMillis(finalSample().then(exportNow), exportOptions.shutdownTimeoutMillis))
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
          finalSample().then(() => meterProvider.shutdown()),
          exportOptions.shutdownTimeoutMillis,
        );
        instrumentation.disable();
        if (active === handle) active = undefined;
      })()),
  };
  active = handle;
  return handle;
}

/** The SDK packages the one-call setup uses: optional peer dependencies, installed by the application. */
const SDK_PACKAGES = ['@opentelemetry/sdk-metrics', '@opentelemetry/exporter-metrics-otlp-http', '@opentelemetry/resources'];

/**
 * Loads the export pipeline, and with it the SDK, at the call rather than at import: an application that
 * only uses the instrumentation needs no SDK package from us. Throws, saying what to install, when the
 * application has not installed them.
 */
function loadPipeline(): typeof import('./pipeline') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./pipeline') as typeof import('./pipeline');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw codedError(
      Error,
      ERROR_CODES.MISSING_SDK,
      `startEcsTaskStats() needs the OpenTelemetry SDK packages ${SDK_PACKAGES.join(', ')}. ` +
        'Install them beside this package: on Node.js 20, `npm install @opentelemetry/sdk-metrics@^2.12.0 ' +
        '@opentelemetry/exporter-metrics-otlp-http@^0.223.0 @opentelemetry/resources@^2.12.0`; on Node.js >= 22.15 ' +
        'the 3.x line works too (sdk-metrics ^3.1.0, exporter ^0.301.0, resources ^3.1.0). ' +
        `(${(error as Error).message.split('\n')[0]})`,
      { cause: error },
    );
  }
}

function stripExportOptions(options: StartEcsTaskStatsOptions): StartEcsTaskStatsOptions {
  const { url: _u, exportIntervalMillis: _i, exportTimeoutMillis: _t, handleSignals: _h, shutdownTimeoutMillis: _s, ...rest } = options;
  return rest;
}
