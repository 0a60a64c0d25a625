/**
 * Where the kit makes its cgroups: the test process's own memory cgroup, from /proc/self/cgroup mapped through
 * /proc/self/mountinfo. Pure parsing, so it runs on every machine (texts shaped as this machine's, and variants).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CGROUP_PARENT_ENV, ownMemoryCgroupDir, parentCgroupWithin } from '../../tools/testing/src';

const CGROUP_V1 = '9:name=systemd:/\n4:memory:/process_api/a40524b5\n1:cpu:/\n0::/\n';
const MOUNTS_V1 =
  '30 25 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu\n' +
  '33 25 0:30 / /sys/fs/cgroup/memory rw,relatime shared:12 - cgroup cgroup rw,memory\n' +
  '38 25 0:35 / /sys/fs/cgroup/unified rw,relatime shared:17 - cgroup2 cgroup2 rw\n';

describe('ownMemoryCgroupDir', () => {
  it('maps the memory line of /proc/self/cgroup onto the cgroup v1 memory mount', () => {
    assert.equal(ownMemoryCgroupDir(CGROUP_V1, MOUNTS_V1), '/sys/fs/cgroup/memory/process_api/a40524b5');
  });

  it('honours a mount of a subtree (a cgroup namespace or a bind mount) and a co-mounted controller', () => {
    const mounts = '33 25 0:30 /process_api /sys/fs/cgroup/memory\\040here rw - cgroup cgroup rw,memory,memsw\n';
    assert.equal(ownMemoryCgroupDir('4:memory,memsw:/process_api/a40524b5\n', mounts), '/sys/fs/cgroup/memory here/a40524b5');
  });

  it('refuses the root of the hierarchy, and says why there is nothing to use on cgroup v2 or without the mount', () => {
    assert.match((ownMemoryCgroupDir('4:memory:/\n', MOUNTS_V1) as { problem: string }).problem, /root memory cgroup/);
    assert.match((ownMemoryCgroupDir('0::/user.slice\n', MOUNTS_V1) as { problem: string }).problem, /no cgroup v1 memory controller/);
    const onlyCpu = MOUNTS_V1.split('\n').filter((l) => !l.includes('memory')).join('\n');
    assert.match((ownMemoryCgroupDir(CGROUP_V1, onlyCpu) as { problem: string }).problem, /not mounted/);
  });
});

describe('parentCgroupWithin (OTEL_ECS_TASK_STATS_CGROUP_PARENT)', () => {
  const own = '/sys/fs/cgroup/memory/process_api/a40524b5';

  it('is the process\'s own memory cgroup unless the variable names one inside it', () => {
    assert.equal(parentCgroupWithin(own, undefined), own);
    assert.equal(parentCgroupWithin(own, ''), own);
    assert.equal(parentCgroupWithin(own, own), own);
    assert.equal(parentCgroupWithin(own, `${own}/delegated/`), `${own}/delegated`);
  });

  it('refuses a cgroup outside its own (a sibling, a parent, the root, a way out through ..), naming the variable', () => {
    for (const outside of ['/sys/fs/cgroup/memory', `${own}-sibling`, '/sys/fs/cgroup/memory/process_api', `${own}/../other`]) {
      const answer = parentCgroupWithin(own, outside) as { problem: string };
      assert.equal(typeof answer, 'object', outside);
      assert.match(answer.problem, new RegExp(`^${CGROUP_PARENT_ENV}=.* is not inside this process's memory cgroup ${own};`));
    }
  });
});
