/**
 * How the demo's simulated time maps onto the real timers of the package and the demo, and the option
 * bounds that follow from it (issue 14): every real interval must fit a Node.js timer (1 ms to 2^31 − 1 ms),
 * and a refresh of the simulated endpoint must last at least 1 ms real, the resolution of those timers.
 */
import { MAX_TIMER_MILLIS, MIN_SAMPLE_INTERVAL_MILLIS } from 'otel-ecs-task-stats';
import { FARGATE_REFRESH_SECONDS } from './scenario-source';

/** Above this, a refresh (10 simulated seconds) would last less than 1 ms real. */
export const MAX_SPEED = FARGATE_REFRESH_SECONDS * 1000;
/** Below this, the package's sampling interval (half a refresh, in real time) would not fit a timer. */
export const MIN_SPEED = (FARGATE_REFRESH_SECONDS * 1000) / 2 / MAX_TIMER_MILLIS;
/**
 * The demo keeps every refresh it served (for the Container Insights-style line and the picture), and
 * recomputes that line at each export: 10,000 refreshes at most keep a run within a few hundred MB and
 * seconds of CPU.
 */
export const MAX_DURATION_SECONDS = 10_000 * FARGATE_REFRESH_SECONDS;

/** Real ms between two samples of the package: half a refresh, and never below the package's minimum. */
export function sampleIntervalMillis(speed: number, refreshSeconds: number): number {
  return Math.max(MIN_SAMPLE_INTERVAL_MILLIS, Math.round((refreshSeconds * 1000) / 2 / speed));
}

/** Real ms between two exports of the package. */
export function exportIntervalMillis(speed: number, exportEverySeconds: number): number {
  return Math.max(1, Math.round((exportEverySeconds * 1000) / speed));
}

/** The `--export-every` range (simulated seconds) whose real interval fits a timer, at `speed`. */
export function exportEveryBounds(speed: number): { min: number; max: number } {
  return { min: speed / 1000, max: (MAX_TIMER_MILLIS * speed) / 1000 };
}
