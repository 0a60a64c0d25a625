/**
 * The run as a picture: one panel per container with MemoryUsage, MemoryWorkingSet, MaxMemoryUsage and
 * MemoryLimit as the package exported them, and the Container Insights-style 1-minute line, over simulated
 * time (real time for --real-kernel). Hand-written SVG (no dependency, no network needed to view it). Every series carries
 * `data-container`, `data-series` and `data-last-mib` (its final value) so tests can read the picture.
 */
import { METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE, METRIC_MEMORY_WORKING_SET } from 'otel-ecs-task-stats';
import type { ContainerRecord } from './run-record';
import { neutraliseControls } from './terminal';

/** Inputs besides the per-container records. */
export interface ChartInfo {
  title: string;
  subtitle: string;
  durationSeconds: number;
  /** The run's clock is real time (--real-kernel: a minute or so): the time axis is in real seconds. */
  realTime?: boolean;
}

interface SeriesStyle {
  key: string;
  label: string;
  colour: string;
  width: number;
  dash?: string;
}

const SERIES: SeriesStyle[] = [
  { key: METRIC_MEMORY_LIMIT, label: METRIC_MEMORY_LIMIT, colour: '#444444', width: 2, dash: '8 5' },
  { key: METRIC_MAX_MEMORY_USAGE, label: METRIC_MAX_MEMORY_USAGE, colour: '#d62728', width: 2.5 },
  { key: METRIC_MEMORY_USAGE, label: METRIC_MEMORY_USAGE, colour: '#1f77b4', width: 2.5 },
  { key: METRIC_MEMORY_WORKING_SET, label: METRIC_MEMORY_WORKING_SET, colour: '#ff7f0e', width: 2 },
];
const CI_STYLE: SeriesStyle = { key: 'ContainerInsightsStyle', label: 'Container Insights-style (1-min avg)', colour: '#2ca02c', width: 3.5 };

const WIDTH = 1040;
const PANEL_HEIGHT = 330;
const HEADER = 78;
const M = { left: 84, right: 290, top: 44, bottom: 56 };

