/**
 * A TaskSource that serves a saved `/task` + `/task/stats` pair unchanged (bodies byte for byte, so the
 * unlimited sentinels keep their exact digits). Like a real endpoint between refreshes, it keeps serving the
 * same sample: `read` never moves, so the package sees one sample for the whole run.
 */
import { readInputFile } from './input-file';
import { FARGATE_REFRESH_SECONDS } from './scenario-source';
import { cadenceSampleBefore, type StatsSample, type TaskSource } from './task-source';

interface TaskContainer {
  DockerId?: unknown;
  Name?: unknown;
}

/** Replays one saved pair. */
export class ReplaySource implements TaskSource {
  readonly refreshSeconds = FARGATE_REFRESH_SECONDS;
  private readonly taskBody: string;
  private readonly statsBody: string;
  private readonly stats: Record<string, Record<string, unknown> | null>;
  private readonly selfContainer: TaskContainer | undefined;

  /**
   * Reads both files (regular files of at most 1 MiB, else a usage error); throws with the file name if
   * either is not the JSON object the endpoint returns.
   */
  constructor(taskPath: string, statsPath: string) {
    this.taskBody = readInputFile(taskPath, '--replay');
    this.statsBody = readInputFile(statsPath, '--replay');
    const task = parseObject(this.taskBody, taskPath) as { Containers?: unknown };
    if (!Array.isArray(task.Containers)) throw new Error(`${taskPath}: not a /task body (no Containers array)`);
    this.stats = parseObject(this.statsBody, statsPath) as Record<string, Record<string, unknown> | null>;
    // `/` and `/stats` describe "this" container: the first one that has statistics.
    const containers = task.Containers as TaskContainer[];
    this.selfContainer =
      containers.find((c) => typeof c.DockerId === 'string' && isLive(this.stats[c.DockerId])) ?? containers[0];
  }

  taskText(): string {
    return this.taskBody;
  }

  selfText(): string {
    return JSON.stringify(this.selfContainer ?? {});
  }

  selfStatsText(): string {
    const id = this.selfContainer?.DockerId;
    return JSON.stringify(typeof id === 'string' ? (this.stats[id] ?? null) : null);
  }

  sample(index: number): StatsSample {
    return { index, tSeconds: index * this.refreshSeconds, statsByDockerId: this.stats, text: this.statsBody };
  }

  lastSampleBefore(t: number): number {
    return cadenceSampleBefore(this.refreshSeconds, t);
  }
}

function isLive(s: Record<string, unknown> | null | undefined): boolean {
  return s != null && typeof s === 'object' && 'memory_stats' in s;
}

function parseObject(text: string, path: string): object {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: expected a JSON object`);
  return value;
}
