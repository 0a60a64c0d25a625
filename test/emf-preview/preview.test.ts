// The awsemf model on hand-written OTLP/JSON. Every expectation is derived from the awsemf rules
// (cited in tools/emf-preview/src) and the input numbers, not from the program's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAwsEmfConfig, previewEmf, type OtlpExportMetricsServiceRequest } from '../../tools/emf-preview/src';
import { gaugeRequest, metricLine, TIME_MS, TIME_NANOS } from './otlp-builders';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  MEMORY_UNIT,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
} from '../../src';

const ours = {
  namespace: 'ECS/Container',
  log_group_name: '/ecs/otel-ecs-task-stats/metrics',
  log_stream_name: '{TaskId}',
  dimension_rollup_option: 'NoDimensionRollup',
  metric_declarations: [{ dimensions: [[ATTR_CONTAINER_NAME]], metric_name_selectors: ['^MemoryUsage$', '^MaxMemoryUsage$'] }],
  metric_descriptors: [
    { metric_name: METRIC_MEMORY_USAGE, unit: 'Megabytes', overwrite: true },
    { metric_name: METRIC_MAX_MEMORY_USAGE, unit: 'Megabytes', overwrite: true },
  ],
};
const web = { [ATTR_CONTAINER_NAME]: 'web', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };

describe('previewEmf: one record per label set', () => {
  // Fully hand-written body, as the JS exporter posts it.
  const body: OtlpExportMetricsServiceRequest = {
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
      scopeMetrics: [{
        scope: { name: 'otel-ecs-task-stats', version: '0.1.0' },
        metrics: [
          { name: METRIC_MEMORY_USAGE, unit: MEMORY_UNIT, gauge: { dataPoints: [
            { attributes: [{ key: ATTR_CONTAINER_NAME, value: { stringValue: 'web' } }], timeUnixNano: TIME_NANOS, asDouble: 212.5 },
          ] } },
          { name: METRIC_MAX_MEMORY_USAGE, unit: MEMORY_UNIT, gauge: { dataPoints: [
            { attributes: [{ key: ATTR_CONTAINER_NAME, value: { stringValue: 'web' } }], timeUnixNano: TIME_NANOS, asDouble: 301.25 },
          ] } },
        ],
      }],
    }],
  };

  it('writes the EMF line awsemf would write: labels, OTelLib, values, Version, _aws (keys sorted as Go marshals a map)', () => {
    const preview = previewEmf(body, parseAwsEmfConfig(ours), { addResourceAttributes: { 'aws.ecs.task.id': 'abc123' } });
    assert.equal(preview.records.length, 1);
    const [record] = preview.records;
    assert.equal(record.logGroup, '/ecs/otel-ecs-task-stats/metrics');
    assert.equal(record.logStream, 'abc123');
    assert.equal(record.timestampMs, TIME_MS);
    assert.equal(
      record.message,
      '{"ContainerName":"web","MaxMemoryUsage":301.25,"MemoryUsage":212.5,"OTelLib":"otel-ecs-task-stats","Version":"1",' +
        '"_aws":{"CloudWatchMetrics":[{"Namespace":"ECS/Container","Dimensions":[["ContainerName"]],"Metrics":[' +
        '{"Name":"MemoryUsage","Unit":"Megabytes","StorageResolution":60},' +
        '{"Name":"MaxMemoryUsage","Unit":"Megabytes","StorageResolution":60}]}],"Timestamp":1767225600123}}',
    );
    assert.deepEqual(preview.metrics.map(metricLine).sort(), [
      'ECS/Container|MaxMemoryUsage|ContainerName=web|Megabytes|301.25',
      'ECS/Container|MemoryUsage|ContainerName=web|Megabytes|212.5',
    ]);
    assert.deepEqual(preview.warnings, []);
    assert.deepEqual(preview.dropped, []);
  });

  it('leaves {TaskId} as "undefined" when nothing provides aws.ecs.task.id (no resourcedetection)', () => {
    const preview = previewEmf(body, parseAwsEmfConfig(ours));
    assert.equal(preview.records[0].logStream, 'undefined');
  });

  it('falls back to a data-point label named like the placeholder when the resource lacks it', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: { ...web, TaskId: 't-9' }, value: 1 }] }]);
    assert.equal(previewEmf(request, parseAwsEmfConfig(ours)).records[0].logStream, 't-9');
  });

  it('keeps the first point\'s resolved stream for the next points of the same metric (upstream carries it over)', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [
      { attrs: { [ATTR_CONTAINER_NAME]: 'a', TaskId: 't-1' }, value: 1 },
      { attrs: { [ATTR_CONTAINER_NAME]: 'b', TaskId: 't-2' }, value: 2 },
    ] }]);
    assert.deepEqual(previewEmf(request, parseAwsEmfConfig(ours)).records.map((r) => r.logStream), ['t-1', 't-1']);
  });

  it('a point without a timestamp takes the previous point\'s, else the collector clock', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [
      { attrs: { [ATTR_CONTAINER_NAME]: 'a' }, value: 1, timeUnixNano: '0' },
      { attrs: { [ATTR_CONTAINER_NAME]: 'b' }, value: 2 },
      { attrs: { [ATTR_CONTAINER_NAME]: 'c' }, value: 3, timeUnixNano: '0' },
    ] }]);
    const records = previewEmf(request, parseAwsEmfConfig(ours), { nowMs: 42 }).records;
    assert.deepEqual(records.map((r) => r.timestampMs), [42, TIME_MS, TIME_MS]);
  });
});

