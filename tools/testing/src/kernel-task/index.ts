/**
 * The kernel-backed task: a test kit that runs "containers" as real processes in real cgroup v1 memory
 * cgroups and serves the task metadata endpoint v4 from the kernel's own files, as the ECS agent serves
 * Docker's stats. Self-contained (Node.js built-ins only); part of the test kit (tools/testing).
 *
 * Linux, root (or a delegated memory cgroup) and the cgroup v1 memory controller are needed; `kernelSupport()`
 * says whether this machine has them, and why not.
 */
export { CGROUP_PARENT_ENV, kernelSupport, ownMemoryCgroupDir, parentCgroupWithin, type KernelSupport } from './kernel-support';
export { KernelTask, sampleAt, withKernelTask, type KernelContainerSpec, type KernelTaskOptions, type Refresh, type RefreshedContainer } from './kernel-task';
export { CONTAINER_PROGRAM, CONTAINER_PROGRAM_PATH, KernelContainer, type ContainerExit } from './kernel-container';
export { CGROUP_NAME_PREFIX, isAlive, MemoryCgroup, sweepLeftoverCgroups, type CgroupMemorySample } from './memory-cgroup';
export { DOCKER_V1_MEMORY_STAT_KEYS, toExactJson, ZERO_TIME } from './docker-stats';
export { waitFor, within } from '../wait';
