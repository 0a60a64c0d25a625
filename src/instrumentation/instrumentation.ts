import {
  diag,
  metrics,
  type BatchObservableCallback,
  type Meter,
  type MeterProvider,
  type ObservableGauge,
  type TracerProvider,
} from '@opentelemetry/api';
import { MEMORY_METRICS } from '../contract';
import { TaskStatsSampler } from '../sampler/sampler';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { assertOptionsObject } from '../options/validate';
import { METADATA_URI_ENV, resolveSamplerOptions, type EcsTaskStatsInstrumentationConfig } from './config';
import { createMemoryGauges, gaugeList, type MemoryGauges } from './instruments';
import { observationOf } from './observations';
import { onProviderShutdown } from './provider-shutdown';

const CONFIG_EXAMPLE = "a config object such as { includeContainers: ['app'] }";

/**
 * Per-container memory gauges for Amazon ECS, read from the task metadata endpoint v4.
 *
 * Implements the OpenTelemetry JS `Instrumentation` interface structurally, with `@opentelemetry/api` as its
 * only dependency, so it works with any SDK line: in NodeSDK's `instrumentations: [...]`, with
 * `registerInstrumentations`, or with a MeterProvider passed to {@link setMeterProvider} by hand.
 *
 * Lifecycle: enabled at construction unless `enabled: false`; `enable()`/`disable()` are idempotent;
 * `setMeterProvider` moves the gauges to the new provider (NodeSDK calls it twice: first with the no-op
 * global provider, then with its own). NodeSDK's shutdown never calls `disable()`, so the sampler's timer
 * and socket are unref'd: the instrumentation never keeps the process alive.
 */
export class EcsTaskStatsInstrumentation {
  /** The instrumentation and meter (scope) name: `otel-ecs-task-stats`. */
  readonly instrumentationName: string = PACKAGE_NAME;
  /** The package version. */
  readonly instrumentationVersion: string = PACKAGE_VERSION;

  private _config: EcsTaskStatsInstrumentationConfig = {};
  private _sampler: TaskStatsSampler | undefined;
  private _meter: Meter;
  private _meterProvider: MeterProvider | undefined;
  private readonly _hookedProviders = new WeakSet<MeterProvider>();
  private _providerShutDownSeen = false;
  private _gauges: MemoryGauges;
  private _registeredOn: { meter: Meter; gauges: ObservableGauge[] } | undefined;
  private _enabled = false;
  private readonly _diag = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  private readonly _observe: BatchObservableCallback = (result) => {
    const sampler = this._sampler;
    if (sampler === undefined) return;
    // No I/O here: the callback only reads what was computed when the sample arrived.
    for (const container of sampler.current()) {
      const { attributes, mib } = observationOf(container);
      for (const { name } of MEMORY_METRICS) {
        const value = mib[name];
        if (value !== undefined) result.observe(this._gauges[name], value, attributes);
      }
    }
  };

  /**
   * @throws TypeError or RangeError when an option is invalid; the message says what to change. A `config`
   * that is not an object (null, a string, …) throws a TypeError with `code` `ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS`.
   */
  constructor(config: EcsTaskStatsInstrumentationConfig = {}) {
    assertOptionsObject(config, 'new EcsTaskStatsInstrumentation(config)', CONFIG_EXAMPLE);
    this._meter = metrics.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    this._gauges = createMemoryGauges(this._meter);
    this.setConfig(config);
    if (this._config.enabled !== false) this.enable();
  }

  /** Starts sampling and reporting. Off ECS (no metadata URI) it logs one warning and does nothing else. */
  enable(): void {
    if (this._enabled) return;
    this._enabled = true;
    this._providerShutDownSeen = false;
    this._register();
    this._sampler?.start();
  }

  /** Stops sampling and reporting; the gauges observe nothing until `enable()`. */
  disable(): void {
    if (!this._enabled) return;
    this._enabled = false;
    this._unregister();
    this._sampler?.stop();
  }

