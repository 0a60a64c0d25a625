/** Formats the benchmark's results as text tables (the JSON line is printed by main.ts). */
import type { CollectionResult } from './collection';
import type { EventLoopDelayResult } from './event-loop-delay';
import type { SubjectName, SubjectResult } from './per-sample';
import type { RetainedHeapResult } from './retained-heap';

/** One size's figures and its ratios. */
export interface SizeReport {
  readonly containers: number;
  readonly subjects: Record<SubjectName, SubjectResult>;
  readonly cpuPackageOverFloor: number;
  readonly cpuPackageOverNaive: number;
  readonly wallPackageOverFloor: number;
  readonly wallPackageOverNaive: number;
}

/** A target of the issue, and whether this run met it. */
export interface TargetReport {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The per-sample table: one row per size and subject. */
export function perSampleTable(sizes: readonly SizeReport[]): string {
  const rows = [['containers', 'subject', 'CPU µs/sample', 'wall µs/sample', 'alloc KiB/sample', 'conns/sample']];
  for (const size of sizes) {
    for (const [name, r] of Object.entries(size.subjects)) {
      rows.push([
        String(size.containers),
        name,
        r.cpuMicros.toFixed(1),
        r.wallMicros.toFixed(1),
        r.allocatedBytes === null ? 'n/a' : (r.allocatedBytes / 1024).toFixed(1),
        r.connectionsPerSample.toFixed(2),
      ]);
    }
  }
  return table(rows);
}

/** The ratios table: package/floor and package/naive, CPU and wall. */
export function ratioTable(sizes: readonly SizeReport[]): string {
  const rows = [['containers', 'CPU package/floor', 'CPU package/naive', 'wall package/floor', 'wall package/naive']];
  for (const s of sizes) {
    rows.push([String(s.containers), s.cpuPackageOverFloor.toFixed(2), s.cpuPackageOverNaive.toFixed(2), s.wallPackageOverFloor.toFixed(2), s.wallPackageOverNaive.toFixed(2)]);
  }
  return table(rows);
}

/** Collection, event-loop delay and retained heap, one line each. */
export function otherTable(collection: CollectionResult, delay: EventLoopDelayResult, heap: RetainedHeapResult | null): string {
  const us = (n: number): string => `${n.toFixed(1)} µs`;
  const rows = [
    ['measure', 'value'],
    [`collect() of ${collection.containers} containers (${collection.points} points)`, us(collection.collectCpuMicros)],
    ['collect() with no instruments (SDK fixed price)', us(collection.emptyCollectCpuMicros)],
    [`package callback alone (${collection.containers} containers)`, us(collection.callbackCpuMicros)],
    [`event-loop delay p50 without / with package (${delay.windowPairs}+${delay.windowPairs} windows of ${delay.windowMillis} ms)`, `${us(delay.without.p50Micros)} / ${us(delay.with.p50Micros)}`],
    ['event-loop delay p99 without / with package', `${us(delay.without.p99Micros)} / ${us(delay.with.p99Micros)}`],
    ['event-loop delay max without / with package', `${us(delay.without.maxMicros)} / ${us(delay.with.maxMicros)}`],
    ['samples taken by the package during its windows', String(delay.samplesTaken)],
    [
      'retained heap',
      heap === null
        ? 'n/a (run with --expose-gc)'
        : `${(heap.earlyHeapBytes / 2 ** 20).toFixed(2)} MiB after ${heap.earlySamples} samples, ${(heap.lateHeapBytes / 2 ** 20).toFixed(2)} MiB after ${heap.lateSamples}: ${(heap.growthBytes / 1024).toFixed(1)} KiB growth`,
    ],
  ];
  return table(rows);
}

/** The targets table. */
export function targetTable(targets: readonly TargetReport[]): string {
  return table([['target', 'goal', 'measured', 'met'], ...targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : 'NO'])]);
}

function table(rows: readonly string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
