/**
 * Where the simulated endpoint gets its bodies: a scenario that evolves, or a saved pair replayed as is.
 * Both expose every refresh as a numbered sample so the demo can later recompute what the endpoint served;
 * so does the kernel-backed task (a SampleSource: its endpoint is the test kit's, serving the kernel's files).
 */

/** One refresh of the endpoint's statistics. */
export interface StatsSample {
  /** Refresh number, 0-based; sample k was taken at simulated second k × refreshSeconds. */
  index: number;
  tSeconds: number;
  /** `/task/stats` parsed: DockerId → stats object, or null / {} for stopped containers. */
  statsByDockerId: Record<string, Record<string, unknown> | null>;
  /** The exact `/task/stats` body served for this refresh. */
  text: string;
}

/** Every refresh the endpoint made, by number. */
export interface SampleSource {
  /** Simulated seconds between two refreshes of the statistics (10 s on Fargate and Managed Instances). */
  readonly refreshSeconds: number;
  /** Sample number `index` (0 … the newest taken). */
  sample(index: number): StatsSample;
  /** The newest sample taken before simulated second `t` (0 if none was). */
  lastSampleBefore(t: number): number;
}

/** The bodies behind `/`, `/task`, `/stats`, `/task/stats`. */
export interface TaskSource extends SampleSource {
  /** `/task` body at simulated second `t`. */
  taskText(t: number): string;
  /** `/` body (the container the package runs in). */
  selfText(t: number): string;
  /** `/stats` body (that container's stats, from the same cached sample as `/task/stats`). */
  selfStatsText(t: number): string;
}

/** The sample the endpoint serves at simulated second `t`: the last refresh, never a fresh one. */
export function sampleIndexAt(source: TaskSource, t: number): number {
  return Math.max(0, Math.floor(t / source.refreshSeconds));
}

/** lastSampleBefore of a source that refreshes exactly every `refreshSeconds` from second 0. */
export function cadenceSampleBefore(refreshSeconds: number, t: number): number {
  return Math.max(0, Math.ceil(t / refreshSeconds) - 1);
}
