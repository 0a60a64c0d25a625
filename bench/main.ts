/**
 * `npm run bench [-- --quick] [-- --base <dist folder>]`: what a task pays for the package in steady state (CPU,
 * RSS, requests and connections, beside the SDK-only floor and host-metrics), its cost per sample against the
 * floor and the naive port (back to back, and at the default interval), the longest synchronous slice per
 * sample and per collection, the import cost, the cost of a collection and the retained heap. With `--base`
 * (a build of another revision, see bench/build-base.sh) the steady state, the slices and the import cost are
 * measured for both builds in the same run. Prints tables, then one JSON line. Run with `node --expose-gc` (the
 * npm script does) for the retained-heap and import figures.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { measureCollection } from './collection';
import { EndpointProcess } from './endpoint-process';
import { measureImportCosts } from './import-cost';
import { measureLongestSlices } from './longest-slice';
import { measurePacedPerSample, measurePerSample, type PerSampleSettings } from './per-sample';
import { importTable, otherTable, perSampleTable, ratioTable, sliceTable, steadyStateTable, targetTable, type SizeReport, type TargetReport } from './report';
import { measureRetainedHeap } from './retained-heap';
import { measureSteadyState, type PackageBuild, type SteadyStateRow, type SteadyStateSettings } from './steady/steady-state';
import type { ImportCost } from './import-cost';
import type { SliceRow } from './longest-slice';

/** Task sizes: 1, 3 and 10 containers (10 is the ECS maximum per task) and a synthetic 100. */
export const SIZES = [1, 3, 10, 100] as const;

/** Task sizes of the steady state and the slices: one container, the ECS maximum, and a synthetic 100. */
const STEADY_SIZES = [1, 10, 100] as const;
/** The default sampling interval, and the shortest allowed. */
const STEADY_INTERVALS = [5000, 1000] as const;

interface Settings {
  readonly steady: SteadyStateSettings;
  readonly perSample: (containers: number) => PerSampleSettings;
  readonly pacedSpacingMillis: number;
  readonly pacedTicks: number;
  readonly sliceSamples: number;
  readonly importRuns: number;
  readonly collectionIterations: number;
  readonly heapEarlySamples: number;
  readonly heapLateSamples: number;
}

const FULL: Settings = {
  // Three exports (60 s apart) in the window, eighteen 10 s refreshes.
  steady: { warmupMillis: 30_000, windowMillis: 180_000, sizes: STEADY_SIZES, sampleIntervals: STEADY_INTERVALS },
  pacedSpacingMillis: 5000,
  pacedTicks: 24,
  sliceSamples: 200,
  importRuns: 7,
  perSample: (containers) =>
    containers >= 100
      ? { warmupSamples: 50, rounds: 10, samplesPerRound: 100, allocationBatches: 10 }
      : { warmupSamples: 300, rounds: 20, samplesPerRound: 250, allocationBatches: 50 },
  collectionIterations: 10_000,
  heapEarlySamples: 1000,
  heapLateSamples: 100_000,
};

const QUICK: Settings = {
  steady: { warmupMillis: 500, windowMillis: 2500, sizes: STEADY_SIZES, sampleIntervals: STEADY_INTERVALS },
  pacedSpacingMillis: 500,
  pacedTicks: 2,
  sliceSamples: 5,
  importRuns: 1,
  perSample: (containers) =>
    containers >= 100
      ? { warmupSamples: 3, rounds: 2, samplesPerRound: 5, allocationBatches: 2 }
      : { warmupSamples: 10, rounds: 2, samplesPerRound: 30, allocationBatches: 3 },
  collectionIterations: 500,
  heapEarlySamples: 100,
  heapLateSamples: 1000,
};

