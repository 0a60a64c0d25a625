/**
 * What the demo points the package at, and what it needs to know about it: a simulated (or replayed) task on
 * a simulated clock, here, or the kernel-backed task of real processes in real time (kernel-demo-task.ts).
 * run-demo.ts does everything else the same way for both.
 */
import { METRIC_MAX_MEMORY_USAGE } from 'otel-ecs-task-stats';
import type { DemoOptions } from './options';
import { ReplaySource } from './replay-source';
import type { ContainerRecord } from './run-record';
import { ScenarioSource } from './scenario-source';
import { scenarioById } from './scenarios';
import { SimClock } from './sim-clock';
import { startSimulatedEndpoint } from './simulated-endpoint';
import type { SampleSource, TaskSource } from './task-source';

/** A running task with its metadata endpoint. */
export interface DemoTask {
  /** One line: what runs. */
  readonly title: string;
  /** True when the figures are the kernel's and the clock is real time (speed 1). */
  readonly kernelFigures: boolean;
  readonly clock: SimClock;
  /** Seconds (on `clock`) the run lasts. */
  readonly durationSeconds: number;
  /** Every refresh of the endpoint's statistics, as served. */
  readonly source: SampleSource;
  /** The `/task` body at the start. */
  readonly taskText: string;
  /** What ECS would put in ECS_CONTAINER_METADATA_URI_V4. */
  readonly url: string;
  /** Lines printed under the run's header. */
  readonly setupLines: readonly string[];
  /** Highest sample index served from `/task/stats` (or `/stats`) so far; -1 before the first. */
  lastServedSample(): number;
  /** What the task's containers do during the run, until `signal` aborts; says it through `print`; never rejects. */
  drive(signal: AbortSignal, print: (line: string) => void): Promise<void>;
  /** Stops the endpoint and ends everything the task started (idempotent). */
  close(): Promise<void>;
  /** Lines after the summary, once closed; may write files beside the picture at `svgPath`. */
  closingLines(records: readonly ContainerRecord[], svgPath: string): string[];
}

const REPLAY_DURATION_SECONDS = 120;

/** The simulated task of `options.scenario`, or the saved pair of `options.replay`, with its endpoint started. */
export async function startSimulatedTask(options: DemoOptions): Promise<DemoTask> {
  const clock = new SimClock(options.speed);
  const scenario = options.replay === undefined ? scenarioById(options.scenario) : undefined;
  const source: TaskSource =
    options.replay !== undefined
      ? new ReplaySource(options.replay.taskPath, options.replay.statsPath)
      : new ScenarioSource(scenario!, clock.startEpochMillis);
  const endpoint = await startSimulatedEndpoint(source, clock);
  return {
    title: scenario?.title ?? `replay of ${options.replay!.taskPath} + ${options.replay!.statsPath}`,
    kernelFigures: false,
    clock,
    durationSeconds: options.durationSeconds ?? scenario?.durationSeconds ?? REPLAY_DURATION_SECONDS,
    source,
    taskText: source.taskText(0),
    url: endpoint.url,
    setupLines: [],
    lastServedSample: endpoint.lastServedSample,
    drive: () => Promise.resolve(),
    close: () => endpoint.close(),
    closingLines: () =>
      scenario?.cgroup === 2
        ? [
            `  cgroup v2 has no kernel max_usage: ${METRIC_MAX_MEMORY_USAGE} is the highest usage the package sampled, so a spike`,
            '  shorter than the 10 s refresh can fall between two samples (compare --scenario incident).',
          ]
        : [],
  };
}