/** Text for an attribute or text node: control characters shown as escapes (XML 1.0 allows none), markup escaped. */
function esc(s: string): string {
  return neutraliseControls(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A "nice" tick step (1, 2, 2.5 or 5 × 10^k) giving about `target` ticks over `span`. */
export function niceStep(span: number, target = 6): number {
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Value text in the panel's display unit. */
function valueText(mib: number, useGib: boolean): string {
  return useGib ? `${fmt(mib / 1024, 2)} GiB` : `${fmt(mib, 1)} MiB`;
}

function panel(rec: ContainerRecord, info: ChartInfo, top: number): string {
  const plotW = WIDTH - M.left - M.right;
  const plotH = PANEL_HEIGHT - M.top - M.bottom;
  const x0 = M.left;
  const y0 = top + M.top;
  const allValues = rec.exports.flatMap((e) => SERIES.map((s) => e.values[s.key]).filter((v) => v !== undefined));
  allValues.push(...rec.ciMinutes.map((p) => p.mean));
  const maxMib = Math.max(1, ...allValues);
  const useGib = maxMib >= 2048;
  const unit = useGib ? 1024 : 1;
  const yStep = niceStep((maxMib * 1.08) / unit);
  const yMax = Math.ceil((maxMib * 1.04) / unit / yStep) * yStep;
  const tMax = Math.max(info.durationSeconds, ...rec.exports.map((e) => e.tSeconds), 1);
  const sx = (t: number): number => x0 + (t / tMax) * plotW;
  const sy = (mib: number): number => y0 + plotH - (mib / unit / yMax) * plotH;
  const out: string[] = [];
  const limit = rec.exports.at(-1)?.values[METRIC_MEMORY_LIMIT];
  const name = `${rec.containerName}${limit !== undefined ? ` — ${METRIC_MEMORY_LIMIT} ${valueText(limit, useGib)}` : ''}`;
  out.push(`<g data-panel="${esc(rec.containerName)}">`);
  out.push(`<text x="${x0}" y="${top + 26}" class="panel-title">${esc(name)}</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${plotW}" height="${plotH}" class="plot"/>`);
  // Horizontal grid and y labels.
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    const y = sy(v * unit);
    out.push(`<line x1="${x0}" x2="${x0 + plotW}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${x0 - 8}" y="${(y + 4).toFixed(1)}" class="tick" text-anchor="end">${fmt(v, yStep < 1 ? 1 : 0)}</text>`);
  }
  const yLabelY = y0 + plotH / 2;
  out.push(`<text transform="translate(${x0 - 58},${yLabelY}) rotate(-90)" class="axis" text-anchor="middle">Memory (${useGib ? 'GiB' : 'MiB'})</text>`);
  // Vertical grid every simulated minute (every 5 when long); in real time, about 6 steps of whole seconds.
  const xStep = info.realTime === true ? Math.max(1, niceStep(info.durationSeconds)) : tMax > 900 ? 300 : 60;
  const xUnit = info.realTime === true ? 1 : 60;
  for (let t = 0; t <= tMax + 1e-9; t += xStep) {
    const x = sx(t);
    out.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y0}" y2="${y0 + plotH}" class="grid"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${y0 + plotH + 18}" class="tick" text-anchor="middle">${t / xUnit}</text>`);
  }
  const timeAxis = info.realTime === true ? 'Real time since task start (seconds)' : 'Simulated time since task start (minutes)';
  out.push(`<text x="${x0 + plotW / 2}" y="${y0 + plotH + 42}" class="axis" text-anchor="middle">${timeAxis}</text>`);

  // Container Insights-style: one horizontal segment per minute, drawn first (underneath).
  const ciMinutes = rec.ciMinutes.filter((p) => p.startSeconds < tMax);
  if (ciMinutes.length > 0) {
    const segs = ciMinutes
      .map((p) => `M${sx(p.startSeconds).toFixed(1)},${sy(p.mean).toFixed(1)} H${sx(Math.min(p.startSeconds + 60, tMax)).toFixed(1)}`)
      .join(' ');
    const last = ciMinutes[ciMinutes.length - 1].mean;
    out.push(
      `<path d="${segs}" fill="none" stroke="${CI_STYLE.colour}" stroke-width="${CI_STYLE.width}" stroke-linecap="butt" data-container="${esc(rec.containerName)}" data-series="${CI_STYLE.key}" data-last-mib="${last}"/>`,
    );
  }
  for (const s of SERIES) {
    const pts = rec.exports.filter((e) => e.values[s.key] !== undefined).map((e) => [e.tSeconds, e.values[s.key]] as const);
    if (pts.length === 0) continue;
    const d = pts.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${sx(t).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    const dash = s.dash !== undefined ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(
      `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="${s.width}"${dash} stroke-linejoin="round" data-container="${esc(rec.containerName)}" data-series="${s.key}" data-last-mib="${pts[pts.length - 1][1]}"/>`,
    );
    if (s.key === METRIC_MEMORY_USAGE) {
      for (const [t, v] of pts) out.push(`<circle cx="${sx(t).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2.6" fill="${s.colour}"/>`);
    }
  }
  out.push(annotations(rec.exports, ciMinutes, sx, sy, useGib, [x0 + 40, x0 + plotW - 40]));
  // Legend with the figures that matter: last values, the peak, and the CI-style maximum.
  const lx = x0 + plotW + 22;
  let ly = y0 + 8;
  const lastExport = rec.exports.at(-1);
  for (const s of SERIES) {
    const v = lastExport?.values[s.key];
    if (v === undefined) continue;
    out.push(legendRow(lx, ly, s, `${s.label}`, `last ${valueText(v, useGib)}`));
    ly += 40;
  }
  if (ciMinutes.length > 0) {
    const ciMax = Math.max(...ciMinutes.map((p) => p.mean));
    out.push(legendRow(lx, ly, CI_STYLE, 'Container Insights-style', `1-min avg, max ${valueText(ciMax, useGib)}`));
    ly += 40;
  }
  const peak = Math.max(...rec.exports.map((e) => e.values[METRIC_MAX_MEMORY_USAGE] ?? e.values[METRIC_MEMORY_USAGE] ?? 0));
  if (limit !== undefined && peak > 0) {
    out.push(`<text x="${lx}" y="${ly + 8}" class="note">peak ${valueText(peak, useGib)} = ${fmt((peak / limit) * 100, 1)} % of limit</text>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** Labels the two numbers the demo is about: the true peak and the Container Insights-style maximum. */
function annotations(
  exports: ContainerRecord['exports'],
  ciMinutes: ContainerRecord['ciMinutes'],
  sx: (t: number) => number,
  sy: (mib: number) => number,
  useGib: boolean,
  [xMin, xMax]: [number, number],
): string {
  const out: string[] = [];
  let peak: { t: number; v: number } | undefined;
  for (const e of exports) {
    const v = e.values[METRIC_MAX_MEMORY_USAGE] ?? e.values[METRIC_MEMORY_USAGE];
    if (v !== undefined && (peak === undefined || v > peak.v)) peak = { t: e.tSeconds, v };
  }
  let peakLabel: { x: number; y: number } | undefined;
  if (peak !== undefined) {
    const x = sx(peak.t);
    const y = sy(peak.v);
    peakLabel = { x: Math.max(xMin + 60, x - 8), y: y - 9 };
    out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5" fill="none" stroke="#d62728" stroke-width="2"/>`);
    out.push(`<text x="${peakLabel.x.toFixed(1)}" y="${peakLabel.y.toFixed(1)}" class="note" text-anchor="end">peak ${valueText(peak.v, useGib)}</text>`);
  }
  const ciMax = ciMinutes.reduce<(typeof ciMinutes)[number] | undefined>((m, p) => (m === undefined || p.mean > m.mean ? p : m), undefined);
  if (ciMax !== undefined) {
    const x = Math.min(xMax, Math.max(xMin, sx(ciMax.startSeconds + 30)));
    let y = sy(ciMax.mean) - 8;
    // Below the line instead when it would collide with the peak's label.
    if (peakLabel !== undefined && Math.abs(y - peakLabel.y) < 16 && Math.abs(x - peakLabel.x) < 140) y = sy(ciMax.mean) + 18;
    out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="ci-note" text-anchor="middle">${valueText(ciMax.mean, useGib)}</text>`);
  }
  return out.join('\n');
}

function legendRow(x: number, y: number, s: SeriesStyle, label: string, detail: string): string {
  const dash = s.dash !== undefined ? ` stroke-dasharray="${s.dash}"` : '';
  return [
    `<line x1="${x}" x2="${x + 26}" y1="${y}" y2="${y}" stroke="${s.colour}" stroke-width="${s.width}"${dash}/>`,
    `<text x="${x + 34}" y="${y + 4}" class="legend">${esc(label)}</text>`,
    `<text x="${x + 34}" y="${y + 20}" class="legend-detail">${esc(detail)}</text>`,
  ].join('\n');
}

/** The whole picture as an SVG document. */
export function renderRunSvg(records: readonly ContainerRecord[], info: ChartInfo): string {
  const height = HEADER + Math.max(1, records.length) * PANEL_HEIGHT + 10;
  const style = `
    text { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; fill: #222; }
    .title { font-size: 19px; font-weight: bold; }
    .subtitle { font-size: 13px; fill: #555; }
    .panel-title { font-size: 15px; font-weight: bold; }
    .plot { fill: #fcfcfc; stroke: #999; stroke-width: 1; }
    .grid { stroke: #e3e3e3; stroke-width: 1; }
    .tick { font-size: 12px; fill: #444; }
    .axis { font-size: 13px; fill: #333; }
    .legend { font-size: 13px; }
    .legend-detail { font-size: 12px; fill: #555; }
    .note { font-size: 12.5px; font-weight: bold; fill: #b22222; }
    .ci-note { font-size: 12.5px; font-weight: bold; fill: #1e7b1e; }`;
  const body = records.map((r, i) => panel(r, info, HEADER + i * PANEL_HEIGHT)).join('\n');
  const empty = records.length === 0 ? `<text x="${M.left}" y="${HEADER + 40}" class="axis">No exports were received.</text>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<title>${esc(info.title)}</title>
<style>${style}
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${M.left}" y="32" class="title">${esc(info.title)}</text>
<text x="${M.left}" y="56" class="subtitle">${esc(info.subtitle)}</text>
${body}${empty}
</svg>
`;
}
