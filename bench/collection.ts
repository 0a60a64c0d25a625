/**
 * The cost of one metric collection for a task of N containers: the package's batch observable callback
 * through a real MeterProvider and MetricReader.collect() (no I/O: the figures were sampled beforehand), and
 * the callback alone, with a result that discards observations.
 */
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { BatchObservableCallback, BatchObservableResult } from '@opentelemetry/api';
import { EcsTaskStatsInstrumentation } from '../src';
import { TestReader } from '../tools/testing/src';
import { measureCost } from './measure';
import { sink } from './subjects';

/** Microseconds of CPU per collection. */
export interface CollectionResult {
  readonly containers: number;
  /** Data points one collection produces. */
  readonly points: number;
  /** MetricReader.collect() with the package's gauges registered: SDK aggregation included. */
  readonly collectCpuMicros: number;
  /** MetricReader.collect() on a MeterProvider without instruments: the SDK's fixed price. */
  readonly emptyCollectCpuMicros: number;
  /** The package's observable callback alone. */
  readonly callbackCpuMicros: number;
}

/** Measures collection for the task at `metadataUri` (`containers` running containers). */
export async function measureCollection(metadataUri: string, containers: number, iterations: number): Promise<CollectionResult> {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const emptyReader = new TestReader();
  const emptyProvider = new MeterProvider({ readers: [emptyReader] });
  // The longest interval there is: the one sample below is the only one.
  const instrumentation = new EcsTaskStatsInstrumentation({ metadataUri, sampleIntervalMillis: 2 ** 31 - 1, enabled: false });
  try {
    instrumentation.setMeterProvider(provider);
    instrumentation.enable();
    await instrumentation.sampleNow();
    const first = await reader.collect();
    const points = first.resourceMetrics.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, metric) => m + metric.dataPoints.length, 0), 0);
    if (points !== containers * 5) throw new Error(`collection produced ${points} points for ${containers} containers, not ${containers * 5}`);

    const collect = async (): Promise<void> => {
      sink.last = await reader.collect();
    };
    const emptyCollect = async (): Promise<void> => {
      sink.last = await emptyReader.collect();
    };
    // The callback is private; the benchmark calls it as the SDK does, with a result that keeps nothing.
    const callback = (instrumentation as unknown as { _observe: BatchObservableCallback })._observe;
    let observed = 0;
    const result: BatchObservableResult = {
      observe: () => {
        observed++;
      },
    };
    const callbackOnly = async (): Promise<void> => {
      await callback(result);
    };
    for (const run of [collect, emptyCollect, callbackOnly]) await measureCost(run, Math.ceil(iterations / 10));
    const collectCost = await measureCost(collect, iterations);
    const emptyCost = await measureCost(emptyCollect, iterations);
    const callbackCost = await measureCost(callbackOnly, iterations * 10);
    sink.last = observed;
    return {
      containers,
      points,
      collectCpuMicros: collectCost.cpuMicros,
      emptyCollectCpuMicros: emptyCost.cpuMicros,
      callbackCpuMicros: callbackCost.cpuMicros,
    };
  } finally {
    instrumentation.disable();
    await provider.shutdown();
    await emptyProvider.shutdown();
  }
}
