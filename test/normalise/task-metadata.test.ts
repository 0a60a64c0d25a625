import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTaskMetadata, shortClusterName } from '../../src/normalise/task-metadata';
import { FIXTURE_PAIRS, loadFixture } from '../helpers/fixtures';

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

  it('skips a container entry without DockerId or Name, keeping the others', () => {
    const task = parseTaskMetadata({ Containers: [null, { Name: 'x' }, { DockerId: 'b', Name: 'ok' }] })!;
    assert.deepEqual([...task.containers.keys()], ['b']);
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
