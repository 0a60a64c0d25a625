/**
 * `/task` and the container metadata (the base URI) of the kernel-backed task, in the shapes of the real EC2
 * payloads in test/fixtures/tmde-v4 (bridge network, 64-hex DockerIds). Pure functions.
 */
import { rfc3339Nano } from './docker-stats';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** The task, as the agent knows it. */
export interface TaskDescription {
  readonly cluster: string;
  readonly family: string;
  readonly revision: string;
  readonly taskId: string;
  /** `Limits.Memory` of the task (MiB); absent when undefined. */
  readonly memoryLimitMib: number | undefined;
  readonly createdAtMillis: number;
}

/** One container, as the agent knows it. */
export interface ContainerDescription {
  readonly dockerId: string;
  readonly name: string;
  readonly dockerName: string;
  /** `Limits.Memory` of the container (MiB); absent when undefined. */
  readonly memoryLimitMib: number | undefined;
  readonly startedAtMillis: number;
  readonly exit: { readonly exitCode: number; readonly finishedAtMillis: number } | undefined;
  readonly ipv4Address: string;
}

/** The entry of one container: in `/task`'s `Containers`, and alone at the base URI. */
export function containerMetadata(task: TaskDescription, container: ContainerDescription): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    DockerId: container.dockerId,
    Name: container.name,
    DockerName: container.dockerName,
    Image: 'node',
    ImageID: `sha256:${'0'.repeat(64)}`,
    Labels: {
      'com.amazonaws.ecs.cluster': task.cluster,
      'com.amazonaws.ecs.container-name': container.name,
      'com.amazonaws.ecs.task-arn': taskArn(task),
      'com.amazonaws.ecs.task-definition-family': task.family,
      'com.amazonaws.ecs.task-definition-version': task.revision,
    },
    DesiredStatus: 'RUNNING',
    KnownStatus: container.exit === undefined ? 'RUNNING' : 'STOPPED',
  };
  if (container.exit !== undefined) entry['ExitCode'] = container.exit.exitCode;
  entry['Limits'] = container.memoryLimitMib === undefined ? { CPU: 0 } : { CPU: 0, Memory: container.memoryLimitMib };
  entry['CreatedAt'] = rfc3339Nano(container.startedAtMillis);
  entry['StartedAt'] = rfc3339Nano(container.startedAtMillis);
  if (container.exit !== undefined) entry['FinishedAt'] = rfc3339Nano(container.exit.finishedAtMillis);
  entry['Type'] = 'NORMAL';
  entry['ContainerARN'] = `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${task.cluster}/${task.taskId}/${container.dockerId.slice(0, 32)}`;
  entry['Networks'] = [{ NetworkMode: 'bridge', IPv4Addresses: [container.exit === undefined ? container.ipv4Address : ''] }];
  return entry;
}

/** `/task`: the task and every container it ever started, stopped ones included. */
export function taskMetadata(task: TaskDescription, containers: readonly ContainerDescription[]): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    Cluster: task.cluster,
    TaskARN: taskArn(task),
    Family: task.family,
    Revision: task.revision,
    DesiredStatus: 'RUNNING',
    KnownStatus: 'RUNNING',
  };
  if (task.memoryLimitMib !== undefined) payload['Limits'] = { CPU: 0.25, Memory: task.memoryLimitMib };
  payload['PullStartedAt'] = rfc3339Nano(task.createdAtMillis);
  payload['PullStoppedAt'] = rfc3339Nano(task.createdAtMillis);
  payload['AvailabilityZone'] = `${REGION}a`;
  payload['LaunchType'] = 'EC2';
  payload['Containers'] = containers.map((container) => containerMetadata(task, container));
  return payload;
}

function taskArn(task: TaskDescription): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${task.cluster}/${task.taskId}`;
}
