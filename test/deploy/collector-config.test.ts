// collector-config.yaml as shipped: parsed with the collector's rules, then run through the EMF preview.
// A config edit that drops one of the package's metrics, adds a dimension set, changes a unit or
// lets another metric through fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isPair, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { loadCollectorConfig, previewEmf } from '../../tools/emf-preview/src';
import { gaugeRequest, metricLine, type MetricSpec } from '../emf-preview/otlp-builders';
import { readRepoFile, repoPath } from '../../tools/testing/src';
import { ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY, MEMORY_UNIT, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE, METRIC_MEMORY_UTILIZED, METRIC_MEMORY_WORKING_SET } from '../../src';

const CONFIG_PATH = repoPath('collector-config.yaml');
const FIVE = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET, METRIC_MEMORY_UTILIZED];

const app = { [ATTR_CONTAINER_NAME]: 'app', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };
const sidecar = { [ATTR_CONTAINER_NAME]: 'aws-otel-collector', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };
// name → [value for app, value for aws-otel-collector], in MiB
const VALUES: Record<string, [number, number]> = {
  [METRIC_MEMORY_USAGE]: [300.5, 60],
  [METRIC_MAX_MEMORY_USAGE]: [410.25, 80],
  [METRIC_MEMORY_LIMIT]: [1024, 256],
  [METRIC_MEMORY_WORKING_SET]: [250, 55],
  [METRIC_MEMORY_UTILIZED]: [280.75, 58],
};
const allFive: MetricSpec[] = FIVE.map((name) => ({
  name,
  unit: MEMORY_UNIT,
  points: [{ attrs: app, value: VALUES[name][0] }, { attrs: sidecar, value: VALUES[name][1] }],
}));

describe('collector-config.yaml through the EMF preview', () => {
  const { awsemf, awsemfExporterId } = loadCollectorConfig(CONFIG_PATH);

  it('loads with the collector rules: one awsemf exporter, only ADOT components, no warnings', () => {
    assert.equal(awsemfExporterId, 'awsemf');
    assert.deepEqual(awsemf.warnings, []);
  });

  it('turns the five gauges of two containers into exactly ten metrics: [ContainerName], Megabytes', () => {
    const preview = previewEmf(gaugeRequest(allFive), awsemf, { addResourceAttributes: { 'aws.ecs.task.id': 'task1' } });
    assert.deepEqual(preview.metrics.map(metricLine).sort(), [
      `ECS/Container|${METRIC_MAX_MEMORY_USAGE}|${ATTR_CONTAINER_NAME}=app|Megabytes|410.25`,
      `ECS/Container|${METRIC_MAX_MEMORY_USAGE}|${ATTR_CONTAINER_NAME}=aws-otel-collector|Megabytes|80`,
      `ECS/Container|${METRIC_MEMORY_LIMIT}|${ATTR_CONTAINER_NAME}=app|Megabytes|1024`,
      `ECS/Container|${METRIC_MEMORY_LIMIT}|${ATTR_CONTAINER_NAME}=aws-otel-collector|Megabytes|256`,
      `ECS/Container|${METRIC_MEMORY_USAGE}|${ATTR_CONTAINER_NAME}=app|Megabytes|300.5`,
      `ECS/Container|${METRIC_MEMORY_USAGE}|${ATTR_CONTAINER_NAME}=aws-otel-collector|Megabytes|60`,
      `ECS/Container|${METRIC_MEMORY_UTILIZED}|${ATTR_CONTAINER_NAME}=app|Megabytes|280.75`,
      `ECS/Container|${METRIC_MEMORY_UTILIZED}|${ATTR_CONTAINER_NAME}=aws-otel-collector|Megabytes|58`,
      `ECS/Container|${METRIC_MEMORY_WORKING_SET}|${ATTR_CONTAINER_NAME}=app|Megabytes|250`,
      `ECS/Container|${METRIC_MEMORY_WORKING_SET}|${ATTR_CONTAINER_NAME}=aws-otel-collector|Megabytes|55`,
    ]);
    assert.deepEqual(preview.dropped, []);
    assert.deepEqual(preview.warnings, []);
    // one EMF event per container, all five values in it, one directive with one dimension set
    assert.equal(preview.records.length, 2);
    for (const record of preview.records) {
      assert.equal(record.logGroup, '/ecs/otel-ecs-task-stats/metrics');
      assert.equal(record.logStream, 'task1');
      const aws = record.fields._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: unknown[] }[] };
      assert.deepEqual(aws.CloudWatchMetrics.map((d) => d.Dimensions), [[[ATTR_CONTAINER_NAME]]]);
      assert.equal(aws.CloudWatchMetrics[0].Metrics.length, 5);
    }
  });

  it('lets nothing else become a metric: other names, and points without ContainerName', () => {
    const others: MetricSpec[] = [
      { name: 'MemoryUsageMax', points: [{ attrs: app, value: 1 }] },
      { name: 'process.memory.usage', unit: 'By', points: [{ attrs: app, value: 1 }] },
      { name: 'memoryusage', points: [{ attrs: app, value: 1 }] },
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: { [ATTR_TASK_DEFINITION_FAMILY]: 'shop' }, value: 1 }] },
    ];
    const preview = previewEmf(gaugeRequest(others), awsemf);
    assert.deepEqual(preview.metrics, []);
    assert.deepEqual(preview.dropped.map((d) => d.metricName).sort(), [METRIC_MEMORY_USAGE, 'MemoryUsageMax', 'memoryusage', 'process.memory.usage']);
  });
});

