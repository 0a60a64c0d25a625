/** Formats the benchmark's results as text tables (the JSON line is printed by main.ts). */
import type { CollectionResult } from './collection';
import type { ImportCost } from './import-cost';
import type { SliceRow } from './longest-slice';
import type { SubjectName, SubjectResult } from './per-sample';
import type { RetainedHeapResult } from './retained-heap';
import type { SteadyStateRow } from './steady/steady-state';

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

/** Collection and retained heap, one line each. */
export function otherTable(collection: CollectionResult, heap: RetainedHeapResult | null): string {
  const us = (n: number): string => `${n.toFixed(1)} µs`;
  const rows = [
    ['measure', 'value'],
    [`collect() of ${collection.containers} containers (${collection.points} points)`, us(collection.collectCpuMicros)],
    ['collect() with no instruments (SDK fixed price)', us(collection.emptyCollectCpuMicros)],
    [`package callback alone (${collection.containers} containers)`, us(collection.callbackCpuMicros)],
    [
      'retained heap',
      heap === null
        ? 'n/a (run with --expose-gc)'
        : `${(heap.earlyHeapBytes / 2 ** 20).toFixed(2)} MiB after ${heap.earlySamples} samples, ${(heap.lateHeapBytes / 2 ** 20).toFixed(2)} MiB after ${heap.lateSamples}: ${(heap.growthBytes / 1024).toFixed(1)} KiB growth`,
    ],
  ];
  return table(rows);
}

/** The steady-state table: one row per subject. */
export function steadyStateTable(rows: readonly SteadyStateRow[]): string {
  const out = [['subject', 'build', 'interval', 'containers', 'CPU % of a core', 'added %', 'RSS MiB', 'max RSS MiB', 'stats req/min', 'conns/min']];
  for (const r of rows) {
    out.push([
      r.subject,
      r.build ?? '',
      r.sampleIntervalMillis === undefined ? '' : `${r.sampleIntervalMillis / 1000} s`,
      r.containers === undefined ? '' : String(r.containers),
      r.cpuPercent.toFixed(3),
      r.addedCpuPercent.toFixed(3),
      r.rssMiB.toFixed(1),
      r.maxRssMiB.toFixed(1),
      r.statsRequestsPerMinute === undefined ? '' : r.statsRequestsPerMinute.toFixed(1),
      r.connectionsPerMinute === undefined ? '' : r.connectionsPerMinute.toFixed(1),
    ]);
  }
  return table(out);
}

/** The import table. */
export function importTable(rows: readonly ImportCost[]): string {
  return table([['module', 'CPU ms', 'retained heap MiB', 'runs'], ...rows.map((r) => [r.module, r.cpuMillis.toFixed(1), r.retainedHeapMiB.toFixed(2), String(r.runs)])]);
}

/** The longest-slice table. */
export function sliceTable(rows: readonly SliceRow[]): string {
  return table([
    ['build', 'containers', 'per sample median', 'per sample max', 'per collection median', 'per collection max'],
    ...rows.map((r) => [
      r.build,
      String(r.containers),
      r.perSampleMedianMillis.toFixed(2),
      r.perSampleMaxMillis.toFixed(2),
      r.perCollectionMedianMillis.toFixed(2),
      r.perCollectionMaxMillis.toFixed(2),
    ]),
  ]);
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
