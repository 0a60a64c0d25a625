import { PerformanceObserver } from 'node:perf_hooks';

/** CPU and wall time of one run of samples, per sample, in microseconds. */
export interface CostPerSample {
  readonly cpuMicros: number;
  readonly wallMicros: number;
}

/** Runs `sample` `iterations` times, one after the other, and divides process CPU (user + system) and wall time. */
export async function measureCost(sample: () => Promise<void>, iterations: number): Promise<CostPerSample> {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await sample();
  const cpu = process.cpuUsage(cpuStart);
  const wallNanos = Number(process.hrtime.bigint() - wallStart);
  return { cpuMicros: (cpu.user + cpu.system) / iterations, wallMicros: wallNanos / 1000 / iterations };
}

/**
 * Bytes allocated on the JS heap per sample, estimated as the growth of `heapUsed` over batches of samples
 * during which no garbage collection ran (GC windows come from a `gc` PerformanceObserver). It counts every
 * allocation in the process while the batch runs, undici's included, which is part of a sample's price.
 * Returns undefined when every batch saw a collection.
 */
export async function measureAllocatedBytes(sample: () => Promise<void>, batches: number, batchSize: number): Promise<number | undefined> {
  const gcs: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: Array<{ start: number; end: number; bytes: number }> = [];
  try {
    for (let b = 0; b < batches; b++) {
      const start = performance.now();
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < batchSize; i++) await sample();
      const bytes = process.memoryUsage().heapUsed - heapBefore;
      windows.push({ start, end: performance.now(), bytes });
    }
    // GC entries are delivered asynchronously: let the observer catch up before judging the windows.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    observer.disconnect();
  }
  const clean = windows.filter((w) => w.bytes >= 0 && !gcs.some((gc) => gc.start <= w.end && gc.end >= w.start));
  if (clean.length === 0) return undefined;
  return median(clean.map((w) => w.bytes / batchSize));
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
