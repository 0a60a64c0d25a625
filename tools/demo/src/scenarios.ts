/**
 * The built-in scenarios. `incident` replays the story in ../shared/reference/origin.md: a 16 GiB Fargate
 * task whose scoring job reads its data set (the page cache grows to most of the task's memory), then
 * spikes briefly close to the limit and releases, while Container Insights' per-minute figure shows ~4 GiB.
 */
import type { Scenario, ScenarioContainer } from './scenario';

const GIB = 1024;

/** The scoring job: loads data (big page cache), computes (anon grows), one short burst near the limit. */
function scoringContainer(containerLimitMib: number | undefined): ScenarioContainer {
  return {
    name: 'scoring',
    image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/scoring-job:2026.11.3',
    containerLimitMib,
    cpuUnits: 2,
    running: true,
    kernelMib: 24,
    keyframes: [
      { atSeconds: 0, anonMib: 150, activeFileMib: 20, inactiveFileMib: 30 },
      { atSeconds: 30, anonMib: 420, activeFileMib: 80, inactiveFileMib: 250 },
      // Loading the data set: files are read once, so most of the cache lands on the inactive list.
      { atSeconds: 150, anonMib: 2.6 * GIB, activeFileMib: 1.2 * GIB, inactiveFileMib: 8.2 * GIB },
      { atSeconds: 240, anonMib: 3.3 * GIB, activeFileMib: 1.5 * GIB, inactiveFileMib: 8.8 * GIB },
      { atSeconds: 330, anonMib: 3.4 * GIB, activeFileMib: 1.5 * GIB, inactiveFileMib: 9.0 * GIB },
      { atSeconds: 360, anonMib: 3.4 * GIB, activeFileMib: 1.5 * GIB, inactiveFileMib: 9.0 * GIB },
      // Scoring done: the model is freed, the cache ages.
      { atSeconds: 390, anonMib: 0.9 * GIB, activeFileMib: 0.8 * GIB, inactiveFileMib: 7.0 * GIB },
      { atSeconds: 480, anonMib: 0.7 * GIB, activeFileMib: 0.5 * GIB, inactiveFileMib: 6.0 * GIB },
    ],
    // Centred between two 10 s endpoint refreshes: the samples see part of it, cgroup v1 max_usage all of it.
    spikes: [{ centreSeconds: 345, halfWidthSeconds: 9, anonMib: 5.4 * GIB, reclaimInactiveFileMib: 3.9 * GIB }],
  };
}

/** The ADOT collector sidecar: small and steady. */
function adotSidecar(): ScenarioContainer {
  return {
    name: 'aws-otel-collector',
    image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.46.0',
    containerLimitMib: 512,
    cpuUnits: 256,
    running: true,
    kernelMib: 3,
    keyframes: [
      { atSeconds: 0, anonMib: 48, activeFileMib: 6, inactiveFileMib: 14 },
      { atSeconds: 120, anonMib: 62, activeFileMib: 8, inactiveFileMib: 18 },
      { atSeconds: 480, anonMib: 66, activeFileMib: 9, inactiveFileMib: 19 },
    ],
    spikes: [],
  };
}

/** An init container that fetched the model and exited 0: listed in /task, `null` in /task/stats. */
function modelFetch(): ScenarioContainer {
  return {
    name: 'model-fetch',
    image: 'public.ecr.aws/aws-cli/aws-cli:2.22.0',
    containerLimitMib: undefined,
    cpuUnits: 2,
    running: false,
    kernelMib: 0,
    keyframes: [{ atSeconds: 0, anonMib: 0, activeFileMib: 0, inactiveFileMib: 0 }],
    spikes: [],
  };
}

/** The original incident: Fargate, cgroup v1, task memory 16 GiB, no container-level limits on the job. */
export function incidentScenario(): Scenario {
  return {
    id: 'incident',
    title: 'Fargate task, 16 GiB, cgroup v1: scoring job beside an ADOT sidecar',
    cgroup: 1,
    launchType: 'FARGATE',
    clusterName: 'scoring-prod',
    family: 'scoring-job',
    revision: '42',
    taskMemoryMib: 16 * GIB,
    taskCpuVcpu: 4,
    durationSeconds: 480,
    selfContainer: 'scoring',
    containers: [modelFetch(), scoringContainer(undefined), adotSidecar()],
  };
}

/**
 * The same job on a cgroup v2 host (ECS Managed Instances): no max_usage in the payload, container-level
 * limits, and Container Insights' formula becomes usage − inactive_file.
 */
export function cgroupV2Scenario(): Scenario {
  return {
    ...incidentScenario(),
    id: 'cgroup-v2',
    title: 'Managed Instances task, 16 GiB, cgroup v2: scoring job beside an ADOT sidecar',
    cgroup: 2,
    launchType: 'MANAGED_INSTANCES',
    containers: [modelFetch(), scoringContainer(15.5 * GIB), adotSidecar()],
  };
}

/** Scenario ids accepted by `--scenario`. */
export const SCENARIO_IDS = ['incident', 'cgroup-v2'] as const;
/** One of SCENARIO_IDS. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** The scenario for an id. */
export function scenarioById(id: ScenarioId): Scenario {
  return id === 'incident' ? incidentScenario() : cgroupV2Scenario();
}
