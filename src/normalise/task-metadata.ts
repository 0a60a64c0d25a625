import { isRealLimitBytes, mibToBytes } from './units';
import { asObject, readString, type JsonObject } from './untrusted';

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
  /** `Limits.Memory` values no machine can have, left out of the fields above (the sampler warns once). */
  readonly impossibleMemoryLimits: readonly ImpossibleMemoryLimit[];
}

/** A `Limits.Memory` that is not finite, or 2^62 bytes (2^42 MiB) or more: treated as not set (issue 13). */
export interface ImpossibleMemoryLimit {
  /** The container's `Name`, or undefined for the task's own `Limits.Memory`. */
  readonly containerName: string | undefined;
  /** The value as parsed (`1e400` in JSON parses to Infinity). */
  readonly memoryMib: number;
}

/**
 * Normalises a `/task` payload. Returns undefined when the payload is not a task object at all; a container
 * entry without `DockerId` or `Name` is skipped, losing nothing else.
 */
export function parseTaskMetadata(payload: unknown): TaskMetadata | undefined {
  const task = asObject(payload);
  if (task === undefined || !Array.isArray(task['Containers'])) return undefined;
  const containers = new Map<string, ContainerMetadata>();
  const impossibleMemoryLimits: ImpossibleMemoryLimit[] = [];
  const memoryLimitMib = (limits: unknown, containerName: string | undefined): number | undefined =>
    readMemoryLimitMib(asObject(limits), (memoryMib) => impossibleMemoryLimits.push({ containerName, memoryMib }));
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
      memoryLimitMib: memoryLimitMib(container?.['Limits'], name),
    });
  }
  return {
    family: readString(task, 'Family'),
    clusterName: shortClusterName(readString(task, 'Cluster')),
    taskMemoryLimitMib: memoryLimitMib(task['Limits'], undefined),
    containers,
    impossibleMemoryLimits,
  };
}

/**
 * `Limits.Memory` in MiB. Not a number, or ≤ 0: not set (EC2 writes 0 for "no hard limit"). Not finite, or
 * 2^62 bytes or more once in bytes: impossible, also not set, and handed to `onImpossible` to be reported.
 */
function readMemoryLimitMib(limits: JsonObject | undefined, onImpossible: (memoryMib: number) => void): number | undefined {
  const value = limits?.['Memory'];
  if (typeof value !== 'number') return undefined;
  if (!Number.isFinite(value) || (value > 0 && !isRealLimitBytes(mibToBytes(value)))) {
    onImpossible(value);
    return undefined;
  }
  return value > 0 ? value : undefined;
}

/** `arn:aws:ecs:eu-west-1:123:cluster/prod` → `prod`; `default` → `default`. */
export function shortClusterName(cluster: string | undefined): string | undefined {
  if (cluster === undefined) return undefined;
  const slash = cluster.lastIndexOf('/');
  const name = cluster.startsWith('arn:') && slash >= 0 ? cluster.slice(slash + 1) : cluster;
  return name.length > 0 ? name : undefined;
}
