import { asObject, readPositiveNumber, readString } from './untrusted';

/** One container of the task, as `/task` describes it. */
export interface ContainerMetadata {
  /** The join key to `/task/stats` (64-hex Docker ID on EC2, `<task id>-<digits>` on Fargate). */
  readonly dockerId: string;
  /** The ECS container name from the task definition (`Name`), never the Docker name. */
  readonly name: string;
  /** The container's own hard limit (`Limits.Memory`, MiB), when it has one. */
  readonly memoryLimitMib: number | undefined;
}

/** What the package needs from `${ECS_CONTAINER_METADATA_URI_V4}/task`. */
export interface TaskMetadata {
  /** `Family` of the task definition. */
  readonly family: string | undefined;
  /** Short cluster name: the last segment of `Cluster` (a full ARN on Fargate, a short name on EC2). */
  readonly clusterName: string | undefined;
  /** The task's memory limit (`Limits.Memory`, MiB), when the task definition sets one. */
  readonly taskMemoryLimitMib: number | undefined;
  /** Containers by `DockerId`. Internal containers (`Type` other than `NORMAL`) are left out. */
  readonly containers: ReadonlyMap<string, ContainerMetadata>;
}

/**
 * Normalises a `/task` payload. Returns undefined when the payload is not a task object at all; a container
 * entry without `DockerId` or `Name` is skipped, losing nothing else.
 */
export function parseTaskMetadata(payload: unknown): TaskMetadata | undefined {
  const task = asObject(payload);
  if (task === undefined || !Array.isArray(task['Containers'])) return undefined;
  const containers = new Map<string, ContainerMetadata>();
  for (const entry of task['Containers']) {
    const container = asObject(entry);
    const dockerId = readString(container, 'DockerId');
    const name = readString(container, 'Name');
    if (dockerId === undefined || name === undefined) continue;
    // The EC2 awsvpc pause container (`~internal~ecs~pause`, Type CNI_PAUSE) is ECS plumbing, not a
    // container of the user's task definition; its limit is host RAM. Containers without `Type` are kept.
    const type = readString(container, 'Type');
    if (type !== undefined && type !== 'NORMAL') continue;
    containers.set(dockerId, {
      dockerId,
      name,
      memoryLimitMib: readPositiveNumber(asObject(container?.['Limits']), 'Memory'),
    });
  }
  return {
    family: readString(task, 'Family'),
    clusterName: shortClusterName(readString(task, 'Cluster')),
    taskMemoryLimitMib: readPositiveNumber(asObject(task['Limits']), 'Memory'),
    containers,
  };
}

/** `arn:aws:ecs:eu-west-1:123:cluster/prod` → `prod`; `default` → `default`. */
export function shortClusterName(cluster: string | undefined): string | undefined {
  if (cluster === undefined) return undefined;
  const slash = cluster.lastIndexOf('/');
  const name = cluster.startsWith('arn:') && slash >= 0 ? cluster.slice(slash + 1) : cluster;
  return name.length > 0 ? name : undefined;
}
