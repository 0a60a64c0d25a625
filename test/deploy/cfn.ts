// CloudFormation helpers for the deploy tests: parse the YAML short-form intrinsics, check the template's
// structure against a hand-written subset of the resource specification (no maintained offline linter
// exists on npm: the JS cfn-lint is retired, and the AWS one is Python), and evaluate intrinsics for
// one set of parameter values. Test helper: not a test file.
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

type Json = unknown;
type Obj = Record<string, unknown>;

const INTRINSICS: Record<string, string> = {
  Ref: 'Ref', Sub: 'Fn::Sub', GetAtt: 'Fn::GetAtt', If: 'Fn::If', Equals: 'Fn::Equals', Not: 'Fn::Not', Join: 'Fn::Join', Select: 'Fn::Select',
};

const tags: (ScalarTag | CollectionTag)[] = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  { tag: `!${short}`, resolve: (value: string) => ({ [long]: short === 'GetAtt' ? value.split('.') : value }) },
  { tag: `!${short}`, collection: 'seq', resolve: (seq) => ({ [long]: seq.toJSON() as unknown }) },
]);

/** Parses a CloudFormation YAML template, mapping `!Ref` etc. to their JSON forms. */
export function parseTemplate(text: string): Obj {
  return parse(text, { customTags: tags }) as Obj;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Allowed (`props`) and required properties, and GetAtt attributes, per resource type (CloudFormation docs). */
interface TypeSpec { props: string[]; required: string[]; attrs: string[] }
const SPEC: Record<string, TypeSpec> = {
  'AWS::Logs::LogGroup': { props: ['LogGroupName', 'RetentionInDays', 'KmsKeyId', 'DataProtectionPolicy', 'LogGroupClass', 'Tags'], required: [], attrs: ['Arn'] },
  'AWS::IAM::Role': { props: ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'], required: ['AssumeRolePolicyDocument'], attrs: ['Arn', 'RoleId'] },
  'AWS::ECS::TaskDefinition': { props: ['ContainerDefinitions', 'Cpu', 'EphemeralStorage', 'ExecutionRoleArn', 'Family', 'IpcMode', 'Memory', 'NetworkMode', 'PidMode', 'PlacementConstraints', 'ProxyConfiguration', 'RequiresCompatibilities', 'RuntimePlatform', 'Tags', 'TaskRoleArn', 'Volumes'], required: [], attrs: ['TaskDefinitionArn'] },
  'AWS::ECS::Service': { props: ['CapacityProviderStrategy', 'Cluster', 'DeploymentConfiguration', 'DeploymentController', 'DesiredCount', 'EnableECSManagedTags', 'EnableExecuteCommand', 'HealthCheckGracePeriodSeconds', 'LaunchType', 'LoadBalancers', 'NetworkConfiguration', 'PlacementConstraints', 'PlacementStrategies', 'PlatformVersion', 'PropagateTags', 'Role', 'SchedulingStrategy', 'ServiceConnectConfiguration', 'ServiceName', 'ServiceRegistries', 'Tags', 'TaskDefinition'], required: [], attrs: ['Name', 'ServiceArn'] },
  'AWS::CloudWatch::Alarm': { props: ['ActionsEnabled', 'AlarmActions', 'AlarmDescription', 'AlarmName', 'ComparisonOperator', 'DatapointsToAlarm', 'Dimensions', 'EvaluateLowSampleCountPercentile', 'EvaluationPeriods', 'ExtendedStatistic', 'InsufficientDataActions', 'MetricName', 'Metrics', 'Namespace', 'OKActions', 'Period', 'Statistic', 'Tags', 'Threshold', 'ThresholdMetricId', 'TreatMissingData', 'Unit'], required: ['ComparisonOperator', 'EvaluationPeriods'], attrs: ['Arn'] },
  'AWS::CloudWatch::Dashboard': { props: ['DashboardBody', 'DashboardName'], required: ['DashboardBody'], attrs: [] },
  'AWS::SSM::Parameter': { props: ['AllowedPattern', 'DataType', 'Description', 'Name', 'Policies', 'Tags', 'Tier', 'Type', 'Value'], required: ['Type', 'Value'], attrs: ['Type', 'Value'] },
};

/** Nested property types we use: allowed and required keys. */
const NESTED: Record<string, { props: string[]; required: string[] }> = {
  ContainerDefinition: { props: ['Command', 'Cpu', 'DependsOn', 'EntryPoint', 'Environment', 'Essential', 'HealthCheck', 'Image', 'Links', 'LogConfiguration', 'Memory', 'MemoryReservation', 'MountPoints', 'Name', 'PortMappings', 'ReadonlyRootFilesystem', 'Secrets', 'StartTimeout', 'StopTimeout', 'User', 'WorkingDirectory'], required: ['Name', 'Image'] },
  HealthCheck: { props: ['Command', 'Interval', 'Timeout', 'Retries', 'StartPeriod'], required: ['Command'] },
  Secret: { props: ['Name', 'ValueFrom'], required: ['Name', 'ValueFrom'] },
  KeyValuePair: { props: ['Name', 'Value'], required: ['Name', 'Value'] },
  ContainerDependency: { props: ['ContainerName', 'Condition'], required: ['ContainerName', 'Condition'] },
  LogConfiguration: { props: ['LogDriver', 'Options', 'SecretOptions'], required: ['LogDriver'] },
  AwsVpcConfiguration: { props: ['AssignPublicIp', 'SecurityGroups', 'Subnets'], required: ['Subnets'] },
  MetricDataQuery: { props: ['AccountId', 'Expression', 'Id', 'Label', 'MetricStat', 'Period', 'ReturnData'], required: ['Id'] },
  MetricStat: { props: ['Metric', 'Period', 'Stat', 'Unit'], required: ['Metric', 'Period', 'Stat'] },
  Metric: { props: ['Dimensions', 'MetricName', 'Namespace'], required: [] },
  Dimension: { props: ['Name', 'Value'], required: ['Name', 'Value'] },
};

const PSEUDO = ['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix'];
const TOP_LEVEL = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs'];
const RESOURCE_KEYS = ['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy'];
const PARAM_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::EC2::[A-Za-z:]+|List<AWS::EC2::[A-Za-z:]+>|AWS::SSM::Parameter::Value<.+>)$/;

function checkKeys(where: string, value: unknown, spec: { props: string[]; required: string[] }, problems: string[]): void {
  if (!isObj(value)) return void problems.push(`${where}: not a map`);
  for (const key of Object.keys(value)) if (!spec.props.includes(key)) problems.push(`${where}: unknown property ${key}`);
  for (const key of spec.required) if (!(key in value)) problems.push(`${where}: missing required property ${key}`);
}

function eachOf(where: string, value: unknown, nested: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${where}: not a list`);
  value.forEach((item, i) => checkKeys(`${where}[${i}]`, item, NESTED[nested], problems));
}

/** Checks nested structures of the resource types whose sub-properties matter here. */
function checkNested(id: string, type: string, props: Obj, problems: string[]): void {
  if (type === 'AWS::ECS::TaskDefinition') {
    const containers = props.ContainerDefinitions;
    eachOf(`${id}.ContainerDefinitions`, containers, 'ContainerDefinition', problems);
    for (const [i, c] of (Array.isArray(containers) ? containers : []).entries()) {
      if (!isObj(c)) continue;
      const at = `${id}.ContainerDefinitions[${i}]`;
      if (c.HealthCheck !== undefined) checkKeys(`${at}.HealthCheck`, c.HealthCheck, NESTED.HealthCheck, problems);
      if (c.LogConfiguration !== undefined) checkKeys(`${at}.LogConfiguration`, c.LogConfiguration, NESTED.LogConfiguration, problems);
      eachOf(`${at}.Secrets`, c.Secrets, 'Secret', problems);
      eachOf(`${at}.Environment`, c.Environment, 'KeyValuePair', problems);
      eachOf(`${at}.DependsOn`, c.DependsOn, 'ContainerDependency', problems);
    }
  }
  if (type === 'AWS::ECS::Service' && isObj(props.NetworkConfiguration)) {
    checkKeys(`${id}.NetworkConfiguration.AwsvpcConfiguration`, props.NetworkConfiguration.AwsvpcConfiguration, NESTED.AwsVpcConfiguration, problems);
  }
  if (type === 'AWS::CloudWatch::Alarm' && props.Metrics !== undefined) {
    eachOf(`${id}.Metrics`, props.Metrics, 'MetricDataQuery', problems);
    const queries = Array.isArray(props.Metrics) ? (props.Metrics as Obj[]) : [];
    if (queries.filter((q) => q.ReturnData !== false).length !== 1) problems.push(`${id}.Metrics: exactly one query must return data`);
    for (const [i, q] of queries.entries()) {
      if (!isObj(q.MetricStat)) continue;
      checkKeys(`${id}.Metrics[${i}].MetricStat`, q.MetricStat, NESTED.MetricStat, problems);
      checkKeys(`${id}.Metrics[${i}].MetricStat.Metric`, q.MetricStat.Metric, NESTED.Metric, problems);
      eachOf(`${id}.Metrics[${i}].MetricStat.Metric.Dimensions`, (q.MetricStat.Metric as Obj | undefined)?.Dimensions, 'Dimension', problems);
    }
  }
}

/** Every Ref / GetAtt / Sub variable / condition name must point at something declared. */
function checkReferences(template: Obj, problems: string[]): void {
  const params = Object.keys((template.Parameters ?? {}));
  const resources = (template.Resources ?? {}) as Record<string, Obj>;
  const conditions = Object.keys((template.Conditions ?? {}));
  const refOk = (name: string): boolean => params.includes(name) || name in resources || PSEUDO.includes(name);
  const attOk = (res: string, attr: string): boolean => res in resources && (SPEC[resources[res].Type as string]?.attrs ?? []).includes(attr);
  const walk = (node: Json, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
    if (!isObj(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string' && !refOk(value)) problems.push(`${where}: Ref to unknown ${value}`);
      if (key === 'Fn::GetAtt' && Array.isArray(value) && !attOk(String(value[0]), String(value[1]))) problems.push(`${where}: GetAtt ${value.join('.')} does not exist`);
      if (key === 'Fn::If' && Array.isArray(value) && !conditions.includes(String(value[0]))) problems.push(`${where}: unknown condition ${String(value[0])}`);
      if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? String(value[0]) : String(value);
        const locals = Array.isArray(value) && isObj(value[1]) ? Object.keys(value[1]) : [];
        for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const [res, attr] = name.split('.');
          const ok = locals.includes(name) || (attr === undefined ? refOk(name) : attOk(res, attr));
          if (!ok) problems.push(`${where}: Sub variable \${${name}} is not declared`);
        }
      }
      walk(value, `${where}.${key}`);
    }
  };
  walk(template.Resources, 'Resources');
  walk(template.Outputs, 'Outputs');
  walk(template.Conditions, 'Conditions');
  for (const [id, r] of Object.entries(resources)) {
    const condition = JSON.stringify(r.Condition);
    if (r.Condition !== undefined && (typeof r.Condition !== 'string' || !conditions.includes(r.Condition))) problems.push(`${id}: unknown Condition ${condition}`);
    for (const dep of [r.DependsOn ?? []].flat()) if (typeof dep !== 'string' || !(dep in resources)) problems.push(`${id}: DependsOn unknown ${JSON.stringify(dep)}`);
  }
}

/** Structural problems of a template, empty when it passes. */
export function checkTemplate(template: Obj): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(template)) if (!TOP_LEVEL.includes(key)) problems.push(`unknown top-level section ${key}`);
  if (template.AWSTemplateFormatVersion !== '2010-09-09') problems.push('AWSTemplateFormatVersion must be 2010-09-09');
  for (const [name, p] of Object.entries((template.Parameters ?? {}) as Record<string, Obj>)) {
    if (!PARAM_TYPES.test(String(p.Type))) problems.push(`parameter ${name}: unknown Type ${String(p.Type)}`);
    if (Array.isArray(p.AllowedValues) && p.Default !== undefined && !p.AllowedValues.includes(p.Default)) problems.push(`parameter ${name}: Default not in AllowedValues`);
  }
  const resources = template.Resources;
  if (!isObj(resources) || Object.keys(resources).length === 0) return [...problems, 'no Resources'];
  for (const [id, r] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) problems.push(`${id}: logical id must be alphanumeric`);
    if (!isObj(r)) { problems.push(`${id}: not a map`); continue; }
    for (const key of Object.keys(r)) if (!RESOURCE_KEYS.includes(key)) problems.push(`${id}: unknown resource attribute ${key}`);
    const spec = SPEC[String(r.Type)];
    if (spec === undefined) { problems.push(`${id}: resource type ${String(r.Type)} is not in the checked spec`); continue; }
    const props = (r.Properties ?? {}) as Obj;
    checkKeys(id, props, spec, problems);
    checkNested(id, String(r.Type), props, problems);
  }
  checkReferences(template, problems);
  return problems;
}

/** Values for one evaluation: parameters (defaults filled in) and pseudo parameters. */
export interface EvalContext { parameters: Record<string, unknown>; region: string; accountId: string; stackName: string }

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Evaluates intrinsics for a context. Resource Refs and GetAtts resolve to the names and ARNs
 * CloudFormation would give (from the resources' own name properties), for the types used here.
 */
export function evaluate(template: Obj, node: Json, ctx: EvalContext): Json {
  const resources = template.Resources as Record<string, { Type: string; Properties?: Obj }>;
  const params: Record<string, unknown> = {};
  for (const [name, p] of Object.entries((template.Parameters ?? {}) as Record<string, Obj>)) params[name] = ctx.parameters[name] ?? p.Default;
  const pseudo: Record<string, unknown> = { 'AWS::Region': ctx.region, 'AWS::AccountId': ctx.accountId, 'AWS::Partition': 'aws', 'AWS::StackName': ctx.stackName, 'AWS::NoValue': NO_VALUE };
  const prop = (id: string, key: string): string => String(ev(resources[id].Properties?.[key]));
  const ref = (name: string): unknown => {
    if (name in pseudo) return pseudo[name];
    if (name in params) return params[name];
    const type = resources[name]?.Type;
    if (type === 'AWS::SSM::Parameter') return prop(name, 'Name');
    if (type === 'AWS::Logs::LogGroup') return prop(name, 'LogGroupName');
    if (type === 'AWS::IAM::Role') return prop(name, 'RoleName');
    if (type === 'AWS::ECS::TaskDefinition') return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${prop(name, 'Family')}:1`;
    if (type === 'AWS::CloudWatch::Alarm') return prop(name, 'AlarmName');
    if (type === 'AWS::CloudWatch::Dashboard') return prop(name, 'DashboardName');
    throw new Error(`evaluate: no Ref value for ${name}`);
  };
  const getAtt = (id: string, attr: string): unknown => {
    const type = resources[id]?.Type;
    if (type === 'AWS::IAM::Role' && attr === 'Arn') return `arn:aws:iam::${ctx.accountId}:role/${prop(id, 'RoleName')}`;
    if (type === 'AWS::CloudWatch::Alarm' && attr === 'Arn') return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${prop(id, 'AlarmName')}`;
    if (type === 'AWS::ECS::Service' && attr === 'Name') return prop(id, 'ServiceName');
    throw new Error(`evaluate: no GetAtt value for ${id}.${attr}`);
  };
  const condition = (name: string): boolean => ev((template.Conditions as Obj)[name]) === true;
  function ev(n: Json): Json {
    if (Array.isArray(n)) return n.map(ev).filter((v) => v !== NO_VALUE);
    if (!isObj(n)) return n;
    const keys = Object.keys(n);
    if (keys.length === 1) {
      const [key] = keys;
      const v = n[key];
      if (key === 'Ref') return ref(String(v));
      if (key === 'Fn::GetAtt') return getAtt(String((v as string[])[0]), String((v as string[])[1]));
      if (key === 'Fn::Equals') return ev((v as Json[])[0]) === ev((v as Json[])[1]);
      if (key === 'Fn::Not') return !(ev((v as Json[])[0]) as boolean);
      if (key === 'Fn::If') return condition(String((v as Json[])[0])) ? ev((v as Json[])[1]) : ev((v as Json[])[2]);
      if (key === 'Fn::Sub') {
        return String(v).replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) => {
          const [res, attr] = name.split('.');
          return String(attr === undefined ? ref(name) : getAtt(res, attr));
        });
      }
    }
    const out: Obj = {};
    for (const [k, v] of Object.entries(n)) {
      const value = ev(v);
      if (value !== NO_VALUE) out[k] = value;
    }
    return out;
  }
  return ev(node);
}

/** CloudFormation property names → ECS API JSON names (first letter lowered), recursively; map values kept. */
export function toApiShape(node: Json, keepKeysUnder: string[] = ['Options', 'options']): Json {
  if (Array.isArray(node)) return node.map((n) => toApiShape(n, keepKeysUnder));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    out[k.charAt(0).toLowerCase() + k.slice(1)] = keepKeysUnder.includes(k) ? v : toApiShape(v, keepKeysUnder);
  }
  return out;
}
