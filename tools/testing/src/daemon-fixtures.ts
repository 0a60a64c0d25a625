import { loadFixture } from './fixtures';

/**
 * The Managed Instances daemon pair (otel contrib receiver testdata, SOURCES.md): `/tasks` and `/tasks/stats`,
 * arrays of two tasks each, element i of one matching element i of the other. Its cgroup v2 stats are
 * trimmed to six keys: no `inactive_file`, no `shmem`. Docker never serves that shape (moby writes all 31
 * v2 keys); it is the only public payload without `inactive_file`.
 */
export const DAEMON_FIXTURES = {
  tasks: 'managed-instances-daemon-tasks-metadata-array-otelcontrib.json',
  stats: 'managed-instances-daemon-tasks-stats-array-cgroupv2-otelcontrib.json',
} as const;

/** The daemon fixture as what one task's `/task` and `/task/stats` would serve, task by task. */
export function daemonTaskPairs(): Array<{ task: any; stats: any }> {
  const tasks = loadFixture(DAEMON_FIXTURES.tasks) as any[];
  const stats = loadFixture(DAEMON_FIXTURES.stats) as any[];
  if (tasks.length !== stats.length) throw new Error('the daemon fixture pair has arrays of different lengths');
  return tasks.map((task, i) => ({ task, stats: stats[i] }));
}
