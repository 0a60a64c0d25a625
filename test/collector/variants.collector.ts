// Every config in deploy/variants/, unchanged, run by the real collector: the package's one-call setup
// exports to it and the awsemf exporter writes to a fake CloudWatch Logs. Expected values are derived by
// hand from the fixture numbers (bytes / 2^20).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  type EcsTaskStatsHandle,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  startEcsTaskStats,
} from '../../src';
import { FIXTURE_PAIRS, MIB, repoPath, type StoredLogEvent } from '../../tools/testing/src';
import { CollectorRig, declaredMetrics, fixtureEndpoint, taskIdOf, type FixturePair } from './rig';

const VARIANTS_DIR = repoPath('deploy', 'variants');
const BRIDGE = 'collector-config.ec2-bridge.yaml';
const MORE_DIMENSIONS = 'collector-config.more-dimensions.yaml';

/** Starts the rig on a variant, exports once through `url`, and returns the EMF events of `containers`. */
async function runVariant(file: string, pair: FixturePair, url: string, containers: number): Promise<{ rig: CollectorRig; handle: EcsTaskStatsHandle; events: StoredLogEvent[] }> {
  const rig = await CollectorRig.start(repoPath('deploy', 'variants', file), await fixtureEndpoint(pair));
  const handle = startEcsTaskStats({ metadataUri: rig.endpoint.uri, url, handleSignals: false });
  try {
    await handle.forceFlush();
    await rig.cloudWatchLogs.waitFor((events) => events.length >= containers, `${containers} EMF events`);
    return { rig, handle, events: [...rig.cloudWatchLogs.events] };
  } catch (error) {
    // The caller never gets the rig to close: end the collector and the servers here.
    await handle.shutdown();
    await rig.close();
    throw error;
  }
}

/** Connects to `host:port`: 'open', or the error code. */
async function tcpProbe(host: string, port: number): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve('open');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

describe('deploy/variants/ on the real collector', () => {
  it('covers every file in deploy/variants/', () => {
    assert.deepEqual(readdirSync(VARIANTS_DIR).sort(), [BRIDGE, MORE_DIMENSIONS]);
  });

  describe(`${BRIDGE}: EC2 bridge mode, cgroup v2 fixture`, () => {
    // In bridge mode the app reaches the collector through the docker link (`aws-otel-collector`), an address of
    // the collector's own network namespace that is not 127.0.0.1. On this machine 127.0.0.2 plays that address:
    // only a listener on 0.0.0.0 answers there, as only one on 0.0.0.0 answers on a bridge address.
    const LINK_ADDRESS = '127.0.0.2';
    let rig: CollectorRig;
    let handle: EcsTaskStatsHandle | undefined;
    let events: StoredLogEvent[];

    before(async () => {
      ({ rig, handle, events } = await runVariant(BRIDGE, FIXTURE_PAIRS.ec2V2, `http://${LINK_ADDRESS}:4318/v1/metrics`, 2));
    });
    after(async () => {
      await handle?.shutdown();
      await rig?.close();
    });

    it('is reached on an address other than 127.0.0.1, and writes the hand-derived metrics', () => {
      // cgroup v2 bytes: ecs-exporter usage 65249280, inactive_file 17641472; prometheus usage 60981248,
      // inactive_file 11046912. Both have Limits.Memory 256. v2 has no max_usage: the peak is the one sample.
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
      assert.deepEqual(events.flatMap(declaredMetrics).sort(), expected.map(([c, n, v]) => `ECS/Container|${n}|ContainerName=${c}|Megabytes|${v}`).sort());
      for (const event of events) {
        assert.equal(event.logGroup, '/ecs/otel-ecs-task-stats/metrics');
        assert.equal(event.logStream, taskIdOf(FIXTURE_PAIRS.ec2V2));
      }
    });

    it('keeps health_check on 127.0.0.1 only: /healthcheck runs inside the collector\'s namespace', async () => {
      assert.equal(await tcpProbe('127.0.0.1', 13133), 'open');
      assert.equal(await tcpProbe(LINK_ADDRESS, 13133), 'ECONNREFUSED');
    });
  });

  describe('the shipped collector-config.yaml, for contrast', () => {
    it('is not reachable on that address: bridge mode needs the variant', async () => {
      const rig = await CollectorRig.start(repoPath('collector-config.yaml'), await fixtureEndpoint(FIXTURE_PAIRS.ec2V2));
      try {
        assert.equal(await tcpProbe('127.0.0.1', 4318), 'open');
        assert.equal(await tcpProbe('127.0.0.2', 4318), 'ECONNREFUSED');
      } finally {
        await rig.close();
      }
    });
  });

  describe(`${MORE_DIMENSIONS}: Fargate cgroup v1 fixture`, () => {
    let rig: CollectorRig;
    let handle: EcsTaskStatsHandle | undefined;
    let events: StoredLogEvent[];

    before(async () => {
      ({ rig, handle, events } = await runVariant(MORE_DIMENSIONS, FIXTURE_PAIRS.fargateV1, 'http://127.0.0.1:4318/v1/metrics', 2));
    });
    after(async () => {
      await handle?.shutdown();
      await rig?.close();
    });

    it('declares the three dimension sets its header lists, in one directive per event', () => {
      for (const { emf } of events) {
        assert.equal(emf?._aws.CloudWatchMetrics.length, 1);
        assert.deepEqual(
          (emf?._aws.CloudWatchMetrics[0].Dimensions as string[][]).map((set) => set.join(',')).sort(),
          [[ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME], [ATTR_CONTAINER_NAME], [ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY]].map((set) => set.join(',')),
        );
      }
    });

    it('costs what its header states: 15 metrics per container (5 per set), 30 for the two running containers', () => {
      const lines = events.flatMap(declaredMetrics);
      assert.equal(lines.length, 30);
      // The fixture's cluster (short name of the TaskARN's cluster) and family, as the package sets them.
      const cluster = 'prom-ecs-exporter-sandbox';
      const family = 'prom-ecs-exporter-sandbox-main-fargate';
      for (const container of ['prometheus', 'ecs-exporter']) {
        const mine = lines.filter((l) => l.includes(`ContainerName=${container}|`) || l.includes(`ContainerName=${container},`));
        assert.equal(mine.length, 15, container);
        for (const dims of [`ContainerName=${container}`, `ClusterName=${cluster},ContainerName=${container}`, `ContainerName=${container},TaskDefinitionFamily=${family}`]) {
          assert.equal(mine.filter((l) => l.split('|')[2] === dims).length, 5, dims);
        }
      }
      // Values are the same as with the shipped config: prometheus usage 127934464 B.
      assert.ok(lines.includes(`ECS/Container|MemoryUsage|ClusterName=${cluster},ContainerName=prometheus|Megabytes|${127934464 / MIB}`));
    });
  });
});
