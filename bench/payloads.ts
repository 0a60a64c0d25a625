/**
 * Realistic metadata payloads for the benchmark: the Fargate cgroup v1 fixture pair (verbatim entries from
 * test/fixtures/tmde-v4, provenance in SOURCES.md) replicated to N running containers with distinct DockerIds,
 * and a `/task` that names every one of them.
 */
import { dockerTimestamp, FIXTURE_PAIRS, loadFixture } from '../tools/testing/src';

const FARGATE = FIXTURE_PAIRS.fargateV1;
const READ_MARK = '__BENCH_READ__';
const PREREAD_MARK = '__BENCH_PREREAD__';

/** The `/task` payload of a task with `containers` running containers, as JSON text. */
export function taskPayloadText(containers: number): string {
  const task = loadFixture(FARGATE.task);
  const running = (task.Containers as any[]).filter((c) => c.KnownStatus === 'RUNNING');
  task.Containers = Array.from({ length: containers }, (_, i) => {
    const container = structuredClone(running[i % running.length]);
    container.DockerId = dockerId(i);
    container.Name = `container-${i}`;
    return container;
  });
  return JSON.stringify(task);
}

/**
 * A renderer of the `/task/stats` payload of the same task: JSON text with every container's `read` and
 * `preread` set to the given times (ms since the epoch, Docker's RFC 3339 with nanoseconds).
 */
export function statsPayloadRenderer(containers: number): (refresh: { readMillis: number; prereadMillis: number }) => string {
  const fixture = loadFixture(FARGATE.stats);
  const running = Object.values(fixture).filter((entry: any) => entry?.memory_stats !== undefined) as any[];
  const stats: Record<string, unknown> = {};
  for (let i = 0; i < containers; i++) {
    const entry = structuredClone(running[i % running.length]);
    entry.id = dockerId(i);
    entry.name = `container-${i}`;
    entry.read = READ_MARK;
    entry.preread = PREREAD_MARK;
    stats[dockerId(i)] = entry;
  }
  const parts = JSON.stringify(stats).split(`"${READ_MARK}"`);
  return ({ readMillis, prereadMillis }) => parts.join(JSON.stringify(dockerTimestamp(readMillis))).replaceAll(`"${PREREAD_MARK}"`, JSON.stringify(dockerTimestamp(prereadMillis)));
}

/** A `read` for the hot routes: one millisecond per request from a fixed start, `preread` 10 s before. */
export function hotRefresh(sequence: number): { readMillis: number; prereadMillis: number } {
  const readMillis = Date.parse('2025-02-27T05:22:49Z') + sequence;
  return { readMillis, prereadMillis: readMillis - 10_000 };
}

function dockerId(index: number): string {
  return `bae32def0ab64f06818e8862e58f8d6d-${1_000_000_000 + index}`;
}
