import assert from 'node:assert/strict';
import {
  ATTR_CONTAINER_NAME,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  startEcsTaskStats,
  type EcsTaskStatsHandle,
} from '../../src';
import { type KernelTask, otlpPoints, OtlpReceiver, type Refresh } from '../../tools/testing/src';

/** 2^20: the package's MiB. Expected figures are `Number(kernel bytes) / MIB`. */
export const MIB = 2 ** 20;

/** MiB from a byte count the kernel wrote (exact below 2^53, as every usage figure is). */
export function mib(bytes: bigint): number {
  return Number(bytes) / MIB;
}

/** One container's exported figures (MiB); a metric absent from the export is undefined. */
export interface Figures {
  /** MemoryUsage */
  usage?: number;
  /** MaxMemoryUsage */
  maxUsage?: number;
  /** MemoryLimit */
  limit?: number;
  /** MemoryWorkingSet */
  workingSet?: number;
  /** MemoryUtilized */
  utilized?: number;
}

const FIGURE_OF_METRIC: Readonly<Record<string, keyof Figures>> = {
  [METRIC_MEMORY_USAGE]: 'usage',
  [METRIC_MAX_MEMORY_USAGE]: 'maxUsage',
  [METRIC_MEMORY_LIMIT]: 'limit',
  [METRIC_MEMORY_WORKING_SET]: 'workingSet',
  [METRIC_MEMORY_UTILIZED]: 'utilized',
};

/** What one export carried, with the refresh whose sample it reports. */
export interface ExportAtRefresh {
  readonly refresh: Refresh;
  /** By container name; a container absent from the export is absent here. */
  readonly figures: ReadonlyMap<string, Figures>;
}

/**
 * The package as an application runs it: `startEcsTaskStats` (its public API) pointed at the kernel task's
 * endpoint, sampling every second, exporting over its real OTLP/HTTP exporter to a test receiver. Exports
 * happen only on `forceFlush()` (the periodic interval is out of reach), so every body is one the test asked for.
 */
export class PackageRun {
  private constructor(
    readonly task: KernelTask,
    readonly receiver: OtlpReceiver,
    readonly handle: EcsTaskStatsHandle,
  ) {}

  static async start(task: KernelTask): Promise<PackageRun> {
    const receiver = await new OtlpReceiver().start();
    const handle = startEcsTaskStats({
      metadataUri: task.uri,
      url: receiver.url,
      sampleIntervalMillis: 1000,
      exportIntervalMillis: 600_000,
      handleSignals: false,
    });
    return new PackageRun(task, receiver, handle);
  }

  /**
   * An export of exactly one refresh's sample: the cadence is held, so the endpoint serves one sample; a first
   * flush lets a poll answered before the hold finish, the second samples (and exports) the held one.
   */
  async exportAtOneRefresh(): Promise<ExportAtRefresh> {
    const release = this.task.holdRefreshes();
    try {
      const refresh = this.task.lastRefresh;
      const servedAtHold = this.task.servedRefreshSeqs.length;
      await this.handle.forceFlush();
      const bodiesBefore = this.receiver.bodies.length;
      await this.handle.forceFlush();
      const served = this.task.servedRefreshSeqs.slice(servedAtHold);
      assert.ok(served.length > 0 && served.every((seq) => seq === refresh.seq), `served during the hold: ${served.join(',')}`);
      const bodies = this.receiver.bodies.slice(bodiesBefore);
      assert.equal(bodies.length, 1, 'one export per forceFlush');
      return { refresh, figures: figuresByContainer(bodies) };
    } finally {
      release();
    }
  }

  /** Every value of one figure of `container` in every export so far. */
  exported(figure: keyof Figures, container: string): number[] {
    return this.receiver.points()
      .filter((p) => FIGURE_OF_METRIC[p.metric] === figure && p.attributes[ATTR_CONTAINER_NAME] === container)
      .map((p) => p.value);
  }

  async stop(): Promise<void> {
    await this.handle.shutdown();
    await this.receiver.close();
  }
}

function figuresByContainer(bodies: readonly unknown[]): Map<string, Figures> {
  const figures = new Map<string, Figures>();
  for (const point of bodies.flatMap((body) => otlpPoints(body))) {
    const name = point.attributes[ATTR_CONTAINER_NAME];
    const container = figures.get(name) ?? {};
    const figure = FIGURE_OF_METRIC[point.metric];
    assert.ok(figure !== undefined, `an unexpected metric ${point.metric}`);
    container[figure] = point.value;
    figures.set(name, container);
  }
  return figures;
}
