import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerInsightsFigureBytes, perMinuteAverages } from '../../src/demo/container-insights';
import { fixture } from './helpers';

test('cgroup v1: usage − cache, on the real Fargate payload', () => {
  const stats = fixture('fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json');
  const prometheus = stats['bae32def0ab64f06818e8862e58f8d6d-1819985369'];
  const { usage, stats: inner } = prometheus.memory_stats;
  assert.equal(containerInsightsFigureBytes(prometheus), usage - inner.cache);
});

test('cgroup v2: usage − inactive_file, on the real Managed Instances payload', () => {
  const stats = fixture('managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json');
  const main = stats['de02d89bb57c4ef0b6e3745d7c2c9347-3935363592'];
  const { usage, stats: inner } = main.memory_stats;
  assert.equal(containerInsightsFigureBytes(main), usage - inner.inactive_file);
});

test('stopped containers (null, {}) have no figure', () => {
  assert.equal(containerInsightsFigureBytes(null), undefined);
  assert.equal(containerInsightsFigureBytes({}), undefined);
});

test('per-minute averages: one point per minute, the mean of the samples inside it', () => {
  const values = [0, 10, 20, 30, 40, 50, 60, 70].map((t) => ({ tSeconds: t, value: t === 40 ? 700 : 100 }));
  const minutes = perMinuteAverages(values);
  assert.deepEqual(minutes, [
    { startSeconds: 0, mean: (5 * 100 + 700) / 6, count: 6 },
    { startSeconds: 60, mean: 100, count: 2 },
  ]);
});
