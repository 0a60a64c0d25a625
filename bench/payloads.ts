/**
 * Realistic metadata payloads for the benchmark: the Fargate cgroup v1 fixture pair (verbatim entries from
 * test/fixtures/tmde-v4, provenance in SOURCES.md) replicated to N running containers with distinct DockerIds,
 * and a `/task` that names every one of them.
 */
import { FIXTURE_PAIRS, loadFixture } from '../tools/testing/src';

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
 * A renderer of the `/task/stats` payload of the same task: `render(sequence)` gives JSON text whose `read`
 * (and `preread`, 10 s earlier) differ for every sequence number, as the endpoint's do after each refresh.
 */
export function statsPayloadRenderer(containers: number): (sequence: number) => string {
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
  const base = Date.parse('2025-02-27T05:22:49Z');
  return (sequence) => {
    // One millisecond per sequence number: Docker's RFC 3339 timestamps with nanoseconds.
    const read = JSON.stringify(new Date(base + sequence).toISOString().slice(0, -1) + '680233Z');
    const preread = JSON.stringify(new Date(base + sequence - 10_000).toISOString());
    return parts.join(read).replaceAll(`"${PREREAD_MARK}"`, preread);
  };
}

function dockerId(index: number): string {
  return `bae32def0ab64f06818e8862e58f8d6d-${1_000_000_000 + index}`;
}
