// collector-config.yaml, byte for byte, run by the real collector (the ADOT components at contrib v0.152.0):
// the package's one-call setup exports to it, and its awsemf exporter writes to a fake CloudWatch Logs on
// 127.0.0.1. The expected CloudWatch metrics are derived by hand from the fixture numbers (bytes / 2^20).
import assert from 'node:assert/strict';
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
import { loadCollectorConfig } from '../../tools/emf-preview/src';
import { CollectorProcess, FIXTURE_PAIRS, MIB, readRepoJson, repoPath, type StoredLogEvent } from '../../tools/testing/src';
import { CollectorRig, declaredMetrics, fixtureEndpoint, taskIdOf, type FixturePair } from './rig';

const CONFIG_PATH = repoPath('collector-config.yaml');
const { document, awsemf } = loadCollectorConfig(CONFIG_PATH);
const receivers = document.receivers as { otlp: { protocols: { http: { endpoint: string } } } };
/** The URL the config opens (and the package's default): http://127.0.0.1:4318/v1/metrics. */
const OTLP_URL = `http://${receivers.otlp.protocols.http.endpoint}/v1/metrics`;

type Expected = ReadonlyArray<readonly [container: string, metric: string, mib: number]>;

/** Runs the one-call setup once against the rig, and waits for the EMF events of `containers` containers. */
async function exportOnce(rig: CollectorRig, containers: number): Promise<{ handle: EcsTaskStatsHandle; events: StoredLogEvent[] }> {
  const handle = startEcsTaskStats({ metadataUri: rig.endpoint.uri, url: OTLP_URL, handleSignals: false });
  try {
    await handle.forceFlush();
    await rig.cloudWatchLogs.waitFor((events) => events.length >= containers, `${containers} EMF events`);
    return { handle, events: [...rig.cloudWatchLogs.events] };
  } catch (error) {
    await handle.shutdown(); // the caller never gets it; a live handle would be returned to the next test
    throw error;
  }
}

