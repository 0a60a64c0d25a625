/**
 * The kernel-backed task's refreshes as the demo's SampleSource: sample k is the task's refresh k + 1 (the
 * kit numbers them from 1), timed at the real second it read the cgroups' files, counted from the run's start.
 * The bodies are exactly those the endpoint served.
 */
import type { KernelTask, Refresh } from '../../testing/src';
import type { SampleSource, StatsSample } from './task-source';

export class KernelSource implements SampleSource {
  private readonly parsed: StatsSample[] = [];

  /** `startEpochMillis`: the run's second 0 (refreshes before it count as second 0). */
  constructor(
    private readonly task: KernelTask,
    private readonly startEpochMillis: number,
    readonly refreshSeconds: number,
  ) {}

  /** Refresh number `index` + 1; throws if the task has not made it (yet). */
  sample(index: number): StatsSample {
    let sample = this.parsed[index];
    if (sample === undefined) {
      const refresh = this.task.refreshes[index];
      if (refresh === undefined) throw new RangeError(`no refresh #${index + 1} yet (${this.task.refreshes.length} so far)`);
      const statsByDockerId = JSON.parse(refresh.statsJson) as StatsSample['statsByDockerId'];
      sample = { index, tSeconds: this.secondsOf(refresh), statsByDockerId, text: refresh.statsJson };
      this.parsed[index] = sample;
    }
    return sample;
  }

  lastSampleBefore(t: number): number {
    const refreshes = this.task.refreshes;
    for (let k = refreshes.length - 1; k > 0; k--) if (this.secondsOf(refreshes[k]) < t) return k;
    return 0;
  }

  /** Seconds from the run's start to `refresh` (0 for the refreshes taken while the task was being set up). */
  secondsOf(refresh: Refresh): number {
    return Math.max(0, (refresh.atMillis - this.startEpochMillis) / 1000);
  }
}
