// The package and ADOT's awsecscontainermetrics receiver (run by the real collector) read the same task
// metadata endpoint; this collects what each reports per container (and the receiver's task totals).
// Used by receiver.collector.ts (which pins the known differences) and compare-receiver.ts (which writes
// docs/compare-awsecscontainermetrics.md). Test helper: not a test file.
import {
  ATTR_CONTAINER_NAME,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  startEcsTaskStats,
} from '../../src';
import { CollectorProcess, otlpPoints, OtlpReceiver, repoPath, within, type OtlpExportMetricsServiceRequest } from '../../tools/testing/src';

/** The receiver config: collection_interval 1s, OTLP/HTTP JSON to RECEIVER_SINK. */
export const RECEIVER_CONFIG = repoPath('test', 'collector', 'configs', 'awsecscontainermetrics.yaml');

/** What the package exported for one container, in MiB (undefined: the package omitted the figure). */
export interface PackageFigures {
  usage?: number;
  peak?: number;
  limit?: number;
  workingSet?: number;
  utilized?: number;
}

/**
 * What the receiver exported for one container or for the task, as the integers it sent: bytes for
 * usage, max and limit (int64: a uint64 above 2^63 − 1 comes out negative), whole MiB for utilized and
 * reserved (its units: `Bytes` and `MiB`).
 */
export interface ReceiverFigures {
  usageBytes?: bigint;
  maxBytes?: bigint;
  limitBytes?: bigint;
  utilizedMib?: bigint;
  reservedMib?: bigint;
}

/** One container side by side. */
export interface ContainerComparison {
  container: string;
  package: PackageFigures;
  receiver: ReceiverFigures;
}

/** Everything both reported for one task. */
export interface TaskComparison {
  containers: ContainerComparison[];
  /** The receiver's `ecs.task.memory.*` (the package reports no task-level figures). */
  task: ReceiverFigures;
}

const PACKAGE_NAMES: Record<string, keyof PackageFigures> = {
  [METRIC_MEMORY_USAGE]: 'usage',
  [METRIC_MAX_MEMORY_USAGE]: 'peak',
  [METRIC_MEMORY_LIMIT]: 'limit',
  [METRIC_MEMORY_WORKING_SET]: 'workingSet',
  [METRIC_MEMORY_UTILIZED]: 'utilized',
};

const RECEIVER_NAMES: Record<string, keyof ReceiverFigures> = {
  'memory.usage': 'usageBytes',
  'memory.usage.max': 'maxBytes',
  'memory.usage.limit': 'limitBytes',
  'memory.utilized': 'utilizedMib',
  'memory.reserved': 'reservedMib',
};

/** One export of the one-call setup against `metadataUri`, per container. */
async function packageFigures(metadataUri: string): Promise<Map<string, PackageFigures>> {
  const sink = await new OtlpReceiver().start();
  try {
    const handle = startEcsTaskStats({ metadataUri, url: sink.url, handleSignals: false });
    try {
      await handle.forceFlush();
    } finally {
      await handle.shutdown();
    }
    const out = new Map<string, PackageFigures>();
    for (const point of otlpPoints(sink.bodies[0])) {
      const key = PACKAGE_NAMES[point.metric];
      if (key === undefined) continue;
      const name = point.attributes[ATTR_CONTAINER_NAME];
      out.set(name, { ...out.get(name), [key]: point.value });
    }
    return out;
  } finally {
    await sink.close();
  }
}

/** The receiver's first complete scrape (one export per container, then the task's), per container. */
async function receiverFigures(metadataUri: string): Promise<{ containers: Map<string, ReceiverFigures>; task: ReceiverFigures }> {
  const sink = await new OtlpReceiver().start();
  const collector = await CollectorProcess.start(RECEIVER_CONFIG, { metadataUri, extra: { RECEIVER_SINK: `http://127.0.0.1:${sink.port}` } });
  try {
    const isTask = (body: OtlpExportMetricsServiceRequest): boolean => otlpPoints(body).some((p) => p.metric === 'ecs.task.memory.usage');
    await within('a scrape from the receiver', sink.waitForBody(isTask), 15_000).catch((error: Error) => {
      throw new Error(`${error.message}; the collector said:\n${collector.output}`);
    });
    const bodies = sink.bodies.slice(0, sink.bodies.findIndex(isTask) + 1);
    const containers = new Map<string, ReceiverFigures>();
    let task: ReceiverFigures = {};
    for (const body of bodies) {
      // One resource per container (container.name), and one for the task (none).
      const byResource = new Map<string | undefined, ReceiverFigures>();
      for (const point of otlpPoints(body)) {
        const name = point.resource['container.name'];
        const figures = byResource.get(name) ?? {};
        byResource.set(name, figures);
        const key = RECEIVER_NAMES[point.metric.replace(/^(container|ecs\.task)\./, '')];
        // protojson writes an int64 as a decimal string (exact as intValue); an unset value is 0
        if (key !== undefined) figures[key] = point.intValue ?? 0n;
      }
      for (const [name, figures] of byResource) {
        if (name === undefined) task = figures;
        else if (Object.keys(figures).length > 0) containers.set(name, figures); // stopped containers: duration only
      }
    }
    return { containers, task };
  } finally {
    await collector.stop();
    await sink.close();
  }
}

/** Runs the package and the receiver against the same metadata endpoint. */
export async function compareOn(metadataUri: string): Promise<TaskComparison> {
  const pkg = await packageFigures(metadataUri);
  const receiver = await receiverFigures(metadataUri);
  const names = [...new Set([...pkg.keys(), ...receiver.containers.keys()])].sort();
  return {
    containers: names.map((container) => ({ container, package: pkg.get(container) ?? {}, receiver: receiver.containers.get(container) ?? {} })),
    task: receiver.task,
  };
}