describe('previewEmf: dimensions', () => {
  const two = gaugeRequest([
    { name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 100 }] },
    { name: METRIC_MAX_MEMORY_USAGE, points: [{ attrs: web, value: 150 }] },
  ]);

  it('declaration [[ContainerName]] + NoDimensionRollup: one set, the other labels only in the log', () => {
    const preview = previewEmf(two, parseAwsEmfConfig(ours));
    assert.deepEqual(preview.metrics.map(metricLine).sort(), [
      'ECS/Container|MaxMemoryUsage|ContainerName=web|Megabytes|150',
      'ECS/Container|MemoryUsage|ContainerName=web|Megabytes|100',
    ]);
    const fields = preview.records[0].fields;
    assert.equal(fields[ATTR_TASK_DEFINITION_FAMILY], 'shop');
    assert.equal(fields[ATTR_CLUSTER_NAME], 'prod');
    assert.equal(fields.OTelLib, 'otel-ecs-task-stats');
  });

  it('the default rollup adds [OTelLib] (zero set) and [ContainerName,OTelLib] etc.: one set per label', () => {
    const config = parseAwsEmfConfig({ ...ours, dimension_rollup_option: undefined });
    const preview = previewEmf(gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: { [ATTR_CONTAINER_NAME]: 'web' }, value: 7 }] }]), config);
    // labels {ContainerName, OTelLib}: declared [ContainerName] + zero [OTelLib] + single [ContainerName, OTelLib]
    assert.deepEqual(preview.metrics.map(metricLine).sort(), [
      'ECS/Container|MemoryUsage|ContainerName=web,OTelLib=otel-ecs-task-stats|Megabytes|7',
      'ECS/Container|MemoryUsage|ContainerName=web|Megabytes|7',
      'ECS/Container|MemoryUsage|OTelLib=otel-ecs-task-stats|Megabytes|7',
    ]);
  });

  it('without declarations and NoDimensionRollup, every label (with OTelLib) is one dimension set', () => {
    const config = parseAwsEmfConfig({ namespace: 'N', dimension_rollup_option: 'NoDimensionRollup' });
    const preview = previewEmf(gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 3 }] }]), config);
    assert.deepEqual(preview.metrics.map(metricLine), [
      'N|MemoryUsage|ClusterName=prod,ContainerName=web,OTelLib=otel-ecs-task-stats,TaskDefinitionFamily=shop|MiBy|3',
    ]);
    // MiBy passed through verbatim (no descriptor): CloudWatch does not know it
    assert.deepEqual(preview.warnings, ['metric MemoryUsage has unit "MiBy", which is not a CloudWatch unit']);
  });

  it('without declarations and the default rollup, one label gives [[OTelLib],[ContainerName,OTelLib]], never [ContainerName]', () => {
    const config = parseAwsEmfConfig({ namespace: 'N' });
    const preview = previewEmf(gaugeRequest([{ name: 'M', unit: 'By', points: [{ attrs: { [ATTR_CONTAINER_NAME]: 'web' }, value: 3 }] }]), config);
    assert.deepEqual(preview.records[0].fields._aws, {
      CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [['OTelLib'], [ATTR_CONTAINER_NAME, 'OTelLib']], Metrics: [{ Name: 'M', Unit: 'Bytes', StorageResolution: 60 }] }],
      Timestamp: TIME_MS,
    });
  });

  it('a data point without ContainerName stays in the log (no _aws block, no Version) and becomes no metric', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: { [ATTR_TASK_DEFINITION_FAMILY]: 'shop' }, value: 5 }] }]);
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.equal(preview.metrics.length, 0);
    assert.equal(preview.records.length, 1);
    assert.equal(preview.records[0].hasMetrics, false);
    assert.deepEqual(Object.keys(preview.records[0].fields), [METRIC_MEMORY_USAGE, 'OTelLib', ATTR_TASK_DEFINITION_FAMILY]);
    assert.deepEqual(preview.dropped.map((d) => [d.metricName, d.reason]), [[METRIC_MEMORY_USAGE, 'no declared dimension set is present in the labels']]);
  });

  it('a metric no selector matches is written to the log as a field but is not a metric', () => {
    const request = gaugeRequest([
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1 }] },
      { name: 'MemoryUsageBytes', unit: 'By', points: [{ attrs: web, value: 1048576 }] },
    ]);
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.deepEqual(preview.metrics.map((m) => m.metricName), [METRIC_MEMORY_USAGE]);
    assert.equal(preview.records[0].fields.MemoryUsageBytes, 1048576);
    assert.deepEqual(preview.dropped.map((d) => [d.metricName, d.reason]), [['MemoryUsageBytes', 'no declaration matched the name']]);
  });

  it('an unanchored selector "MemoryUsage" also selects MaxMemoryUsage', () => {
    const config = parseAwsEmfConfig({ ...ours, metric_declarations: [{ dimensions: [[ATTR_CONTAINER_NAME]], metric_name_selectors: [METRIC_MEMORY_USAGE] }] });
    assert.deepEqual(previewEmf(two, config).metrics.map((m) => m.metricName).sort(), [METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_USAGE]);
  });

  it('label_matchers restrict a declaration to matching label values (joined with ";")', () => {
    const config = parseAwsEmfConfig({
      ...ours,
      metric_declarations: [{ dimensions: [[ATTR_CONTAINER_NAME]], metric_name_selectors: ['^MemoryUsage$'], label_matchers: [{ label_names: [ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME], regex: '^prod;web$' }] }],
    });
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1 }, { attrs: { ...web, [ATTR_CONTAINER_NAME]: 'worker' }, value: 2 }] }]);
    const preview = previewEmf(request, config);
    assert.deepEqual(preview.metrics.map(metricLine), ['ECS/Container|MemoryUsage|ContainerName=web|Megabytes|1']);
    assert.deepEqual(preview.dropped.map((d) => [d.labels[ATTR_CONTAINER_NAME], d.reason]), [['worker', 'no declaration matched the labels']]);
  });
});

