import { loadFixture } from './fixtures';

/** The real Windows stats payloads (provenance in test/fixtures/tmde-v4/SOURCES.md). */
export const WINDOWS_FIXTURES = {
  /** One Docker-on-Windows stats object (EC2): commitbytes, commitpeakbytes, privateworkingset only. */
  ec2: 'ec2-windows-container-stats-docker-ecs-agent-testdata.json',
  /** A Fargate Windows `/task/stats` map: usage, max_usage, privateworkingset, no commit bytes. */
  fargate: 'fargate-windows-task-stats-datadog-integrations-core.json',
} as const;

/** A DockerId for the EC2 Windows container: its fixture is a bare stats object, without `id` or map key. */
export const EC2_WINDOWS_DOCKER_ID = '0123456789abcdef'.repeat(4);

/**
 * The EC2 Windows fixture as `/task/stats` serves it: wrapped in a `{DockerId: stats}` map, with the `id`
 * Docker's stats carry and the agent's unit-test copy left out. Nothing else is changed.
 */
export function ec2WindowsTaskStats(): Record<string, any> {
  return { [EC2_WINDOWS_DOCKER_ID]: { ...loadFixture(WINDOWS_FIXTURES.ec2), id: EC2_WINDOWS_DOCKER_ID } };
}

/** The Fargate Windows fixture's only DockerId (the map key; its `id` field was edited by its authors). */
export function fargateWindowsDockerId(): string {
  return Object.keys(loadFixture(WINDOWS_FIXTURES.fargate))[0];
}

/**
 * A minimal `/task` for one Windows container. No public Windows `/task` payload exists (SOURCES.md), so
 * this one is built: only the fields the package reads, with the limits the test chooses (MiB).
 */
export function windowsTaskMetadata(
  dockerId: string,
  name: string,
  limits: { containerMib?: number; taskMib?: number },
): Record<string, unknown> {
  return {
    Cluster: 'windows-cluster',
    Family: 'windows-family',
    ...(limits.taskMib === undefined ? {} : { Limits: { CPU: 1, Memory: limits.taskMib } }),
    Containers: [
      {
        DockerId: dockerId,
        Name: name,
        Type: 'NORMAL',
        Limits: limits.containerMib === undefined ? { CPU: 2 } : { CPU: 2, Memory: limits.containerMib },
      },
    ],
  };
}
