/**
 * Event-loop delay added by the package to a process busy with its own work. The process runs a steady
 * workload (0.5 ms of allocation-heavy synchronous work every 2 ms) while alternating windows without and
 * with the package (the instrumentation sampling every 1 s, a collection every 1 s), in alternating
 * windows. Every window has a fresh `monitorEventLoopDelay` histogram (one re-enabled would count the time it
 * was off as one delay); a condition's p50 and p99 are the medians of its windows', its max the largest.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { EcsTaskStatsInstrumentation } from '../src';
import { TestReader } from '../tools/testing/src';
import { median } from './measure';
import { sink } from './subjects';

/** Delay percentiles of one condition, in microseconds. */
interface DelaySummary {
  readonly p50Micros: number;
  readonly p99Micros: number;
  readonly maxMicros: number;
  readonly count: number;
}

/** Without and with the package, and what the package added. */
export interface EventLoopDelayResult {
  readonly windowMillis: number;
  readonly windowPairs: number;
  readonly samplesTaken: number;
  readonly without: DelaySummary;
  readonly with: DelaySummary;
  readonly addedP50Micros: number;
  readonly addedP99Micros: number;
  readonly addedMaxMicros: number;
}

/** Runs `pairs` pairs of windows of `windowMillis` against the task at `metadataUri`. */
export async function measureEventLoopDelay(metadataUri: string, windowMillis: number, pairs: number): Promise<EventLoopDelayResult> {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const instrumentation = new EcsTaskStatsInstrumentation({ metadataUri, sampleIntervalMillis: 1000, enabled: false });
  instrumentation.setMeterProvider(provider);
  const without: DelaySummary[] = [];
  const withPackage: DelaySummary[] = [];
  const workload = setInterval(ownWork, 2);
  let collector: NodeJS.Timeout | undefined;
  try {
    await sleep(200); // let the workload settle before measuring
    for (let pair = 0; pair < pairs; pair++) {
      without.push(await window(windowMillis));
      instrumentation.enable();
      collector = setInterval(() => void reader.collect().then((r) => (sink.last = r)), 1000);
      withPackage.push(await window(windowMillis));
      clearInterval(collector);
      instrumentation.disable();
    }
  } finally {
    clearInterval(workload);
    if (collector !== undefined) clearInterval(collector);
    instrumentation.disable();
    await provider.shutdown();
  }
  const counters = instrumentation._taskStatsSampler?.counters;
  if (counters === undefined || counters.failures !== 0) throw new Error(`event-loop run: sampler counters ${JSON.stringify(counters)}`);
  const a = summarise(without);
  const b = summarise(withPackage);
  return {
    windowMillis,
    windowPairs: pairs,
    samplesTaken: counters.samples,
    without: a,
    with: b,
    addedP50Micros: b.p50Micros - a.p50Micros,
    addedP99Micros: b.p99Micros - a.p99Micros,
    addedMaxMicros: b.maxMicros - a.maxMicros,
  };
}

async function window(millis: number): Promise<DelaySummary> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(millis);
  histogram.disable();
  return {
    p50Micros: histogram.percentile(50) / 1000,
    p99Micros: histogram.percentile(99) / 1000,
    maxMicros: histogram.max / 1000,
    count: histogram.count,
  };
}

/** The host's own work: 0.5 ms of building and serialising small objects. */
function ownWork(): void {
  const end = performance.now() + 0.5;
  let bytes = 0;
  while (performance.now() < end) {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row-${i}`, value: Math.random() }));
    bytes += JSON.stringify(rows).length;
  }
  sink.last = bytes;
}

function summarise(windows: readonly DelaySummary[]): DelaySummary {
  return {
    p50Micros: median(windows.map((w) => w.p50Micros)),
    p99Micros: median(windows.map((w) => w.p99Micros)),
    maxMicros: Math.max(...windows.map((w) => w.maxMicros)),
    count: windows.reduce((n, w) => n + w.count, 0),
  };
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
