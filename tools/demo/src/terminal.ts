/**
 * What the demo prints: a compact table per export (what CloudWatch would store), a one-line progress
 * indicator (only on a terminal), and the closing summary. Pure string builders; the caller writes them.
 */
import { ATTR_CONTAINER_NAME, MEMORY_METRICS, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE } from 'otel-ecs-task-stats';
import type { ContainerRecord } from './run-record';
import { formatSimTime } from './sim-clock';

/** One CloudWatch metric datum as the collector would write it. */
export interface CloudWatchRow {
  namespace: string;
  metricName: string;
  containerName: string;
  value: number;
  unit: string;
}

/**
 * Characters a terminal acts on, C0 controls (ESC starts CSI and OSC sequences), DEL and the C1 controls (U+009B
 * is CSI, U+009D OSC), and those that break or reorder what it shows (line separators, bidi controls).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with each control character shown as a visible escape (`\u001b`), so that a name from a payload
 * can neither repaint nor retitle the terminal, nor forge a line (issue 14). With `keepLineFeeds`, for whole
 * lines of the demo's own output, line feeds stay.
 */
export function neutraliseControls(text: string, keepLineFeeds = false): string {
  return text.replace(keepLineFeeds ? TERMINAL_CONTROLS_BUT_LINE_FEED : TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** 12,345.6 */
function formatNumber(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

function metricRank(name: string): number {
  const i = MEMORY_METRICS.findIndex((m) => m.name === name);
  return i === -1 ? MEMORY_METRICS.length : i;
}

/**
 * The table for one export: one line per container, one column per metric, namespace and unit in the
 * heading (one table per namespace/unit pair, normally exactly one), plus the Container Insights-style
 * value of the last complete minute for comparison.
 */
export function renderExportTable(
  exportNumber: number,
  tSeconds: number,
  rows: readonly CloudWatchRow[],
  ciLastMinuteMib: ReadonlyMap<string, number>,
): string {
  const lines: string[] = [];
  const groups = new Map<string, CloudWatchRow[]>();
  for (const r of rows) {
    const key = `${r.namespace}\u0000${r.unit}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const when = `export #${exportNumber} at ${formatSimTime(tSeconds)}`;
  if (rows.length === 0) lines.push(`${when}: nothing would reach CloudWatch from this export`);
  for (const [key, group] of groups) {
    const [namespace, unit] = key.split('\u0000').map((text) => neutraliseControls(text));
    const metrics = [...new Set(group.map((r) => r.metricName))].sort((a, b) => metricRank(a) - metricRank(b) || a.localeCompare(b));
    const containers = [...new Set(group.map((r) => r.containerName))];
    // Names come from the payload: shown escaped, and measured as shown.
    const shown = new Map(containers.map((c) => [c, neutraliseControls(c)]));
    const metricHeaders = metrics.map((m) => neutraliseControls(m));
    const nameWidth = Math.max(13, ...[...shown.values()].map((c) => c.length));
    const widths = metricHeaders.map((m) => Math.max(m.length, 10));
    const ciHeader = 'CI-style last min';
    lines.push(`${when} → namespace ${namespace}, unit ${unit}, one metric per ContainerName`);
    lines.push(`  ${pad(ATTR_CONTAINER_NAME, nameWidth)}  ${metricHeaders.map((m, i) => pad(m, widths[i], true)).join('  ')}  ${pad(ciHeader, ciHeader.length, true)}`);
    for (const c of containers) {
      const cells = metrics.map((m, i) => {
        const r = group.find((x) => x.containerName === c && x.metricName === m);
        return pad(r === undefined ? '—' : formatNumber(r.value), widths[i], true);
      });
      const ci = ciLastMinuteMib.get(c);
      lines.push(`  ${pad(shown.get(c)!, nameWidth)}  ${cells.join('  ')}  ${pad(ci === undefined ? '—' : formatNumber(ci), ciHeader.length, true)}`);
    }
  }
  return lines.join('\n');
}

/** `[#####.....] 03:20 / 08:00 simulated · 10 exports · 20 endpoint refreshes` (`clock`: 'simulated' or 'real time') */
export function renderProgress(tSeconds: number, durationSeconds: number, exports: number, refreshes: number, clock = 'simulated'): string {
  const width = 24;
  const done = Math.min(width, Math.round((tSeconds / durationSeconds) * width));
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${formatSimTime(tSeconds)} / ${formatSimTime(durationSeconds)} ${clock} · ${exports} exports · ${refreshes} endpoint refreshes`;
}

function gib(mib: number): string {
  return mib >= 2048 ? `${formatNumber(mib / 1024, 2)} GiB` : `${formatNumber(mib)} MiB`;
}

/** The closing summary: per container the peak, the limit, the headroom and the CI-style maximum. */
export function renderSummary(records: readonly ContainerRecord[], heading: string): string {
  const lines = [heading];
  const shown = (r: ContainerRecord): string => neutraliseControls(r.containerName);
  const nameWidth = Math.max(13, ...records.map((r) => shown(r).length));
  const cols = [`peak (${METRIC_MAX_MEMORY_USAGE})`, METRIC_MEMORY_LIMIT, 'headroom at peak', 'CI-style max (1-min avg)'];
  lines.push(`  ${pad(ATTR_CONTAINER_NAME, nameWidth)}  ${cols.map((c) => pad(c, 24, true)).join('  ')}`);
  const sentences: string[] = [];
  for (const r of records) {
    const peak = Math.max(0, ...r.exports.map((e) => Math.max(e.values[METRIC_MAX_MEMORY_USAGE] ?? 0, e.values[METRIC_MEMORY_USAGE] ?? 0)));
    const limit = r.exports.at(-1)?.values[METRIC_MEMORY_LIMIT];
    const ciMax = r.ciMinutes.length > 0 ? Math.max(...r.ciMinutes.map((p) => p.mean)) : undefined;
    const headroom = limit !== undefined ? `${formatNumber(limit - peak)} MiB (${formatNumber(((limit - peak) / limit) * 100)} %)` : '—';
    const cells = [
      `${formatNumber(peak)} MiB`,
      limit !== undefined ? `${formatNumber(limit)} MiB` : '—',
      headroom,
      ciMax !== undefined ? `${formatNumber(ciMax)} MiB` : '—',
    ];
    lines.push(`  ${pad(shown(r), nameWidth)}  ${cells.map((c) => pad(c, 24, true)).join('  ')}`);
    if (limit !== undefined && ciMax !== undefined && peak > 0.5 * limit) {
      sentences.push(
        `  ${shown(r)}: a Container Insights-style view peaks at ${gib(ciMax)}; the container really reached ${gib(peak)} of its ${gib(limit)} limit (${formatNumber((peak / limit) * 100)} %).`,
      );
    }
  }
  return [...lines, ...sentences].join('\n');
}
