// deploy/cloudformation.yaml: what cfn-lint (run by .ci/run, `npm run lint:cfn`) does not check: the resources
// the kit promises, CloudWatch's metric-math rule, and agreement with the standalone files in deploy/ and
// with collector-config.yaml.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCollectorConfig, previewEmf } from '../../tools/emf-preview/src';
import { gaugeRequest } from '../emf-preview/otlp-builders';
import { evaluate, parseTemplate, toApiShape, type EvalContext } from './cfn';
import { readRepoFile, repoPath } from '../../tools/testing/src';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
} from '../../src';

// Parsed templates are loosely typed data; the assertions check their shape.
type Loose = any;

const text = readRepoFile('deploy', 'cloudformation.yaml');
const template = parseTemplate(text);
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, Loose> }>;
const collector = loadCollectorConfig(repoPath('collector-config.yaml'));

// One concrete evaluation; the standalone JSON files use <REGION>, <ACCOUNT_ID>, <APP_IMAGE> and "my-app".
const ctx: EvalContext = { region: 'eu-west-1', accountId: '123456789012', stackName: 'my-app', parameters: { AppImage: '<APP_IMAGE>' } };
const fill = (json: string): unknown => JSON.parse(json.replaceAll('<REGION>', ctx.region).replaceAll('<ACCOUNT_ID>', ctx.accountId));
const ev = (node: unknown): Loose => evaluate(template, node, ctx);

describe('cloudformation.yaml contents', () => {
  it('has the resources the kit promises', () => {
    const types = Object.values(resources).map((r) => r.Type).sort();
    assert.deepEqual(types, [
      'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition',
      'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::Logs::LogGroup', 'AWS::SSM::Parameter',
    ]);
    for (const name of [ATTR_CLUSTER_NAME, 'Subnets', 'AppImage']) assert.ok(name in (template.Parameters as object), `parameter ${name}`);
  });

  it('each alarm\'s metric math returns exactly one series (PutMetricAlarm\'s rule, which cfn-lint does not check)', () => {
    for (const id of ['AppMemoryAlarm', 'CollectorMemoryAlarm']) {
      const queries = resources[id].Properties.Metrics as Array<{ ReturnData?: boolean }>;
      assert.equal(queries.filter((q) => q.ReturnData !== false).length, 1, id);
    }
  });
});

describe('cloudformation.yaml agrees with the other files', () => {
  it('stores collector-config.yaml verbatim in a Standard SSM parameter', () => {
    const param = resources.CollectorConfigParameter.Properties;
    assert.equal(param.Value, readRepoFile('collector-config.yaml'), 'run: node deploy/sync-collector-config.mjs');
    assert.equal(param.Type, 'String');
    assert.equal(param.Tier, 'Standard');
    assert.ok(Buffer.byteLength(param.Value) <= 4096, 'Standard tier holds 4096 bytes');
  });

  it('pins one ADOT release: the CollectorImage default, task-definition.json and the config header', () => {
    const defaultImage = String((template.Parameters as Loose).CollectorImage.Default);
    const tag = /:(v\d+\.\d+\.\d+)$/.exec(defaultImage)?.[1];
    assert.equal(tag, 'v0.50.0');
    assert.match(readRepoFile('deploy', 'task-definition.json'), new RegExp(`aws-otel-collector:${tag}"`));
    assert.match(readRepoFile('collector-config.yaml').split('\n\n')[0], new RegExp(`aws-otel-collector ${tag} \\(contrib v0\\.158\\.0\\)`));
  });

  it('builds the same task definition as deploy/task-definition.json', () => {
    const fromTemplate = toApiShape(ev(resources.TaskDefinition.Properties));
    assert.deepEqual(fromTemplate, fill(readRepoFile('deploy', 'task-definition.json')));
  });

  it('grants the same policies as deploy/iam/*.json', () => {
    const policy = (role: string): unknown => ev(resources[role].Properties.Policies[0].PolicyDocument);
    assert.deepEqual(policy('TaskRole'), fill(readRepoFile('deploy', 'iam', 'task-role-policy.json')));
    assert.deepEqual(policy('ExecutionRole'), fill(readRepoFile('deploy', 'iam', 'execution-role-policy.json')));
    const trust = fill(readRepoFile('deploy', 'iam', 'ecs-tasks-trust-policy.json'));
    assert.deepEqual(ev(resources.TaskRole.Properties.AssumeRolePolicyDocument), trust);
    assert.deepEqual(ev(resources.ExecutionRole.Properties.AssumeRolePolicyDocument), trust);
    assert.equal(resources.TaskRole.Properties.ManagedPolicyArns, undefined);
  });

  it('creates the metrics log group the collector writes, and the role may write only there', () => {
    const group = collector.awsemf.logGroupName;
    assert.equal(resources.MetricsLogGroup.Properties.LogGroupName, group);
    assert.equal((template.Outputs as Loose).MetricsLogGroupName.Value, group);
  });

  for (const alarmMetric of [METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_WORKING_SET]) it(`alarms (on ${alarmMetric}) and dashboard use metrics that the collector config really produces`, () => {
    const ev = (node: unknown): Loose => evaluate(template, node, { ...ctx, parameters: { ...ctx.parameters, MemoryAlarmMetric: alarmMetric } });
    // Metrics for the two containers of the task, through the preview with the shipped config.
    const names = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET, METRIC_MEMORY_UTILIZED];
    const request = gaugeRequest(names.map((name) => ({ name, points: [{ attrs: { [ATTR_CONTAINER_NAME]: 'app' }, value: 1 }, { attrs: { [ATTR_CONTAINER_NAME]: 'aws-otel-collector' }, value: 1 }] })));
    const produced = new Set(previewEmf(request, collector.awsemf).metrics.map((m) => `${m.namespace}|${m.metricName}|${JSON.stringify(m.dimensions)}`));
    const used: string[] = [];
    for (const id of ['AppMemoryAlarm', 'CollectorMemoryAlarm']) {
      const alarm = ev(resources[id].Properties);
      for (const q of alarm.Metrics as Loose[]) {
        if (q.MetricStat === undefined) continue;
        const m = q.MetricStat.Metric;
        used.push(`${m.Namespace}|${m.MetricName}|${JSON.stringify(Object.fromEntries(m.Dimensions.map((d: Loose) => [d.Name, d.Value])))}`);
      }
      assert.equal(alarm.Metrics.find((q: Loose) => q.ReturnData === true).Expression, '100 * peak / limit');
      assert.deepEqual(alarm.Metrics.filter((q: Loose) => q.MetricStat).map((q: Loose) => q.MetricStat.Metric.MetricName), [alarmMetric, METRIC_MEMORY_LIMIT]);
    }
    const body = JSON.parse(ev(resources.Dashboard.Properties.DashboardBody));
    for (const widget of body.widgets) {
      for (const [ns, name, dim, value] of widget.properties.metrics ?? []) used.push(`${ns}|${name}|${JSON.stringify({ [dim]: value })}`);
    }
    assert.equal(used.length, 4 + 8);
    for (const metric of used) assert.ok(produced.has(metric), `${metric} is not produced by collector-config.yaml`);
  });
});