/** Runs the benchmark; returns the object printed as the final JSON line. */
export async function runBenchmark(
  quick: boolean,
  baseDir: string | undefined,
  log: (line: string) => void = console.log,
): Promise<Record<string, unknown>> {
  const settings = quick ? QUICK : FULL;
  const builds: PackageBuild[] = [{ name: 'change', dir: join(__dirname, '..', 'src') }];
  if (baseDir !== undefined) builds.push({ name: 'base', dir: resolve(baseDir) });
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  };
  log(`otel-ecs-task-stats benchmark${quick ? ' (--quick: too few samples to quote)' : ''}`);
  log(`machine: ${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load ${machine.loadAverageAtStart.join(' ')}`);
  log(`builds: ${builds.map((b) => `${b.name} ${b.dir}`).join('; ')}`);
  // First, while nothing else of the benchmark runs: every subject in its own process, at once.
  const steady = await measureSteadyState(builds, settings.steady);
  log('measured steady state');
  const imports = await measureImportCosts(builds, settings.importRuns);
  log('measured import cost');
  const endpoint = await EndpointProcess.start(SIZES);
  try {
    const slices = await measureLongestSlices(builds, endpoint, STEADY_SIZES, settings.sliceSamples);
    log('measured longest slices');
    const sizes: SizeReport[] = [];
    for (const containers of SIZES) {
      const { subjects, cpuPackageOverFloor, cpuPackageOverNaive } = await measurePerSample(endpoint, containers, settings.perSample(containers));
      sizes.push({
        containers,
        subjects,
        cpuPackageOverFloor,
        cpuPackageOverNaive,
        wallPackageOverFloor: subjects.package.wallMicros / subjects.floor.wallMicros,
        wallPackageOverNaive: subjects.package.wallMicros / subjects.naive.wallMicros,
      });
      log(`measured ${containers} container(s), back to back`);
    }
    const paced: SizeReport[] = (await measurePacedPerSample(endpoint, SIZES, settings.pacedSpacingMillis, settings.pacedTicks)).map((p) => ({
      ...p,
      wallPackageOverFloor: p.subjects.package.wallMicros / p.subjects.floor.wallMicros,
      wallPackageOverNaive: p.subjects.package.wallMicros / p.subjects.naive.wallMicros,
    }));
    log(`measured per sample every ${settings.pacedSpacingMillis} ms`);
    const collection = await measureCollection(endpoint.metadataUri(10), 10, settings.collectionIterations);
    log('measured collection');
    const heap = await measureRetainedHeap(endpoint, 10, settings.heapEarlySamples, settings.heapLateSamples);
    log('measured retained heap');

    const targets = evaluateTargets({ sizes, paced, steady, imports, slices, collectMicros: collection.collectCpuMicros, growthBytes: heap?.growthBytes });
    log('');
    log(`Steady state: each subject alone in its process, all at once, ${settings.steady.windowMillis / 1000} s after ${settings.steady.warmupMillis / 1000} s of warm-up,`);
    log('against its own agent-like endpoint (10 s refreshes, no keep-alive hint, idle connections closed after 5 s).');
    log('CPU = process.cpuUsage() over the window, % of one core; added = minus the SDK-only floor.');
    log(steadyStateTable(steady));
    log('');
    log('Import off ECS, after @opentelemetry/api (median of fresh processes): CPU of the require and heap retained after GC.');
    log(importTable(imports));
    log('');
    log('Longest synchronous slice (the longest the event loop goes without a turn), per sample and per collection, ms.');
    log(sliceTable(slices));
    log('');
    log('Cost per sample, back to back: median of interleaved rounds. CPU = process.cpuUsage() user+system of this process;');
    log('the endpoint runs in a child process. Ratios: median over rounds of the ratio within each round.');
    log(perSampleTable(sizes));
    log('');
    log(ratioTable(sizes));
    log('');
    log(`Cost per sample, one sample every ${settings.pacedSpacingMillis} ms${settings.pacedSpacingMillis === 5000 ? ' (the default interval)' : ''}, against the agent-like endpoint: median of ${settings.pacedTicks} samples.`);
    log(perSampleTable(paced));
    log('');
    log(ratioTable(paced));
    log('');
    log(otherTable(collection, heap));
    log('');
    log(targetTable(targets));
    const result = { quick, machine, builds, steadyState: steady, importCost: imports, longestSlice: slices, perSample: sizes, perSampleAtInterval: paced, collection, retainedHeap: heap, targets };
    log(JSON.stringify(result));
    return result;
  } finally {
    await endpoint.stop();
  }
}

interface Measured {
  readonly sizes: readonly SizeReport[];
  readonly paced: readonly SizeReport[];
  readonly steady: readonly SteadyStateRow[];
  readonly imports: readonly ImportCost[];
  readonly slices: readonly SliceRow[];
  readonly collectMicros: number;
  readonly growthBytes: number | undefined;
}