  /** True between `enable()` and `disable()`. */
  isEnabled(): boolean {
    return this._enabled;
  }

  /**
   * Moves the gauges to this provider's meter. When that provider is later shut down (NodeSDK's
   * `shutdown()` shuts its MeterProvider down but never calls `disable()`), sampling stops with it: no poll,
   * no timer and no socket outlive the SDK, even through a later `setConfig()`. A later `setMeterProvider()`, or
   * `disable()` then `enable()`, starts it again.
   */
  setMeterProvider(meterProvider: MeterProvider): void {
    this._unregister();
    this._meterProvider = meterProvider;
    this._providerShutDownSeen = false;
    this._meter = meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    this._gauges = createMemoryGauges(this._meter);
    if (!this._hookedProviders.has(meterProvider)) {
      this._hookedProviders.add(meterProvider);
      try {
        onProviderShutdown(meterProvider, () => this._providerShutDown(meterProvider));
      } catch (error) {
        // A frozen or exotic provider: sampling then stops only with disable(). Never a reason to throw.
        this._diag.warn(`cannot follow this MeterProvider's shutdown(); call disable() after shutting it down: ${String(error)}`);
      }
    }
    if (this._enabled) {
      this._register();
      this._sampler?.start();
    }
  }

  /** Part of the Instrumentation interface; this package records no spans. */
  setTracerProvider(_tracerProvider: TracerProvider): void {}

  /** The configuration as given (with `enabled` defaulted to true). */
  getConfig(): EcsTaskStatsInstrumentationConfig {
    return { ...this._config };
  }

  /**
   * Replaces the configuration. A running sampler restarts with the new settings (peaks sampled so far are
   * not carried over). Does not enable or disable: use `enable()`/`disable()`.
   * @throws TypeError or RangeError when an option is invalid.
   */
  setConfig(config: EcsTaskStatsInstrumentationConfig = {}): void {
    assertOptionsObject(config, 'setConfig(config)', CONFIG_EXAMPLE);
    const { options, problem } = resolveSamplerOptions(config);
    this._config = { ...config, enabled: config.enabled ?? true };
    this._sampler?.stop();
    this._sampler = options === undefined ? undefined : new TaskStatsSampler(options);
    if (options === undefined) {
      this._diag.warn(
        problem ??
          `${METADATA_URI_ENV} is not set: not running on Amazon ECS (or on a platform without the task metadata endpoint v4). No memory metrics will be reported.`,
      );
    }
    // After the provider shut down, only setMeterProvider() or enable() start polling again.
    if (this._enabled && !this._providerShutDownSeen) this._sampler?.start();
  }

  /**
   * Takes one sample now (or joins the one in flight) and resolves when the figures are updated. Used at
   * exit for a final sample before the last export. Never rejects; a no-op off ECS and while disabled
   * (disabled means idle: no request).
   */
  sampleNow(): Promise<void> {
    if (!this._enabled) return Promise.resolve();
    return this._sampler?.sampleNow() ?? Promise.resolve();
  }

  /** @internal The sampler, for the one-call setup, tests and benchmarks. */
  get _taskStatsSampler(): TaskStatsSampler | undefined {
    return this._sampler;
  }

  private _providerShutDown(meterProvider: MeterProvider): void {
    if (meterProvider !== this._meterProvider) return; // we moved on to another provider since
    // The callback stays registered: the provider's final collection, which runs right after this,
    // still exports the last figures. Only the polling stops.
    this._providerShutDownSeen = true;
    this._sampler?.stop();
  }

  private _register(): void {
    if (this._registeredOn !== undefined) return;
    const gauges = gaugeList(this._gauges);
    this._meter.addBatchObservableCallback(this._observe, gauges);
    this._registeredOn = { meter: this._meter, gauges };
  }

  private _unregister(): void {
    if (this._registeredOn === undefined) return;
    this._registeredOn.meter.removeBatchObservableCallback(this._observe, this._registeredOn.gauges);
    this._registeredOn = undefined;
  }
}