describe('previewEmf: units', () => {
  // No declarations: the record always has one directive (set [OTelLib]); read its unit.
  const unitOf = (unit: string, descriptor?: object): string => {
    const config = parseAwsEmfConfig({ namespace: 'N', metric_descriptors: descriptor === undefined ? [] : [descriptor] });
    const preview = previewEmf(gaugeRequest([{ name: 'M', unit, points: [{ attrs: {}, value: 1 }] }]), config);
    const aws = preview.records[0].fields._aws as { CloudWatchMetrics: { Metrics: { Unit: string }[] }[] };
    return aws.CloudWatchMetrics[0].Metrics[0].Unit;
  };

  it('maps only 1, ns, ms, s, us, By, bit; other strings pass through', () => {
    assert.deepEqual(['1', 'ns', 'ms', 's', 'us', 'By', 'bit', MEMORY_UNIT, 'MBy'].map((u) => unitOf(u)),
      ['', '', 'Milliseconds', 'Seconds', 'Microseconds', 'Bytes', 'Bits', MEMORY_UNIT, 'MBy']);
  });

  it('a descriptor applies when the SDK unit is empty or overwrite is true, by exact name', () => {
    assert.equal(unitOf(MEMORY_UNIT, { metric_name: 'M', unit: 'Megabytes', overwrite: true }), 'Megabytes');
    assert.equal(unitOf(MEMORY_UNIT, { metric_name: 'M', unit: 'Megabytes' }), MEMORY_UNIT);
    assert.equal(unitOf('', { metric_name: 'M', unit: 'Megabytes' }), 'Megabytes');
    assert.equal(unitOf(MEMORY_UNIT, { metric_name: 'm', unit: 'Megabytes', overwrite: true }), MEMORY_UNIT);
  });

  it('a descriptor with a unit CloudWatch does not know is dropped with a warning', () => {
    const config = parseAwsEmfConfig({ metric_descriptors: [{ metric_name: 'M', unit: 'MiB', overwrite: true }] });
    assert.equal(config.metricDescriptors.size, 0);
    assert.deepEqual(config.warnings, ['Dropped metric descriptor: unsupported unit "MiB" for M']);
  });
});

