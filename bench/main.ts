/**
 * `npm run bench [-- --quick]`: the package's cost per sample against the floor and the naive port, the cost
 * of a collection, the event-loop delay it adds, and its retained heap. Prints tables, then one JSON line.
 * Run with `node --expose-gc` (the npm script does) for the retained-heap figure.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { measureCollection } from './collection';
import { EndpointProcess } from './endpoint-process';
import { measureEventLoopDelay } from './event-loop-delay';
import { measurePerSample, type PerSampleSettings } from './per-sample';
import { otherTable, perSampleTable, ratioTable, targetTable, type SizeReport, type TargetReport } from './report';
import { measureRetainedHeap } from './retained-heap';

/** Task sizes: 1, 3 and 10 containers (10 is the ECS maximum per task) and a synthetic 100. */
export const SIZES = [1, 3, 10, 100] as const;

interface Settings {
  readonly perSample: (containers: number) => PerSampleSettings;
  readonly collectionIterations: number;
  readonly delayWindowMillis: number;
  readonly delayWindowPairs: number;
  readonly heapEarlySamples: number;
  readonly heapLateSamples: number;
}

const FULL: Settings = {
  perSample: (containers) =>
    containers >= 100
      ? { warmupSamples: 50, rounds: 10, samplesPerRound: 100, allocationBatches: 10 }
      : { warmupSamples: 300, rounds: 20, samplesPerRound: 250, allocationBatches: 50 },
  collectionIterations: 10_000,
  delayWindowMillis: 4000,
  delayWindowPairs: 4,
  heapEarlySamples: 1000,
  heapLateSamples: 100_000,
};

const QUICK: Settings = {
  perSample: (containers) =>
    containers >= 100
      ? { warmupSamples: 3, rounds: 2, samplesPerRound: 5, allocationBatches: 2 }
      : { warmupSamples: 10, rounds: 2, samplesPerRound: 30, allocationBatches: 3 },
  collectionIterations: 500,
  delayWindowMillis: 1000,
  delayWindowPairs: 1,
  heapEarlySamples: 100,
  heapLateSamples: 1000,
};

/** Runs the benchmark; returns the object printed as the final JSON line. */
export async function runBenchmark(quick: boolean, log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const settings = quick ? QUICK : FULL;
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  log(`otel-ecs-task-stats benchmark${quick ? ' (--quick: too few samples to quote)' : ''}`);
  log(`machine: ${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`);
  const endpoint = await EndpointProcess.start(SIZES);
  try {
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
      log(`measured ${containers} container(s)`);
    }
    const collection = await measureCollection(endpoint.metadataUri(10), 10, settings.collectionIterations);
    log('measured collection');
    const delay = await measureEventLoopDelay(endpoint.metadataUri(10), settings.delayWindowMillis, settings.delayWindowPairs);
    log('measured event-loop delay');
    const heap = await measureRetainedHeap(endpoint, 10, settings.heapEarlySamples, settings.heapLateSamples);
    log('measured retained heap');

    const targets = evaluateTargets(sizes, collection.collectCpuMicros, delay.addedP99Micros, heap?.growthBytes);
    log('');
    log('Cost per sample: median of interleaved rounds. CPU = process.cpuUsage() user+system of this process;');
    log('the endpoint runs in a child process. Ratios: median over rounds of the ratio within each round.');
    log(perSampleTable(sizes));
    log('');
    log(ratioTable(sizes));
    log('');
    log(otherTable(collection, delay, heap));
    log('');
    log(targetTable(targets));
    const result = { quick, machine, perSample: sizes, collection, eventLoopDelay: delay, retainedHeap: heap, targets };
    log(JSON.stringify(result));
    return result;
  } finally {
    await endpoint.stop();
  }
}

function evaluateTargets(sizes: readonly SizeReport[], collectMicros: number, addedP99Micros: number, growthBytes: number | undefined): TargetReport[] {
  const real = sizes.filter((s) => s.containers <= 10);
  const worstFloor = Math.max(...real.map((s) => s.cpuPackageOverFloor));
  const worstNaive = Math.max(...real.map((s) => s.cpuPackageOverNaive));
  return [
    { name: 'cpuPackageOverFloor', target: '<= 1.25 (1–10 containers)', measured: `${worstFloor.toFixed(2)} (worst)`, met: worstFloor <= 1.25 },
    { name: 'cpuNaiveOverPackage', target: '>= 3 (1–10 containers)', measured: `${(1 / worstNaive).toFixed(2)} (worst)`, met: 1 / worstNaive >= 3 },
    { name: 'collect10ContainersMicros', target: '< 50 µs', measured: `${collectMicros.toFixed(1)} µs`, met: collectMicros < 50 },
    { name: 'addedP99EventLoopDelayMicros', target: '< 1000 µs', measured: `${addedP99Micros.toFixed(1)} µs`, met: addedP99Micros < 1000 },
    {
      name: 'retainedHeapGrowthBytes',
      target: '< 1 MB',
      measured: growthBytes === undefined ? 'n/a' : `${growthBytes} B`,
      met: growthBytes !== undefined && growthBytes < 1_000_000,
    },
  ];
}

if (require.main === module) {
  runBenchmark(process.argv.includes('--quick')).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
