// End to end without AWS: the real package samples a fake metadata endpoint serving real fixtures, exports
// OTLP/HTTP JSON to a real receiver on 127.0.0.1, and what arrived plus a shipped collector config goes
// through the EMF preview. Expected CloudWatch metrics are derived by hand from the fixture numbers.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  startEcsTaskStats,
} from '../../src';
import { loadCollectorConfig, previewEmf, type EmfPreview } from '../../tools/emf-preview/src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB, OtlpReceiver, repoPath } from '../../tools/testing/src';
import { metricLine } from './otlp-builders';

/**
 * Runs the real package against a fake endpoint serving a fixture pair, captures the OTLP JSON body of one
 * export, and previews it with a collector config. `taskId` is what resourcedetection/ecs would set
 * (the last segment of the fixture's TaskARN).
 */
async function packageThroughPreview(pair: { task: string; stats: string }, configPath: string, taskId: string): Promise<EmfPreview> {
  const endpoint = await new FakeMetadataEndpoint().start();
  const receiver = await new OtlpReceiver().start();
  try {
    endpoint.route('/task', { body: loadFixture(pair.task) });
    endpoint.route('/task/stats', { body: loadFixture(pair.stats) });
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    let body: unknown;
    try {
      await handle.forceFlush();
      body = receiver.bodies.at(-1);
    } finally {
      await handle.shutdown();
    }
    const { awsemf } = loadCollectorConfig(configPath);
    return previewEmf(body as never, awsemf, { addResourceAttributes: { 'aws.ecs.task.id': taskId } });
  } finally {
    await endpoint.close();
    await receiver.close();
  }
}

/**
 * The preview produced exactly these CloudWatch metrics (namespace ECS/Container, dimension set
 * [ContainerName], unit Megabytes), dropped nothing and warned about nothing.
 */
function assertExactlyTheseMetrics(preview: EmfPreview, expected: ReadonlyArray<readonly [string, string, number]>): void {
  assert.deepEqual(
    preview.metrics.map(metricLine).sort(),
    expected.map(([container, name, value]) => `ECS/Container|${name}|ContainerName=${container}|Megabytes|${value}`).sort(),
  );
  assert.deepEqual(preview.dropped, []);
  assert.deepEqual(preview.warnings, []);
}

const FARGATE = FIXTURE_PAIRS.fargateV1;
// arn:aws:ecs:us-east-1:829490980523:task/prom-ecs-exporter-sandbox/bae32def0ab64f06818e8862e58f8d6d
const TASK_ID = 'bae32def0ab64f06818e8862e58f8d6d';

