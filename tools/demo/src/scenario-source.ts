/**
 * A TaskSource driven by a Scenario: refreshes every 10 simulated seconds (the Fargate / Managed Instances
 * cadence: `read − preread` = 10.00 s in every real fixture), with `read`/`preread` in simulated time.
 */
import { ContainerHistory } from './container-history';
import { effectiveLimitMib, type Scenario, type ScenarioContainer } from './scenario';
import { containerStats, pagesBytes, toJsonText } from './stats-payload';
import { containerMetadata, dockerIdOf, taskMetadata } from './task-payload';
import { cadenceSampleBefore, sampleIndexAt, type StatsSample, type TaskSource } from './task-source';

/** Fargate and Managed Instances refresh container statistics every ~10 s. */
export const FARGATE_REFRESH_SECONDS = 10;

/** RFC 3339 with nanoseconds, as the agent writes `read`. */
function rfc3339Nano(epochMillis: number, nanosFraction: number): string {
  const whole = new Date(Math.floor(epochMillis / 1000) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(nanosFraction).padStart(9, '0')}Z`;
}

/** Builds `/task` and `/task/stats` bodies for a scenario as simulated time passes. */
export class ScenarioSource implements TaskSource {
  readonly refreshSeconds = FARGATE_REFRESH_SECONDS;
  private readonly samples: StatsSample[] = [];
  private readonly histories: Map<ScenarioContainer, ContainerHistory>;

  /** @param startEpochMillis wall-clock time of simulated second 0 */
  constructor(
    readonly scenario: Scenario,
    private readonly startEpochMillis: number,
  ) {
    this.histories = new Map(scenario.containers.map((c) => [c, new ContainerHistory(c)]));
  }

  private self(): ScenarioContainer {
    return this.scenario.containers.find((c) => c.name === this.scenario.selfContainer) ?? this.scenario.containers[0];
  }

  /** The task does not change during a run: its containers and limits are the scenario's. */
  taskText(): string {
    return JSON.stringify(taskMetadata(this.scenario));
  }

  selfText(): string {
    return JSON.stringify(containerMetadata(this.scenario, this.self()));
  }

  selfStatsText(t: number): string {
    const s = this.sample(sampleIndexAt(this, t));
    return toJsonText(s.statsByDockerId[dockerIdOf(this.scenario, this.self())] ?? null);
  }

  /** Sample number `index` (generated on first use, then cached). */
  sample(index: number): StatsSample {
    while (this.samples.length <= index) this.samples.push(this.build(this.samples.length));
    return this.samples[index];
  }

  lastSampleBefore(t: number): number {
    return cadenceSampleBefore(this.refreshSeconds, t);
  }

  private build(index: number): StatsSample {
    const t = index * this.refreshSeconds;
    const statsByDockerId: Record<string, Record<string, unknown> | null> = {};
    this.scenario.containers.forEach((c, i) => {
      const id = dockerIdOf(this.scenario, c);
      if (!c.running) {
        statsByDockerId[id] = null; // stopped containers: `null` on Fargate 2025 / Managed Instances 2026
        return;
      }
      const history = this.histories.get(c)!;
      history.advanceTo(t);
      // Each container's sample lands at a slightly different instant, as in the fixtures.
      const nanos = 186_680_233 + i * 219_490_140;
      const readMs = this.startEpochMillis + t * 1000;
      statsByDockerId[id] = containerStats({
        cgroup: this.scenario.cgroup,
        container: c,
        history,
        dockerId: id,
        tSeconds: t,
        readIso: rfc3339Nano(readMs, nanos),
        // preread = the previous sample's read (read − preread ≈ 10 s in every Fargate fixture).
        prereadIso: rfc3339Nano(readMs - this.refreshSeconds * 1000, nanos),
        containerLimitBytes: c.containerLimitMib !== undefined ? pagesBytes(c.containerLimitMib) : undefined,
        hierarchicalLimitBytes: pagesBytes(effectiveLimitMib(this.scenario, c)),
      });
    });
    return { index, tSeconds: t, statsByDockerId, text: toJsonText(statsByDockerId) };
  }
}