describe('collector-config.yaml settings', () => {
  const { document } = loadCollectorConfig(CONFIG_PATH);
  const get = (...keys: string[]): unknown =>
    keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), document);

  it('receives OTLP/HTTP where the package default URL http://127.0.0.1:4318/v1/metrics points', () => {
    assert.equal(get('receivers', 'otlp', 'protocols', 'http', 'endpoint'), '127.0.0.1:4318');
    assert.equal(get('receivers', 'otlp', 'protocols', 'grpc'), undefined);
  });

  it('serves health_check on 127.0.0.1:13133, what the image\'s /healthcheck probes', () => {
    assert.equal(get('extensions', 'health_check', 'endpoint'), '127.0.0.1:13133');
    assert.deepEqual(get('service', 'extensions'), ['health_check']);
  });

  it('runs memory_limiter first, sized in MiB, then resourcedetection/ecs and batch', () => {
    assert.deepEqual(get('service', 'pipelines', 'metrics', 'processors'), ['memory_limiter', 'resourcedetection/ecs', 'batch']);
    assert.equal(get('processors', 'memory_limiter', 'limit_percentage'), undefined);
    const limit = get('processors', 'memory_limiter', 'limit_mib') as number;
    const spike = get('processors', 'memory_limiter', 'spike_limit_mib') as number;
    assert.ok(spike > 0 && spike < limit, 'spike_limit_mib must be below limit_mib');
    assert.deepEqual(get('processors', 'resourcedetection/ecs', 'detectors'), ['ecs']);
  });

  it('has anchored selectors and a Megabytes/overwrite descriptor for each of the five metrics', () => {
    const exporter = get('exporters', 'awsemf') as { metric_declarations: { metric_name_selectors: string[] }[]; metric_descriptors: unknown[] };
    assert.deepEqual(exporter.metric_declarations.flatMap((d) => d.metric_name_selectors).sort(), FIVE.map((n) => `^${n}$`).sort());
    assert.deepEqual(exporter.metric_descriptors, FIVE.map((metric_name) => ({ metric_name, unit: 'Megabytes', overwrite: true })));
  });

  it('keeps resource attributes out of the labels and names no reserved AWS/ namespace or group', () => {
    assert.equal(get('exporters', 'awsemf', 'resource_to_telemetry_conversion', 'enabled'), false);
    assert.doesNotMatch(get('exporters', 'awsemf', 'namespace') as string, /^AWS\//i);
    assert.doesNotMatch(get('exporters', 'awsemf', 'log_group_name') as string, /^\/?aws\//i);
  });

  it('fits an SSM Standard-tier parameter (4096 bytes), which the template uses', () => {
    assert.ok(Buffer.byteLength(readRepoFile('collector-config.yaml')) <= 4096);
  });

  it('has a comment on every setting it makes', () => {
    const doc = parseDocument(readRepoFile('collector-config.yaml'));
    const commented = (map: YAMLMap, pair: Pair, index: number): boolean => {
      const key = pair.key;
      const value = pair.value as { commentBefore?: string | null } | null;
      return (isScalar(key) && Boolean(key.commentBefore)) || Boolean(value?.commentBefore) || (index === 0 && Boolean(map.commentBefore));
    };
    const uncommented: string[] = [];
    const check = (path: string[]): void => {
      const node = doc.getIn(path, true);
      if (!isMap(node)) throw new Error(`${path.join('.')} is not a map`);
      node.items.forEach((pair, index) => {
        if (isPair(pair) && !commented(node, pair, index)) uncommented.push([...path, String(pair.key)].join('.'));
      });
    };
    check(['extensions', 'health_check']);
    check(['receivers', 'otlp', 'protocols', 'http']);
    check(['processors']);
    check(['processors', 'memory_limiter']);
    check(['exporters', 'awsemf']);
    // the first key of a map shares the map's comment; keys after it need their own
    assert.deepEqual(uncommented.filter((p) => !/memory_limiter\.(limit_mib|spike_limit_mib)$/.test(p)), []);
  });
});