describe('previewEmf: grouping and filtering', () => {
  it('one record per label set even when the points sit at different indexes (regression: one container without a MemoryLimit)', () => {
    // MemoryUsage points: [a, b]; MemoryLimit points: [b]. Upstream's group key has a batchIndex, but it is the
    // index within the points derived from one data point (0 for every gauge point), not the position of the
    // point in its metric: b's MemoryUsage and MemoryLimit share one record. The model used the position and
    // predicted 3 records; the real exporter writes 2 (test/collector/differential.collector.ts).
    const config = parseAwsEmfConfig({ ...ours, metric_declarations: [{ dimensions: [[ATTR_CONTAINER_NAME]], metric_name_selectors: ['^Memory'] }] });
    const request = gaugeRequest([
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: { [ATTR_CONTAINER_NAME]: 'a' }, value: 1 }, { attrs: { [ATTR_CONTAINER_NAME]: 'b' }, value: 2 }] },
      { name: METRIC_MEMORY_LIMIT, points: [{ attrs: { [ATTR_CONTAINER_NAME]: 'b' }, value: 512 }] },
    ]);
    const preview = previewEmf(request, config);
    assert.deepEqual(preview.records.map((r) => [r.fields[ATTR_CONTAINER_NAME], r.fields[METRIC_MEMORY_USAGE], r.fields[METRIC_MEMORY_LIMIT]]).sort(), [['a', 1, undefined], ['b', 2, 512]]);
    assert.equal(preview.metrics.length, 3);
  });

  it('two points with the same labels in one metric: the first is kept, with the collector\'s warning (regression)', () => {
    // Same root cause: the model gave each point its own record (two events, values 1 and 2); awsemf groups
    // them and logs "Duplicate metric found".
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1 }, { attrs: web, value: 2 }] }]);
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.deepEqual(preview.records.map((r) => r.fields[METRIC_MEMORY_USAGE]), [1]);
    assert.match(preview.warnings[0], /^Duplicate metric found: MemoryUsage/);
  });

  it('drops NaN and NoRecordedValue points before grouping', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 'NaN' }, { attrs: { ...web, [ATTR_CONTAINER_NAME]: 'x' }, value: 4, flags: 1 }] }]);
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.equal(preview.records.length, 0);
    assert.deepEqual(preview.dropped.map((d) => d.reason), ['NaN or infinite value', 'no recorded value']);
  });

  it('keeps the first of two points with the same name and labels, with the collector\'s warning', () => {
    const request = gaugeRequest([
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1 }] },
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 2 }] },
    ]);
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.deepEqual(preview.metrics.map((m) => m.value), [1]);
    assert.equal(preview.warnings.length, 1);
    assert.match(preview.warnings[0], /^Duplicate metric found: MemoryUsage/);
  });

  it('different timestamps make different records; the timestamp is ns / 10^6, truncated', () => {
    const request = gaugeRequest([
      { name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1, timeUnixNano: '1767225600999999999' }] },
      { name: METRIC_MAX_MEMORY_USAGE, points: [{ attrs: web, value: 1, timeUnixNano: '1767225601000000000' }] },
    ]);
    assert.deepEqual(previewEmf(request, parseAwsEmfConfig(ours)).records.map((r) => r.timestampMs), [1767225600999, 1767225601000]);
  });

  it('OTelLib keeps the previous scope name when a later scope has none (upstream does not reset it)', () => {
    const request = gaugeRequest([{ name: METRIC_MEMORY_USAGE, points: [{ attrs: web, value: 1 }] }]);
    const resource = request.resourceMetrics![0];
    resource.scopeMetrics!.push({ scope: { name: '' }, metrics: [{ name: METRIC_MAX_MEMORY_USAGE, unit: MEMORY_UNIT, gauge: { dataPoints: [{ attributes: [{ key: ATTR_CONTAINER_NAME, value: { stringValue: 'web' } }], timeUnixNano: TIME_NANOS, asDouble: 2 }] } }] });
    const preview = previewEmf(request, parseAwsEmfConfig(ours));
    assert.deepEqual(preview.records.map((r) => r.fields.OTelLib), ['otel-ecs-task-stats', 'otel-ecs-task-stats']);
  });
});

