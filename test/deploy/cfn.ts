// CloudFormation helpers for the deploy tests: parse the YAML short-form intrinsics and evaluate them for
// one set of parameter values, so the template can be compared with the standalone files. The template's
// structure (resource types, properties, references, conditions) is checked by cfn-lint, which .ci/run
// runs (`npm run lint:cfn`). Test helper: not a test file.
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
