/**
 * Cost per sample of the floor, the naive port and the package, for one task size, measured in interleaved
 * rounds (a shared machine drifts; interleaving spreads the drift over all subjects) and summarised by the
 * median round.
 */
import type { EndpointProcess } from './endpoint-process';
import { measureAllocatedBytes, measureCost, median } from './measure';
import type { TaskStatsSampler } from '../src/sampler/sampler';
import { floorSubject, naiveSubject, packageSubject, type Subject } from './subjects';

/** The subjects compared; `packageDuplicate` is the package when the endpoint serves an unchanged `read`. */
const SUBJECTS = ['floor', 'naive', 'package', 'packageDuplicate'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** What one subject costs per sample. */
export interface SubjectResult {
  /** Median over rounds of process CPU (user + system) per sample, µs. */
  readonly cpuMicros: number;
  /** Median over rounds of wall time per sample, µs. */
  readonly wallMicros: number;
  /** JS heap bytes allocated per sample (estimate; null when not measurable). */
  readonly allocatedBytes: number | null;
  /** TCP connections the endpoint accepted per sample: 1 for a fresh connection, ~0 for keep-alive. */
  readonly connectionsPerSample: number;
}

/** Every subject's figures, and the package's ratios to the others. */
export interface PerSampleResult {
  readonly subjects: Record<SubjectName, SubjectResult>;
  /**
   * Median over rounds of the ratio of CPU per sample within the round: subjects of one round run back to
   * back, so a ratio within a round cancels most of the machine's drift between rounds.
   */
  readonly cpuPackageOverFloor: number;
  readonly cpuPackageOverNaive: number;
}

/** Settings of one size's run. */
export interface PerSampleSettings {
  readonly warmupSamples: number;
  readonly rounds: number;
  readonly samplesPerRound: number;
  readonly allocationBatches: number;
}

/** Measures every subject against the task of `size` containers. */
export async function measurePerSample(
  endpoint: EndpointProcess,
  size: number,
  settings: PerSampleSettings,
): Promise<PerSampleResult> {
  const packageFresh = packageSubject(endpoint.metadataUri(size));
  const packageDuplicate = packageSubject(endpoint.metadataUri(size, true));
  const subjects: Record<SubjectName, Subject> = {
    floor: floorSubject(endpoint.metadataUri(size)),
    naive: naiveSubject(endpoint.metadataUri(size)),
    package: packageFresh,
    packageDuplicate,
  };
  try {
    const cpu: Record<string, number[]> = {};
    const wall: Record<string, number[]> = {};
    const connections: Record<string, number> = {};
    for (const name of SUBJECTS) {
      for (let i = 0; i < settings.warmupSamples; i++) await subjects[name].sample();
      cpu[name] = [];
      wall[name] = [];
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const name of roundOrder(round)) {
        await settle();
        const before = round === 0 ? await endpoint.counters() : undefined;
        const cost = await measureCost(subjects[name].sample, settings.samplesPerRound);
        if (before !== undefined) {
          const after = await endpoint.counters();
          connections[name] = (after.connections - before.connections) / settings.samplesPerRound;
        }
        cpu[name].push(cost.cpuMicros);
        wall[name].push(cost.wallMicros);
      }
    }
    const roundRatio = (over: SubjectName): number => median(cpu['package'].map((c, round) => c / cpu[over][round]));
    const result = {} as Record<SubjectName, SubjectResult>;
    for (const name of SUBJECTS) {
      const allocated = await measureAllocatedBytes(subjects[name].sample, settings.allocationBatches, 10);
      result[name] = {
        cpuMicros: median(cpu[name]),
        wallMicros: median(wall[name]),
        allocatedBytes: allocated ?? null,
        connectionsPerSample: connections[name],
      };
    }
    checkSampler('package', packageFresh.sampler, size, false);
    checkSampler('packageDuplicate', packageDuplicate.sampler, size, true);
    return { subjects: result, cpuPackageOverFloor: roundRatio('floor'), cpuPackageOverNaive: roundRatio('naive') };
  } finally {
    for (const subject of Object.values(subjects)) await subject.close();
  }
}

/**
 * The order of the subjects in a round: a Williams square, so that over every 4 rounds each subject runs
 * first once and right after each other subject once. (A plain rotation kept the cyclic order: the package
 * always ran right after the naive port and paid for its garbage and its closing sockets.)
 */
