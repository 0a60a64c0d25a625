/**
 * The simulated `/task` response. A real payload is the template (test/fixtures/tmde-v4: Fargate 2025 for a
 * FARGATE scenario, Managed Instances 2026 for MANAGED_INSTANCES), so every key and every value the package
 * never reads is a real one; the scenario sets the task's identity and limits, and per container its
 * identity, state and limits, from a running or a stopped container of the same payload.
 */
import { loadFixture } from '../../testing/src';
import type { Scenario, ScenarioContainer } from './scenario';

/** A fixed, Fargate-shaped task id (32 hex digits) so every run shows the same identities. */
const DEMO_TASK_ID = '5f1c0e7a9b2d4c3e8a6f0b1d2c3e4f5a';
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const TEMPLATE_FIXTURES: Readonly<Record<Scenario['launchType'], string>> = {
  FARGATE: 'fargate-task-metadata-3containers-ecs-exporter.json',
  MANAGED_INSTANCES: 'managed-instances-task-metadata-3containers-ecs-exporter.json',
};

type Json = Record<string, unknown>;

function templateTask(scenario: Scenario): Json {
  return loadFixture(TEMPLATE_FIXTURES[scenario.launchType]) as Json;
}

/** A container of the template in that state (the self container: one with a log driver, as a real app has). */
function templateContainer(task: Json, running: boolean, self: boolean): Json {
  const containers = task['Containers'] as Json[];
  const inState = containers.filter((c) => (c['KnownStatus'] === 'RUNNING') === running);
  const chosen = (self ? inState.find((c) => 'LogDriver' in c) : inState.find((c) => !('LogDriver' in c))) ?? inState[0];
  if (chosen === undefined) throw new Error(`the /task template has no ${running ? 'running' : 'stopped'} container`);
  return structuredClone(chosen);
}

/** DockerId of a container: Fargate/Managed Instances form `<task id>-<10 digits>`. */
export function dockerIdOf(scenario: Scenario, container: ScenarioContainer): string {
  const index = scenario.containers.indexOf(container);
  return `${DEMO_TASK_ID}-${String(1585788040 + index * 117_133_331).padStart(10, '0')}`;
}

function clusterArn(scenario: Scenario): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${scenario.clusterName}`;
}

function taskArn(scenario: Scenario): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${scenario.clusterName}/${DEMO_TASK_ID}`;
}

/** One entry of `Containers[]`. */
export function containerMetadata(scenario: Scenario, c: ScenarioContainer): Json {
  const meta = templateContainer(templateTask(scenario), c.running, c.name === scenario.selfContainer);
  meta['DockerId'] = dockerIdOf(scenario, c);
  meta['Name'] = c.name;
  meta['DockerName'] = c.name;
  meta['Image'] = c.image;
  meta['Labels'] = {
    ...(meta['Labels'] as Json),
    'com.amazonaws.ecs.cluster': clusterArn(scenario),
    'com.amazonaws.ecs.container-name': c.name,
    'com.amazonaws.ecs.task-arn': taskArn(scenario),
    'com.amazonaws.ecs.task-definition-family': scenario.family,
    'com.amazonaws.ecs.task-definition-version': scenario.revision,
  };
  // No container memory limit: the key is absent, as in `{"CPU": 2}` on Fargate.
  meta['Limits'] = c.containerLimitMib === undefined ? { CPU: c.cpuUnits } : { CPU: c.cpuUnits, Memory: c.containerLimitMib };
  return meta;
}

/** The whole `/task` body. */
export function taskMetadata(scenario: Scenario): Json {
  const task = templateTask(scenario);
  task['Cluster'] = clusterArn(scenario);
  task['TaskARN'] = taskArn(scenario);
  task['Family'] = scenario.family;
  task['Revision'] = scenario.revision;
  task['Limits'] = { CPU: scenario.taskCpuVcpu, Memory: scenario.taskMemoryMib };
  if ('ServiceName' in task) {
    task['ServiceName'] = scenario.family;
    task['Group'] = `service:${scenario.family}`;
  }
  task['Containers'] = scenario.containers.map((c) => containerMetadata(scenario, c));
  return task;
}