describe('package → OTLP/HTTP JSON → EMF preview with collector-config.yaml (Fargate cgroup v1 fixture)', () => {
  let preview: EmfPreview;

  before(async () => {
    preview = await packageThroughPreview(FARGATE, repoPath('collector-config.yaml'), TASK_ID);
  });

  it('yields exactly ten CloudWatch metrics: five per running container, [ContainerName], Megabytes', () => {
    // /task/stats memory_stats (bytes): prometheus usage 127934464, max_usage 128557056, cache 85426176,
    // total_inactive_file 52383744; ecs-exporter usage 84111360, max_usage 84238336, cache 42442752,
    // total_inactive_file 39100416. Neither container has Limits.Memory, so MemoryLimit is the task's 512 MiB.
    // The third container (nonessential) is STOPPED with null stats: no metric.
    const expected = [
      ['prometheus', METRIC_MEMORY_USAGE, 127934464 / MIB], // 122.0078125
      ['prometheus', METRIC_MAX_MEMORY_USAGE, 128557056 / MIB], // 122.6015625
      ['prometheus', METRIC_MEMORY_LIMIT, 512],
      ['prometheus', METRIC_MEMORY_WORKING_SET, (127934464 - 52383744) / MIB], // 75550720 B = 72.05078125
      ['prometheus', METRIC_MEMORY_UTILIZED, (127934464 - 85426176) / MIB], // 42508288 B = 40.5390625
      ['ecs-exporter', METRIC_MEMORY_USAGE, 84111360 / MIB], // 80.21484375
      ['ecs-exporter', METRIC_MAX_MEMORY_USAGE, 84238336 / MIB], // 80.3359375
      ['ecs-exporter', METRIC_MEMORY_LIMIT, 512],
      ['ecs-exporter', METRIC_MEMORY_WORKING_SET, (84111360 - 39100416) / MIB], // 45010944 B = 42.92578125
      ['ecs-exporter', METRIC_MEMORY_UTILIZED, (84111360 - 42442752) / MIB], // 41668608 B = 39.73828125
    ] as const;
    assertExactlyTheseMetrics(preview, expected);
  });

  it('writes one EMF event per container to /ecs/otel-ecs-task-stats/metrics, stream = task id', () => {
    assert.equal(preview.records.length, 2);
    for (const record of preview.records) {
      assert.equal(record.logGroup, '/ecs/otel-ecs-task-stats/metrics');
      assert.equal(record.logStream, TASK_ID);
      assert.equal(record.hasMetrics, true);
      // the other attributes and OTelLib are log fields only
      assert.equal(record.fields[ATTR_CLUSTER_NAME], 'prom-ecs-exporter-sandbox');
      assert.equal(record.fields[ATTR_TASK_DEFINITION_FAMILY], 'prom-ecs-exporter-sandbox-main-fargate');
      assert.equal(record.fields.OTelLib, 'otel-ecs-task-stats');
      assert.equal(record.fields.Version, '1');
    }
    assert.deepEqual(preview.records.map((r) => r.fields[ATTR_CONTAINER_NAME]).sort(), ['ecs-exporter', 'prometheus']);
  });
});

describe('package → EMF preview with the EC2 bridge variant (EC2 cgroup v2 fixture)', () => {
  it('yields the same five metrics per running container, values from the v2 payload', async () => {
    // arn:aws:ecs:us-east-1:829490980523:task/prom-ecs-exporter-sandbox/506f22fab0414cde856201584703fed9
    const preview = await packageThroughPreview(
      FIXTURE_PAIRS.ec2V2,
      repoPath('deploy', 'variants', 'collector-config.ec2-bridge.yaml'),
      '506f22fab0414cde856201584703fed9',
    );
    // cgroup v2 bytes: ecs-exporter usage 65249280, inactive_file 17641472; prometheus usage 60981248,
    // inactive_file 11046912. Both containers have Limits.Memory 256 (MiB). v2 has no max_usage: after one
    // sample the peak is that sample's usage. On v2 MemoryUtilized = MemoryWorkingSet = usage − inactive_file.
    // The third container (nonessential) is STOPPED with {} stats: no metric.
    const expected = [
      ['ecs-exporter', METRIC_MEMORY_USAGE, 65249280 / MIB], // 62.2265625
      ['ecs-exporter', METRIC_MAX_MEMORY_USAGE, 65249280 / MIB],
      ['ecs-exporter', METRIC_MEMORY_LIMIT, 256],
      ['ecs-exporter', METRIC_MEMORY_WORKING_SET, (65249280 - 17641472) / MIB], // 47607808 B = 45.40234375
      ['ecs-exporter', METRIC_MEMORY_UTILIZED, (65249280 - 17641472) / MIB],
      ['prometheus', METRIC_MEMORY_USAGE, 60981248 / MIB], // 58.15625
      ['prometheus', METRIC_MAX_MEMORY_USAGE, 60981248 / MIB],
      ['prometheus', METRIC_MEMORY_LIMIT, 256],
      ['prometheus', METRIC_MEMORY_WORKING_SET, (60981248 - 11046912) / MIB], // 49934336 B = 47.62109375
      ['prometheus', METRIC_MEMORY_UTILIZED, (60981248 - 11046912) / MIB],
    ] as const;
    assertExactlyTheseMetrics(preview, expected);
    assert.deepEqual(preview.records.map((r) => r.logStream), ['506f22fab0414cde856201584703fed9', '506f22fab0414cde856201584703fed9']);
  });
});
