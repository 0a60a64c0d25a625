import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContainerInsightsFigures, perMinuteAverages } from '../../tools/demo/src/container-insights';
import type { SampleSource, StatsSample } from '../../tools/demo/src/task-source';
import { fixtureText, loadFixture } from '../../tools/testing/src';

/** A source that serves one saved `/task/stats` body as its every sample. */
function savedPair(statsFile: string): SampleSource {
  const text = fixtureText(statsFile);
  const sample = (index: number): StatsSample => ({ index, tSeconds: index * 10, statsByDockerId: JSON.parse(text), text });
  return { refreshSeconds: 10, sample, lastSampleBefore: () => 0 };
}

test('cgroup v1: usage − cache, on the real Fargate payload; the stopped container has none', () => {
  const stats = loadFixture('fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json');
  const task = loadFixture('fargate-task-metadata-3containers-ecs-exporter.json');
  const figures = new ContainerInsightsFigures(savedPair('fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json'), task).of(0);
  const { usage, stats: inner } = stats['bae32def0ab64f06818e8862e58f8d6d-1819985369'].memory_stats; // prometheus
  assert.equal(figures.get('prometheus'), usage - inner.cache);
  assert.equal(figures.has('nonessential'), false, 'its stats are null');
});

test('cgroup v2: usage − inactive_file, on the real Managed Instances payload', () => {
  const stats = loadFixture('managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json');
  const task = loadFixture('managed-instances-task-metadata-3containers-ecs-exporter.json');
  const figures = new ContainerInsightsFigures(savedPair('managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json'), task).of(0);
  const { usage, stats: inner } = stats['de02d89bb57c4ef0b6e3745d7c2c9347-3935363592'].memory_stats; // main
  assert.equal(figures.get('main'), usage - inner.inactive_file);
});

test('per-minute averages: one point per minute, the mean of the samples inside it', () => {
  const values = [0, 10, 20, 30, 40, 50, 60, 70].map((t) => ({ tSeconds: t, value: t === 40 ? 700 : 100 }));
  const minutes = perMinuteAverages(values);
  assert.deepEqual(minutes, [
    { startSeconds: 0, mean: (5 * 100 + 700) / 6, count: 6 },
    { startSeconds: 60, mean: 100, count: 2 },
  ]);
});
