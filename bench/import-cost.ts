/**
 * What `require` costs, off ECS: CPU and retained heap of loading a module in a fresh process after
 * `@opentelemetry/api` (which any application using the package has loaded already), median of `runs` fresh
 * processes. Measured for undici alone (what the package used to load at import), and for each build of the
 * package. Run as a child: `node --expose-gc import-cost.js <module path>`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './measure';
import type { PackageBuild } from './steady/steady-state';

/** The cost of one module's require, over @opentelemetry/api's. */
export interface ImportCost {
  readonly module: string;
  /** CPU (user + system) of the require, ms: median of the runs. */
  readonly cpuMillis: number;
  /** heapUsed after a full GC, after minus before the require, MiB: median of the runs. */
  readonly retainedHeapMiB: number;
  readonly runs: number;
}

/** Measures undici alone and each build, `runs` fresh processes each, interleaved. */
export async function measureImportCosts(builds: readonly PackageBuild[], runs: number): Promise<ImportCost[]> {
  const subjects = [{ module: 'undici', path: require.resolve('undici') }, ...builds.map((b) => ({ module: `package (${b.name})`, path: b.dir }))];
  const samples = subjects.map(() => ({ cpu: [] as number[], heap: [] as number[] }));
  for (let run = 0; run < runs; run++) {
    for (const [i, subject] of subjects.entries()) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', __filename, subject.path], { env: withoutMetadataUri() });
      const { cpuMicros, heapBytes } = JSON.parse(stdout) as { cpuMicros: number; heapBytes: number };
      samples[i].cpu.push(cpuMicros / 1000);
      samples[i].heap.push(heapBytes / 2 ** 20);
    }
  }
  return subjects.map((s, i) => ({ module: s.module, cpuMillis: median(samples[i].cpu), retainedHeapMiB: median(samples[i].heap), runs }));
}

function withoutMetadataUri(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ECS_CONTAINER_METADATA_URI_V4;
  return env;
}

function settledHeap(): number {
  const gc = globalThis.gc!;
  for (let i = 0; i < 3; i++) void gc();
  return process.memoryUsage().heapUsed;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded first, as in an application
  require('@opentelemetry/api');
  const heapBefore = settledHeap();
  const cpuBefore = process.cpuUsage();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module whose import is priced
  require(process.argv[2]);
  const cpu = process.cpuUsage(cpuBefore);
  const heapBytes = settledHeap() - heapBefore;
  process.stdout.write(JSON.stringify({ cpuMicros: cpu.user + cpu.system, heapBytes }));
}