function describeTask(title: string, pair: FixturePair, expected: Expected): void {
  describe(title, () => {
    let rig: CollectorRig;
    let handle: EcsTaskStatsHandle | undefined;
    let events: StoredLogEvent[];
    const containers = new Set(expected.map(([c]) => c)).size;

    before(async () => {
      rig = await CollectorRig.start(CONFIG_PATH, await fixtureEndpoint(pair));
      ({ handle, events } = await exportOnce(rig, containers));
    });
    after(async () => {
      await handle?.shutdown();
      await rig?.close();
    });

    it('writes exactly the hand-derived metrics: ECS/Container, [ContainerName], Megabytes, five per container', () => {
      const lines = events.flatMap(declaredMetrics).sort();
      assert.deepEqual(lines, expected.map(([c, name, mib]) => `ECS/Container|${name}|ContainerName=${c}|Megabytes|${mib}`).sort());
    });

    it('one event per container, with exactly one directive and one dimension set, Version 1, wall-clock timestamp', () => {
      assert.equal(events.length, containers);
      for (const { emf, timestamp } of events) {
        assert.equal(emf?.Version, '1');
        assert.equal(emf?._aws.CloudWatchMetrics.length, 1);
        assert.deepEqual(emf?._aws.CloudWatchMetrics[0].Dimensions, [[ATTR_CONTAINER_NAME]]);
        assert.equal(emf?._aws.Timestamp, timestamp);
        assert.ok(Math.abs(Date.now() - timestamp) < 60_000, `timestamp ${timestamp} is not now`);
      }
    });

    it('goes to the log group the config names, stream = the task id resourcedetection/ecs read', () => {
      assert.equal(awsemf.logGroupName, '/ecs/otel-ecs-task-stats/metrics');
      for (const event of events) {
        assert.equal(event.logGroup, awsemf.logGroupName);
        assert.equal(event.logStream, taskIdOf(pair));
      }
    });

    it('creates the stream and group the way awsemf does, every PutLogEvents marked json/emf', () => {
      // A fresh account: PutLogEvents → not found → CreateLogStream → not found → CreateLogGroup → stream → put.
      assert.deepEqual(rig.cloudWatchLogs.operations().slice(0, 5), [
        'PutLogEvents→ResourceNotFoundException',
        'CreateLogStream→ResourceNotFoundException',
        'CreateLogGroup',
        'CreateLogStream',
        'PutLogEvents',
      ]);
      const puts = rig.cloudWatchLogs.calls.filter((c) => c.operation === 'PutLogEvents');
      for (const call of puts) {
        assert.equal(call.headers['x-amzn-logs-format'], 'json/emf');
        assert.equal(call.headers['content-type'], 'application/x-amz-json-1.1');
        assert.match(String(call.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTESTTEST\/\d{8}\/eu-west-1\/logs\/aws4_request/);
      }
    });

    it('keeps the other attributes as log fields only', () => {
      for (const { emf } of events) {
        assert.equal(typeof emf?.[ATTR_TASK_DEFINITION_FAMILY], 'string');
        assert.equal(typeof emf?.[ATTR_CLUSTER_NAME], 'string');
        assert.equal(emf?.OTelLib, 'otel-ecs-task-stats');
      }
    });
  });
}

describe('collector-config.yaml on the real collector → fake CloudWatch Logs', () => {
  // Fargate, cgroup v1. /task/stats memory_stats (bytes): prometheus usage 127934464, max_usage 128557056,
  // cache 85426176, total_inactive_file 52383744; ecs-exporter usage 84111360, max_usage 84238336, cache
  // 42442752, total_inactive_file 39100416. No container Limits.Memory: the task's 512 MiB. The STOPPED
  // third container has null stats: no event.
  describeTask('cgroup v1 task (Fargate fixture)', FIXTURE_PAIRS.fargateV1, [
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
  ]);

  // Managed Instances (awsvpc), cgroup v2. ecs-exporter usage 38309888, inactive_file 18046976, Limits.Memory
  // 128; main usage 99540992, inactive_file 43839488, Limits.Memory 96. v2 has no max_usage: after one sample
  // the peak is that usage. On v2 MemoryUtilized = MemoryWorkingSet = usage − inactive_file.
  describeTask('cgroup v2 task (Managed Instances fixture)', FIXTURE_PAIRS.managedInstancesV2, [
    ['ecs-exporter', METRIC_MEMORY_USAGE, 38309888 / MIB], // 36.53515625
    ['ecs-exporter', METRIC_MAX_MEMORY_USAGE, 38309888 / MIB],
    ['ecs-exporter', METRIC_MEMORY_LIMIT, 128],
    ['ecs-exporter', METRIC_MEMORY_WORKING_SET, (38309888 - 18046976) / MIB], // 20262912 B = 19.32421875
    ['ecs-exporter', METRIC_MEMORY_UTILIZED, (38309888 - 18046976) / MIB],
    ['main', METRIC_MEMORY_USAGE, 99540992 / MIB], // 94.9296875
    ['main', METRIC_MAX_MEMORY_USAGE, 99540992 / MIB],
    ['main', METRIC_MEMORY_LIMIT, 96],
    ['main', METRIC_MEMORY_WORKING_SET, (99540992 - 43839488) / MIB], // 55701504 B = 53.12109375
    ['main', METRIC_MEMORY_UTILIZED, (99540992 - 43839488) / MIB],
  ]);
});

describe('health_check on the address the task definition probes', () => {
  interface TaskDefinition { containerDefinitions: Array<{ image: string; healthCheck?: { command: string[] } }> }
  const task = readRepoJson<TaskDefinition>('deploy', 'task-definition.json');
  const sidecar = task.containerDefinitions.find((c) => c.image.includes('aws-otel-collector'))!;
  // ADOT's /healthcheck (cmd/healthcheck/main.go) GETs http://127.0.0.1:<-port, default 13133>/.
  const portFlag = sidecar.healthCheck!.command.indexOf('-port');
  const probed = `http://127.0.0.1:${portFlag < 0 ? 13133 : sidecar.healthCheck!.command[portFlag + 1]}/`;

  const probe = async (): Promise<number | string> => {
    try {
      return (await fetch(probed, { signal: AbortSignal.timeout(2_000) })).status;
    } catch (error) {
      return String((error as { cause?: { code?: string } }).cause?.code ?? error);
    }
  };

  it('the probe is the image\'s own /healthcheck, without a -port flag', () => {
    assert.deepEqual(sidecar.healthCheck!.command, ['CMD', '/healthcheck']);
  });

  it('refused before the collector runs, 200 once the pipeline is up, refused again after it stopped', async () => {
    assert.equal(await probe(), 'ECONNREFUSED');
    const rig = await CollectorRig.start(CONFIG_PATH, await fixtureEndpoint(FIXTURE_PAIRS.fargateV1));
    try {
      assert.equal(await probe(), 200);
      const body = (await (await fetch(probed)).json()) as { status?: string };
      assert.equal(body.status, 'Server available');
    } finally {
      await rig.close();
    }
    assert.equal(await probe(), 'ECONNREFUSED');
  });
});

describe('the test collector binary', () => {
  it('has the components the configs use, and says which contrib release it is', async () => {
    const { code, output } = await CollectorProcess.run(['components']);
    assert.equal(code, 0);
    for (const name of ['otlp', 'awsecscontainermetrics', 'memory_limiter', 'batch', 'resourcedetection', 'awsemf', 'otlp_http', 'debug', 'health_check']) {
      assert.match(output, new RegExp(`- name: ${name}\\n`), name);
    }
    assert.match(output, /version: 0\.152\.0/);
  });
});

describe('CloudWatch Logs where the log group or stream already exists', () => {
  const pair = FIXTURE_PAIRS.managedInstancesV2;

  /** Runs one export of the one-call setup through a rig prepared by `prepare`; returns the operations. */
  async function operationsWith(prepare: (rig: CollectorRig) => void): Promise<{ operations: string[]; events: StoredLogEvent[] }> {
    const rig = await CollectorRig.start(CONFIG_PATH, await fixtureEndpoint(pair));
    let handle: EcsTaskStatsHandle | undefined;
    try {
      prepare(rig);
      ({ handle } = await exportOnce(rig, 2));
      return { operations: rig.cloudWatchLogs.operations(), events: [...rig.cloudWatchLogs.events] };
    } finally {
      await handle?.shutdown();
      await rig.close();
    }
  }

  it('a group made beforehand (CloudFormation): only the stream is created', async () => {
    const { operations } = await operationsWith((rig) => rig.cloudWatchLogs.preCreate(awsemf.logGroupName));
    assert.deepEqual(operations.slice(0, 3), ['PutLogEvents→ResourceNotFoundException', 'CreateLogStream', 'PutLogEvents']);
  });

  it('a stream another collector created meanwhile: ResourceAlreadyExistsException counts as success, events stored once', async () => {
    const { operations, events } = await operationsWith((rig) =>
      rig.cloudWatchLogs.preCreate(awsemf.logGroupName, taskIdOf(pair)).failNext('PutLogEvents', 'ResourceNotFoundException'),
    );
    assert.deepEqual(operations.slice(0, 3), ['PutLogEvents→ResourceNotFoundException', 'CreateLogStream→ResourceAlreadyExistsException', 'PutLogEvents']);
    assert.deepEqual(events.map((e) => e.emf?.[ATTR_CONTAINER_NAME]).sort(), ['ecs-exporter', 'main']);
  });
});
