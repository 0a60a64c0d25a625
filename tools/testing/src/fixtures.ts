import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from './repo-paths';

/** test/fixtures/tmde-v4: verbatim public payloads, provenance in SOURCES.md there. */
export const FIXTURE_DIR = repoPath('test', 'fixtures', 'tmde-v4');

/** Parses a fixture (verbatim public payloads; provenance in test/fixtures/tmde-v4/SOURCES.md). */
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8'));
}

/** The raw text of a fixture, served byte for byte by fake endpoints. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8');
}

/** The /task ↔ /task/stats pairs that share DockerIds (SOURCES.md). */
export const FIXTURE_PAIRS = {
  fargateV1: {
    task: 'fargate-task-metadata-3containers-ecs-exporter.json',
    stats: 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json',
  },
  fargateV1Old: {
    task: 'fargate-task-metadata-2containers-one-stopped-otelcontrib.json',
    stats: 'fargate-task-stats-cgroupv1-2containers-empty-stopped-otelcontrib.json',
  },
  ec2V2: {
    task: 'ec2-task-metadata-bridge-3containers-one-stopped-ecs-exporter.json',
    stats: 'ec2-task-stats-cgroupv2-bridge-3containers-empty-stopped-ecs-exporter.json',
  },
  ec2V1: {
    task: 'ec2-task-metadata-bridge-3containers-one-stopped-otelcontrib.json',
    stats: 'ec2-task-stats-cgroupv1-bridge-3containers-empty-stopped-otelcontrib.json',
  },
  managedInstancesV2: {
    task: 'managed-instances-task-metadata-3containers-ecs-exporter.json',
    stats: 'managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json',
  },
} as const;

/** 2^20: the tests write MiB figures as `bytes / MIB` with the bytes copied from the payload. */
export const MIB = 2 ** 20;
