/**
 * The longest synchronous slice the package causes: the longest stretch of JavaScript that runs without
 * yielding to the event loop, during one sample and during one metric collection, for each task size (see
 * longestSliceDuring). Within a sample the process does nothing else, so every slice is the package's, undici's
 * parsing included. Each build runs in its own child process: `node longest-slice.js <package dir> <uri>…`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TestReader } from '../tools/testing/src';
import type { EndpointProcess } from './endpoint-process';
import { median } from './measure';
import type { PackageBuild } from './steady/steady-state';

/** Longest slice per sample and per collection, ms: median over samples (collections) and the largest. */
export interface SliceRow {
  readonly build: PackageBuild['name'];
  readonly containers: number;
  readonly perSampleMedianMillis: number;
  readonly perSampleMaxMillis: number;
  readonly perCollectionMedianMillis: number;
  readonly perCollectionMaxMillis: number;
}

/** Runs each build's child against the hot routes of `endpoint` (a new `read` per request). */
export async function measureLongestSlices(builds: readonly PackageBuild[], endpoint: EndpointProcess, sizes: readonly number[], samples: number): Promise<SliceRow[]> {
  const rows: SliceRow[] = [];
  for (const build of builds) {
    const uris = sizes.map((size) => endpoint.metadataUri(size));
    const { stdout } = await promisify(execFile)(process.execPath, [__filename, build.dir, String(samples), ...uris]);
    const perSize = JSON.parse(stdout) as Array<Omit<SliceRow, 'build' | 'containers'>>;
    perSize.forEach((r, i) => rows.push({ build: build.name, containers: sizes[i], ...r }));
  }
  return rows;
}

/**
 * The longest the event loop went without a turn for the host: a setImmediate chain runs once per loop
 * iteration (check phase), so the longest gap between two of its runs is the longest stretch of other work,
 * every I/O callback of one iteration and its promise reactions together, less the chain's own microseconds.
 * Unlike async_hooks it adds nothing to the slices it measures, and unlike a sampled histogram
 * (monitorEventLoopDelay) it cannot miss one.
 */
async function longestSliceDuring(run: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await run();
  running = false;
  longest = Math.max(longest, performance.now() - last);
  return longest;
}

async function child(packageDir: string, samples: number, uris: readonly string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build under test, base or change
  const pkg = require(packageDir) as typeof import('../src');
  const out = [];
  for (const uri of uris) {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const instrumentation = new pkg.EcsTaskStatsInstrumentation({ metadataUri: uri, sampleIntervalMillis: 2 ** 31 - 1, enabled: false });
    instrumentation.setMeterProvider(provider);
    instrumentation.enable();
    for (let i = 0; i < 20; i++) await instrumentation.sampleNow(); // warm-up
    const perSample: number[] = [];
    const perCollection: number[] = [];
    for (let i = 0; i < samples; i++) {
      perSample.push(await longestSliceDuring(() => instrumentation.sampleNow()));
      perCollection.push(await longestSliceDuring(() => reader.collect()));
    }
    instrumentation.disable();
    await provider.shutdown();
    out.push({
      perSampleMedianMillis: median(perSample),
      perSampleMaxMillis: Math.max(...perSample),
      perCollectionMedianMillis: median(perCollection),
      perCollectionMaxMillis: Math.max(...perCollection),
    });
  }
  process.stdout.write(JSON.stringify(out));
}

if (require.main === module) {
  const [packageDir, samples, ...uris] = process.argv.slice(2);
  child(packageDir, Number(samples), uris).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