const WILLIAMS_SQUARE = [
  [0, 1, 3, 2],
  [1, 2, 0, 3],
  [2, 3, 1, 0],
  [3, 0, 2, 1],
] as const;

function roundOrder(round: number): SubjectName[] {
  return WILLIAMS_SQUARE[round % WILLIAMS_SQUARE.length].map((i) => SUBJECTS[i]);
}

/** Leaves nothing of the previous subject to the next: its garbage collected, its sockets' events handled. */
async function settle(): Promise<void> {
  const exposedGc = globalThis.gc;
  if (exposedGc !== undefined) void exposedGc();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A benchmark of failing samples would measure the wrong thing: refuse to report it. */
function checkSampler(name: string, sampler: TaskStatsSampler, size: number, duplicates: boolean): void {
  const { counters } = sampler;
  const expectedDuplicates = duplicates ? counters.samples - 1 : 0;
  // Duplicate samples never refresh a container, so after staleAfterMillis the duplicate run reports none.
  const reported = duplicates ? size : sampler.current().length;
  if (counters.failures !== 0 || counters.taskRequests !== 1 || counters.duplicateSamples !== expectedDuplicates || reported !== size) {
    throw new Error(`${name} (${size} containers) did not sample as expected: ${reported} reported, ${JSON.stringify(counters)}`);
  }
}

/**
 * The same subjects, one sample each every `spacingMillis` (the default sampling interval: 5 s) instead of back
 * to back: what a sample costs a process that does nothing else in between, its JIT and caches cold, its
 * connection closed by the agent-like endpoint (idle for 5 s) or by undici (idle for 4 s). Within a tick the
 * subjects of every size take their sample one after the other, so each sample runs alone.
 */
export async function measurePacedPerSample(
  endpoint: EndpointProcess,
  sizes: readonly number[],
  spacingMillis: number,
  ticks: number,
): Promise<Array<{ containers: number; subjects: Record<SubjectName, SubjectResult>; cpuPackageOverFloor: number; cpuPackageOverNaive: number }>> {
  const all = sizes.map((size) => ({
    size,
    subjects: {
      floor: floorSubject(endpoint.metadataUri(size)),
      naive: naiveSubject(endpoint.metadataUri(size)),
      package: packageSubject(endpoint.metadataUri(size)),
      packageDuplicate: packageSubject(endpoint.metadataUri(size, true)),
    } satisfies Record<SubjectName, Subject>,
    cpu: Object.fromEntries(SUBJECTS.map((n) => [n, [] as number[]])) as Record<SubjectName, number[]>,
    wall: Object.fromEntries(SUBJECTS.map((n) => [n, [] as number[]])) as Record<SubjectName, number[]>,
    connections: Object.fromEntries(SUBJECTS.map((n) => [n, 0])) as Record<SubjectName, number>,
  }));
  try {
    for (let tick = 0; tick <= ticks; tick++) {
      const tickStart = performance.now();
      for (const entry of all) {
        for (const name of SUBJECTS) {
          const before = await endpoint.counters();
          const cost = await measureCost(entry.subjects[name].sample, 1);
          const after = await endpoint.counters();
          if (tick === 0) continue; // the first sample of each subject loads and compiles its code: not counted
          entry.cpu[name].push(cost.cpuMicros);
          entry.wall[name].push(cost.wallMicros);
          entry.connections[name] += after.connections - before.connections;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, tickStart + spacingMillis - performance.now())));
    }
    return all.map((entry) => {
      const subjects = {} as Record<SubjectName, SubjectResult>;
      for (const name of SUBJECTS) {
        subjects[name] = { cpuMicros: median(entry.cpu[name]), wallMicros: median(entry.wall[name]), allocatedBytes: null, connectionsPerSample: entry.connections[name] / ticks };
      }
      return {
        containers: entry.size,
        subjects,
        cpuPackageOverFloor: subjects.package.cpuMicros / subjects.floor.cpuMicros,
        cpuPackageOverNaive: subjects.package.cpuMicros / subjects.naive.cpuMicros,
      };
    });
  } finally {
    for (const entry of all) for (const subject of Object.values(entry.subjects)) await subject.close();
  }
}
