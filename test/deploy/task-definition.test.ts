// deploy/task-definition.json and deploy/iam/*.json against collector-config.yaml and each other:
// ports, health check, start order, the config secret, log groups, role ARNs, memory sizing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCollectorConfig } from '../../tools/emf-preview/src';
import { readRepoJson, repoPath } from '../../tools/testing/src';

interface Container {
  name: string; image: string; essential?: boolean; memory?: number;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  dependsOn?: { containerName: string; condition: string }[];
  logConfiguration?: { logDriver: string; options: Record<string, string> };
  portMappings?: unknown[];
}
interface TaskDefinition {
  family: string; networkMode: string; requiresCompatibilities: string[]; cpu: string; memory: string;
  taskRoleArn: string; executionRoleArn: string; containerDefinitions: Container[];
}
interface Statement { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] }
interface Policy { Version: string; Statement: Statement[] }

const task = readRepoJson<TaskDefinition>('deploy', 'task-definition.json');
const taskPolicy = readRepoJson<Policy>('deploy', 'iam', 'task-role-policy.json');
const executionPolicy = readRepoJson<Policy>('deploy', 'iam', 'execution-role-policy.json');
const { document, awsemf } = loadCollectorConfig(repoPath('collector-config.yaml'));
const cfg = (...keys: string[]): unknown =>
  keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), document);

const collector = task.containerDefinitions.find((c) => c.image.startsWith('public.ecr.aws/aws-observability/aws-otel-collector:'))!;
const app = task.containerDefinitions.find((c) => c !== collector)!;
const list = (v: string | string[]): string[] => [v].flat();
const allowed = (policy: Policy, action: string): string[] =>
  policy.Statement.filter((s) => s.Effect === 'Allow' && list(s.Action).includes(action)).flatMap((s) => list(s.Resource));

describe('task-definition.json', () => {
  it('is a Fargate awsvpc task with the app and a pinned ADOT collector', () => {
    assert.equal(task.networkMode, 'awsvpc');
    assert.deepEqual(task.requiresCompatibilities, ['FARGATE']);
    assert.equal(task.containerDefinitions.length, 2);
    assert.match(collector.image, /:v\d+\.\d+\.\d+$/, 'pin a version, not latest');
    assert.equal(collector.essential, true);
  });

  it('health-checks the collector with the image\'s own probe, which hits the port the config serves', () => {
    assert.deepEqual(collector.healthCheck?.command, ['CMD', '/healthcheck']);
    // /healthcheck (cmd/healthcheck/main.go) GETs http://127.0.0.1:13133/ unless -port is given
    assert.equal(cfg('extensions', 'health_check', 'endpoint'), '127.0.0.1:13133');
    const hc = collector.healthCheck;
    // ECS ranges: interval 5-300 s, timeout 2-60 s, retries 1-10, startPeriod 0-300 s
    assert.ok(hc.interval >= 5 && hc.interval <= 300 && hc.timeout >= 2 && hc.timeout <= 60 && hc.timeout < hc.interval);
    assert.ok(hc.retries >= 1 && hc.retries <= 10 && hc.startPeriod >= 0 && hc.startPeriod <= 300);
  });

  it('starts the app after the collector is HEALTHY (so it also stops first)', () => {
    assert.deepEqual(app.dependsOn, [{ containerName: collector.name, condition: 'HEALTHY' }]);
  });

  it('points the app at the receiver the config opens', () => {
    const url = new URL(app.environment!.find((e) => e.name === 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT')!.value);
    assert.equal(`${url.hostname}:${url.port}`, cfg('receivers', 'otlp', 'protocols', 'http', 'endpoint'));
    assert.equal(url.pathname, '/v1/metrics');
    assert.equal(collector.portMappings, undefined, 'awsvpc containers share localhost: no port mapping needed');
  });

  it('passes the config as AOT_CONFIG_CONTENT from the SSM parameter the execution role may read', () => {
    assert.equal(collector.secrets?.length, 1);
    const [secret] = collector.secrets;
    assert.equal(secret.name, 'AOT_CONFIG_CONTENT');
    assert.deepEqual(allowed(executionPolicy, 'ssm:GetParameters'), [secret.valueFrom]);
  });

  it('sizes memory_limiter under the collector\'s hard memory limit, and the containers fit the task', () => {
    const limitMib = cfg('processors', 'memory_limiter', 'limit_mib') as number;
    assert.ok(limitMib < collector.memory!, `limit_mib ${limitMib} must stay below the container's ${collector.memory} MiB`);
    assert.ok(collector.memory! + app.memory! <= Number(task.memory));
  });

  it('sends both containers\' logs to a group the execution role may write', () => {
    for (const c of task.containerDefinitions) {
      assert.equal(c.logConfiguration?.logDriver, 'awslogs');
      const group = c.logConfiguration.options['awslogs-group'];
      assert.deepEqual(allowed(executionPolicy, 'logs:PutLogEvents'), [`arn:aws:logs:<REGION>:<ACCOUNT_ID>:log-group:${group}:*`]);
    }
  });

  it('names the roles the IAM files describe', () => {
    assert.match(task.taskRoleArn, /^arn:aws:iam::<ACCOUNT_ID>:role\/[\w+=,.@-]+$/);
    assert.match(task.executionRoleArn, /^arn:aws:iam::<ACCOUNT_ID>:role\/[\w+=,.@-]+$/);
    assert.notEqual(task.taskRoleArn, task.executionRoleArn);
  });
});

describe('task role policy', () => {
  const group = awsemf.logGroupName;
  const arns = [`arn:aws:logs:<REGION>:<ACCOUNT_ID>:log-group:${group}`, `arn:aws:logs:<REGION>:<ACCOUNT_ID>:log-group:${group}:*`];

  it('allows exactly what awsemf calls, on the log group collector-config.yaml writes', () => {
    for (const action of ['logs:PutLogEvents', 'logs:CreateLogStream', 'logs:CreateLogGroup']) assert.deepEqual(allowed(taskPolicy, action), arns, action);
    assert.deepEqual(taskPolicy.Statement.flatMap((s) => list(s.Action)).sort(), ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('needs no cloudwatch:PutMetricData and no wildcard resource (EMF metrics come from the logs)', () => {
    assert.deepEqual(allowed(taskPolicy, 'cloudwatch:PutMetricData'), []);
    assert.ok(taskPolicy.Statement.every((s) => !list(s.Resource).includes('*')));
  });

  it('has no PutRetentionPolicy because the config sets no log_retention (the template sets retention)', () => {
    assert.equal(cfg('exporters', 'awsemf', 'log_retention'), undefined);
  });
});
