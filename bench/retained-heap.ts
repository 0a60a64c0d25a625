/**
 * Retained heap of a long-running sampler: heapUsed after full garbage collections once `early` samples
 * are taken and again after `late` samples. Needs `node --expose-gc`; without it nothing is measured.
 */
import type { EndpointProcess } from './endpoint-process';
import { packageSubject } from './subjects';

/** Heap after `early` and after `late` samples, in bytes. */
export interface RetainedHeapResult {
  readonly containers: number;
  readonly earlySamples: number;
  readonly lateSamples: number;
  readonly earlyHeapBytes: number;
  readonly lateHeapBytes: number;
  readonly growthBytes: number;
}

/** Samples the task of `containers` containers `late` times in all. Returns null without global.gc. */
export async function measureRetainedHeap(
  endpoint: EndpointProcess,
  containers: number,
  early: number,
  late: number,
): Promise<RetainedHeapResult | null> {
  const exposedGc = globalThis.gc;
  if (exposedGc === undefined) return null;
  const gc = (): void => void exposedGc();
  const subject = packageSubject(endpoint.metadataUri(containers));
  try {
    for (let i = 0; i < early; i++) await subject.sample();
    const earlyHeapBytes = await settledHeap(gc);
    for (let i = early; i < late; i++) await subject.sample();
    const lateHeapBytes = await settledHeap(gc);
    const { samples, failures } = subject.sampler.counters;
    if (samples !== late || failures !== 0) throw new Error(`retained-heap run: ${samples} samples, ${failures} failures`);
    return { containers, earlySamples: early, lateSamples: late, earlyHeapBytes, lateHeapBytes, growthBytes: lateHeapBytes - earlyHeapBytes };
  } finally {
    await subject.close();
  }
}

/** heapUsed after full collections, with a turn of the event loop between them for finalizers. */
async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
