/**
 * What the demo remembers of a run, per container: every export the package made (as decoded from the OTLP
 * body the receiver got) and the Container Insights-style per-minute line recomputed from the samples the
 * endpoint served. The picture and the summary are drawn from this and nothing else.
 */
import { ATTR_CONTAINER_NAME } from 'otel-ecs-task-stats';
import { perMinuteAverages, type ContainerInsightsFigures, type MinutePoint, type TimedValue } from './container-insights';
import type { OtlpPoint } from '../../emf-preview/src';
import type { SampleSource } from './task-source';

const MIB = 1024 * 1024;

/** One export of one container: metric name → value (MiB). */
export interface ContainerExport {
  tSeconds: number;
  values: Record<string, number>;
}

/** Everything drawn for one container. */
export interface ContainerRecord {
  containerName: string;
  exports: ContainerExport[];
  /** Container Insights-style line, MiB per minute. */
  ciMinutes: MinutePoint[];
}

/** Accumulates exports as they arrive. */
export class RunRecorder {
  private readonly byContainer = new Map<string, ContainerExport[]>();
  exportCount = 0;

  /** Adds one export (all its points) received at simulated second `tSeconds`. */
  addExport(tSeconds: number, points: readonly OtlpPoint[]): void {
    this.exportCount += 1;
    const touched = new Map<string, ContainerExport>();
    for (const p of points) {
      const containerName = p.attributes[ATTR_CONTAINER_NAME];
      if (containerName === undefined || !Number.isFinite(p.value)) continue;
      let e = touched.get(containerName);
      if (e === undefined) {
        e = { tSeconds, values: {} };
        touched.set(containerName, e);
        const list = this.byContainer.get(containerName) ?? [];
        list.push(e);
        this.byContainer.set(containerName, list);
      }
      e.values[p.metric] = p.value;
    }
  }

  /** Containers seen in exports, in first-seen order. */
  containerNames(): string[] {
    return [...this.byContainer.keys()];
  }

  /** Final record: exports plus the CI-style line from samples 0 … lastSampleIndex of `source`. */
  finish(source: SampleSource, figures: ContainerInsightsFigures, lastSampleIndex: number): ContainerRecord[] {
    return this.containerNames().map((containerName) => ({
      containerName,
      exports: this.byContainer.get(containerName) ?? [],
      ciMinutes: ciLine(source, figures, containerName, lastSampleIndex),
    }));
  }
}

/** The CI figure of one container in every sample served so far, averaged per minute, in MiB. */
export function ciLine(source: SampleSource, figures: ContainerInsightsFigures, containerName: string, lastSampleIndex: number): MinutePoint[] {
  const values: TimedValue[] = [];
  for (let k = 0; k <= lastSampleIndex; k++) {
    const bytes = figures.of(k).get(containerName);
    if (bytes !== undefined) values.push({ tSeconds: source.sample(k).tSeconds, value: bytes / MIB });
  }
  return perMinuteAverages(values);
}
