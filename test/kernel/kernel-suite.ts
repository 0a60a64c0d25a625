import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelSupport } from '../../tools/testing/src';

/**
 * Set by `.ci/run`: on CI the kernel tests must run, so a machine without a writable cgroup v1 memory
 * controller fails them instead of skipping them.
 */
export const REQUIRE_KERNEL_ENV = 'OTEL_ECS_TASK_STATS_REQUIRE_KERNEL';

/**
 * `describe` for tests against the real kernel: where the machine cannot run a kernel-backed task (not Linux,
 * not root, no cgroup v1 memory controller) the suite is skipped with one line saying why, unless
 * OTEL_ECS_TASK_STATS_REQUIRE_KERNEL=1, where it fails with that reason.
 */
export function describeKernel(name: string, body: () => void): void {
  const support = kernelSupport();
  if (support.ok) {
    // Children of a memory cgroup, OOM kills and a node per container: generous bounds for a loaded machine.
    describe(name, { timeout: 120_000 }, body);
  } else if (process.env[REQUIRE_KERNEL_ENV] === '1') {
    describe(name, () => {
      it('runs on this machine', () => assert.fail(`${REQUIRE_KERNEL_ENV}=1, but ${support.reason}`));
    });
  } else {
    // A test rather than a suite: one line, and counted among the skipped tests of the summary.
    it(name, { skip: `needs Linux, root and the cgroup v1 memory controller: ${support.reason}` }, () => undefined);
  }
}