function evaluateTargets(m: Measured): TargetReport[] {
  const real = m.sizes.filter((s) => s.containers <= 10);
  const worstFloor = Math.max(...real.map((s) => s.cpuPackageOverFloor));
  const worstNaive = Math.max(...real.map((s) => s.cpuPackageOverNaive));
  const hostMetrics = m.steady.find((r) => r.subject === 'host-metrics')!;
  const pkg = (build: string, interval: number, containers: number): SteadyStateRow | undefined =>
    m.steady.find((r) => r.subject === 'package' && r.build === build && r.sampleIntervalMillis === interval && r.containers === containers);
  const atDefaults = [1, 10].map((n) => pkg('change', 5000, n)!);
  const worstDefault = Math.max(...atDefaults.map((r) => r.addedCpuPercent));
  const changeImport = m.imports.find((i) => i.module === 'package (change)')!;
  const slice10 = m.slices.find((s) => s.build === 'change' && s.containers === 10)!;
  const targets: TargetReport[] = [
    {
      name: 'addedCpuAtDefaultsVsHostMetrics',
      target: '<= host-metrics (1 and 10 containers)',
      measured: `${worstDefault.toFixed(3)} % vs ${hostMetrics.addedCpuPercent.toFixed(3)} %`,
      met: worstDefault <= hostMetrics.addedCpuPercent,
    },
  ];
  for (const containers of [1, 10]) {
    const change = pkg('change', 1000, containers)!;
    const base = pkg('base', 1000, containers);
    targets.push(
      base === undefined
        ? { name: `requestsAt1s(${containers})`, target: '>= 5× fewer than base', measured: `${change.statsRequestsPerMinute!.toFixed(1)}/min (no --base)`, met: false }
        : {
            name: `requestsAt1s(${containers})`,
            target: '>= 5× fewer than base',
            measured: `${(base.statsRequestsPerMinute! / change.statsRequestsPerMinute!).toFixed(1)}× (${base.statsRequestsPerMinute!.toFixed(1)} → ${change.statsRequestsPerMinute!.toFixed(1)}/min)`,
            met: base.statsRequestsPerMinute! >= 5 * change.statsRequestsPerMinute!,
          },
      base === undefined
        ? { name: `addedCpuAt1s(${containers})`, target: '>= 3× less than base', measured: `${change.addedCpuPercent.toFixed(3)} % (no --base)`, met: false }
        : {
            name: `addedCpuAt1s(${containers})`,
            target: '>= 3× less than base',
            measured: `${(base.addedCpuPercent / change.addedCpuPercent).toFixed(1)}× (${base.addedCpuPercent.toFixed(3)} → ${change.addedCpuPercent.toFixed(3)} %)`,
            met: base.addedCpuPercent >= 3 * change.addedCpuPercent,
          },
    );
  }
  targets.push(
    {
      name: 'importOffEcs',
      target: '<= 20 ms CPU and <= 1 MiB heap over the API',
      measured: `${changeImport.cpuMillis.toFixed(1)} ms, ${changeImport.retainedHeapMiB.toFixed(2)} MiB`,
      met: changeImport.cpuMillis <= 20 && changeImport.retainedHeapMiB <= 1,
    },
    {
      name: 'longestSlicePerSample10',
      target: '< 1 ms (median)',
      measured: `${slice10.perSampleMedianMillis.toFixed(2)} ms (max ${slice10.perSampleMaxMillis.toFixed(2)})`,
      met: slice10.perSampleMedianMillis < 1,
    },
    { name: 'cpuPackageOverFloor', target: '<= 1.25 (1–10 containers, hot)', measured: `${worstFloor.toFixed(2)} (worst)`, met: worstFloor <= 1.25 },
    { name: 'cpuNaiveOverPackage', target: '>= 3 (1–10 containers, hot)', measured: `${(1 / worstNaive).toFixed(2)} (worst)`, met: 1 / worstNaive >= 3 },
    { name: 'collect10ContainersMicros', target: '< 50 µs', measured: `${m.collectMicros.toFixed(1)} µs`, met: m.collectMicros < 50 },
    {
      name: 'retainedHeapGrowthBytes',
      target: '< 1 MB',
      measured: m.growthBytes === undefined ? 'n/a' : `${m.growthBytes} B`,
      met: m.growthBytes !== undefined && m.growthBytes < 1_000_000,
    },
  );
  return targets;
}

if (require.main === module) {
  const baseAt = process.argv.indexOf('--base');
  runBenchmark(process.argv.includes('--quick'), baseAt === -1 ? undefined : process.argv[baseAt + 1]).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
