// Windows containers end to end (issue 13): the real package samples a fake metadata endpoint serving the
// real Windows stats payloads, and exports through the real OTLP/HTTP exporter to a receiver on 127.0.0.1.
// Expected values are the payloads' own fields / 2^20. The /task is built (no public Windows /task exists).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  MEMORY_UNIT,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  startEcsTaskStats,
} from '../../src';
import { EC2_WINDOWS_DOCKER_ID, ec2WindowsTaskStats, FakeMetadataEndpoint, fargateWindowsDockerId, loadFixture, MIB, otlpPoints, OtlpReceiver, WINDOWS_FIXTURES, windowsTaskMetadata } from '../../tools/testing/src';

describe('Windows containers → OTLP/HTTP (integration, real servers on 127.0.0.1)', () => {
  let endpoint: FakeMetadataEndpoint;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    receiver = await new OtlpReceiver().start();
  });
  afterEach(async () => {
    await endpoint.close();
    await receiver.close();
  });

  /** Serves the pair, exports once, and returns `metric → value` of the last body, checking every point's shape. */
  async function exportOnce(task: object, stats: object, containerName: string): Promise<Record<string, number>> {
    endpoint.route('/task', { body: task });
    endpoint.route('/task/stats', { body: stats });
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    try {
      await handle.forceFlush();
    } finally {
      await handle.shutdown();
    }
    const out: Record<string, number> = {};
    for (const p of otlpPoints(receiver.bodies.at(-1))) {
      assert.equal(p.unit, MEMORY_UNIT);
      assert.deepEqual(p.attributes, { [ATTR_CONTAINER_NAME]: containerName, [ATTR_TASK_DEFINITION_FAMILY]: 'windows-family', [ATTR_CLUSTER_NAME]: 'windows-cluster' });
      out[p.metric] = p.value;
    }
    return out;
  }

  it('EC2 Windows (Docker: commitbytes, commitpeakbytes, privateworkingset only): all five gauges', async () => {
    const memory = loadFixture(WINDOWS_FIXTURES.ec2).memory_stats;
    const exported = await exportOnce(windowsTaskMetadata(EC2_WINDOWS_DOCKER_ID, 'iis', { containerMib: 512 }), ec2WindowsTaskStats(), 'iis');
    assert.deepEqual(exported, {
      [METRIC_MEMORY_USAGE]: memory.commitbytes / MIB, // 114061312 / 2^20 = 108.77734375
      [METRIC_MAX_MEMORY_USAGE]: memory.commitpeakbytes / MIB, // 139227136 / 2^20 = 132.77734375
      [METRIC_MEMORY_LIMIT]: 512, // the container's Limits.Memory (MiB)
      [METRIC_MEMORY_WORKING_SET]: memory.privateworkingset / MIB, // 85532672 / 2^20 = 81.5703125
      [METRIC_MEMORY_UTILIZED]: memory.privateworkingset / MIB,
    });
    assert.equal(exported[METRIC_MEMORY_USAGE], 108.77734375);
  });

  it('Fargate Windows (usage, max_usage, privateworkingset; no commit bytes): all five gauges', async () => {
    const id = fargateWindowsDockerId();
    const memory = loadFixture(WINDOWS_FIXTURES.fargate)[id].memory_stats;
    const exported = await exportOnce(windowsTaskMetadata(id, 'datadog-agent', { taskMib: 2048 }), loadFixture(WINDOWS_FIXTURES.fargate), 'datadog-agent');
    assert.deepEqual(exported, {
      [METRIC_MEMORY_USAGE]: memory.usage / MIB, // 210485248 / 2^20 = 200.734375
      [METRIC_MAX_MEMORY_USAGE]: memory.max_usage / MIB, // 211410944 / 2^20 = 201.6171875
      [METRIC_MEMORY_LIMIT]: 2048, // the task's Limits.Memory (MiB)
      [METRIC_MEMORY_WORKING_SET]: memory.privateworkingset / MIB, // 140673024 / 2^20 = 134.15625
      [METRIC_MEMORY_UTILIZED]: memory.privateworkingset / MIB,
    });
    assert.equal(exported[METRIC_MEMORY_WORKING_SET], 134.15625);
  });
});