describe('previewEmf: scope limits and config errors', () => {
  it('refuses metric types it does not model', () => {
    const request = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'c', sum: { dataPoints: [] } }] }] }] } as OtlpExportMetricsServiceRequest;
    assert.throws(() => previewEmf(request, parseAwsEmfConfig(ours)), /metric c is a sum; only gauges are modelled/);
  });

  it('refuses keys awsemf does not accept, as the collector would', () => {
    assert.throws(() => parseAwsEmfConfig({ ...ours, disable_metric_extraction: true }), /unknown key "disable_metric_extraction"/);
    assert.throws(() => parseAwsEmfConfig({ metric_declarations: [{ metric_name_selectors: ['a'], dimension: [['x']] }] }), /unknown key "dimension"/);
  });

  it('refuses settings outside the model', () => {
    assert.throws(() => parseAwsEmfConfig({ resource_to_telemetry_conversion: { enabled: true } }), /outside the model/);
    assert.throws(() => parseAwsEmfConfig({ version: '0' }), /outside the model/);
  });

  it('drops a declaration without selectors and a dimension set of more than 10 names, with warnings', () => {
    const eleven = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    const config = parseAwsEmfConfig({ metric_declarations: [{ dimensions: [['x']] }, { dimensions: [eleven, ['b', 'a', 'b']], metric_name_selectors: ['.'] }] });
    assert.equal(config.metricDeclarations.length, 1);
    assert.deepEqual(config.metricDeclarations[0].dimensions, [['a', 'b']]);
    assert.equal(config.warnings.length, 2);
  });

  it('an invalid selector regex is an error (the collector panics on it)', () => {
    assert.throws(() => parseAwsEmfConfig({ metric_declarations: [{ metric_name_selectors: ['(('] }] }), /not a valid regex/);
  });
});
