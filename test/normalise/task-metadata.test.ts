import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTaskMetadata, shortClusterName } from '../../src/normalise/task-metadata';
import { FIXTURE_PAIRS, loadFixture, MIB } from '../../tools/testing/src';

describe('parseTaskMetadata', () => {
  it('reads a Fargate task: ARN cluster to short name, task limit, containers without their own limit', () => {
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.fargateV1.task))!;
    assert.equal(task.family, 'prom-ecs-exporter-sandbox-main-fargate');
    assert.equal(task.clusterName, 'prom-ecs-exporter-sandbox'); // from arn:aws:ecs:us-east-1:829490980523:cluster/prom-ecs-exporter-sandbox
    assert.equal(task.taskMemoryLimitMib, 512);
    assert.deepEqual([...task.containers.values()].map((c) => [c.name, c.memoryLimitMib]), [
      ['nonessential', undefined],
      ['prometheus', undefined],
      ['ecs-exporter', undefined],
    ]);
  });

  it('reads an EC2 task: short cluster name as is, no task limit, container hard limits', () => {
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.ec2V1.task))!;
    assert.equal(task.clusterName, 'test200');
    assert.equal(task.taskMemoryLimitMib, undefined);
    assert.deepEqual([...task.containers.values()].map((c) => [c.name, c.memoryLimitMib]), [
      ['nginx100', 128],
      ['nginx300', 128],
      ['nginx200', 128],
    ]);
  });

  it('leaves out the EC2 awsvpc pause container (Type CNI_PAUSE)', () => {
    const task = parseTaskMetadata(loadFixture('ec2-task-metadata-awsvpc-with-pause-awsdocs.json'))!;
    assert.deepEqual([...task.containers.values()].map((c) => c.name), ['curl']);
  });

  it('treats Limits.Memory 0 as not set (EC2 containers without a hard limit)', () => {
    const task = parseTaskMetadata({ Containers: [{ DockerId: 'a', Name: 'app', Limits: { CPU: 0, Memory: 0 } }] })!;
    assert.equal(task.containers.get('a')!.memoryLimitMib, undefined);
  });

  it('a Limits.Memory no machine can have (1e308, 1e13, 1e400 MiB) is not set, and is reported', () => {
    // The Managed Instances /task with `main`'s limit (96) and the task's (256) replaced:
    // 1e308 MiB × 2^20 = Infinity bytes; 1e13 MiB × 2^20 = 1.048576e19 bytes ≥ 2^62 ≈ 4.61e18.
    const fixture = loadFixture(FIXTURE_PAIRS.managedInstancesV2.task);
    const mainEntry = (task: any) => task.Containers.find((c: any) => c.Name === 'main');
    assert.equal(mainEntry(fixture).Limits.Memory, 96, 'the fixture values the test replaces');
    assert.equal(fixture.Limits.Memory, 256);
    const edited = structuredClone(fixture);
    mainEntry(edited).Limits.Memory = 1e308;
    edited.Limits.Memory = 1e13;
    const task = parseTaskMetadata(edited)!;
    assert.equal([...task.containers.values()].find((c) => c.name === 'main')!.memoryLimitMib, undefined);
    assert.equal(task.taskMemoryLimitMib, undefined);
    assert.equal([...task.containers.values()].find((c) => c.name === 'ecs-exporter')!.memoryLimitMib, 128, 'the others keep theirs');
    assert.deepEqual(task.impossibleMemoryLimits, [
      { containerName: 'main', memoryMib: 1e308 },
      { containerName: undefined, memoryMib: 1e13 },
    ]);
    // 1e400 is valid JSON and parses to Infinity (JSON.stringify cannot write it: spliced into the text).
    const infinite = JSON.stringify(fixture).replace('"Memory":96', '"Memory":1e400').replace('"Memory":256', '"Memory":-1e400');
    assert.deepEqual(parseTaskMetadata(JSON.parse(infinite))!.impossibleMemoryLimits, [
      { containerName: 'main', memoryMib: Infinity },
      { containerName: undefined, memoryMib: -Infinity },
    ]);
  });

  it('the boundary: 2^42 MiB (= 2^62 bytes) is impossible, 2^42 − 1 MiB is a limit', () => {
    const at = (mib: number) => parseTaskMetadata({ Limits: { Memory: mib }, Containers: [] })!;
    assert.equal((2 ** 42) * MIB, 2 ** 62);
    assert.equal(at(2 ** 42).taskMemoryLimitMib, undefined);
    assert.deepEqual(at(2 ** 42).impossibleMemoryLimits, [{ containerName: undefined, memoryMib: 2 ** 42 }]);
    assert.equal(at(2 ** 42 - 1).taskMemoryLimitMib, 2 ** 42 - 1); // (2^42 − 1) × 2^20 = 2^62 − 2^20 bytes < 2^62
    assert.deepEqual(at(2 ** 42 - 1).impossibleMemoryLimits, []);
    // 0, negative or not a number: simply not set, nothing to report (EC2 writes 0 for "no hard limit").
    for (const memory of [0, -5, '512', null]) {
      assert.deepEqual(parseTaskMetadata({ Limits: { Memory: memory }, Containers: [] })!.impossibleMemoryLimits, [], String(memory));
    }
  });

  it('skips a container entry without DockerId or Name, keeping the others; lists a DockerId without a usable Name', () => {
    const task = parseTaskMetadata({
      Containers: [null, { Name: 'x' }, { DockerId: 'b', Name: 'ok' }, { DockerId: 'c', Name: '' }, { DockerId: 'd', Name: 7 }, { DockerId: 'e' }],
    })!;
    assert.deepEqual([...task.containers.keys()], ['b']);
    assert.deepEqual(task.unnamedDockerIds, ['c', 'd', 'e']);
    // The pause container without a name is plumbing either way: skipped, not listed.
    assert.deepEqual(parseTaskMetadata({ Containers: [{ DockerId: 'p', Type: 'CNI_PAUSE' }] })!.unnamedDockerIds, []);
  });

  it('keeps the first container in /task order of a repeated Name or DockerId, and lists the repeated names', () => {
    const task = parseTaskMetadata({
      Containers: [
        { DockerId: 'a', Name: 'app' },
        { DockerId: 'b', Name: 'app' },
        { DockerId: 'a', Name: 'other' },
        { DockerId: 'c', Name: 'sidecar' },
      ],
    })!;
    assert.deepEqual([...task.containers.values()].map((c) => [c.dockerId, c.name]), [['a', 'app'], ['c', 'sidecar']]);
    assert.deepEqual(task.duplicateNames, [{ name: 'app', keptDockerId: 'a', droppedDockerId: 'b' }]);
  });

  it('returns undefined for something that is not a task', () => {
    assert.equal(parseTaskMetadata(null), undefined);
    assert.equal(parseTaskMetadata([]), undefined);
    assert.equal(parseTaskMetadata({ Containers: 'no' }), undefined);
  });

  it('shortClusterName keeps short names and takes the last ARN segment', () => {
    assert.equal(shortClusterName('arn:aws:ecs:us-west-2:641248382826:cluster/default'), 'default');
    assert.equal(shortClusterName('default'), 'default');
    assert.equal(shortClusterName(undefined), undefined);
  });
});
