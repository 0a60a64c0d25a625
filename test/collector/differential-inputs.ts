// OTLP/JSON inputs for the differential test: what the package really sends for each fixture pair, and
// hand-written requests for the awsemf rules the model claims to cover. Every timestamp is wall-clock time,
// since awsemf drops events older than 14 days. Test helper: not a test file.
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
import type { OtlpExportMetricsServiceRequest } from '../../tools/emf-preview/src';
import { FIXTURE_PAIRS, OtlpReceiver } from '../../tools/testing/src';
import { fixtureEndpoint, type FixturePair } from './rig';

/** One named input. */
export interface DifferentialInput {
  name: string;
  request: OtlpExportMetricsServiceRequest;
}

/** The body of one export of the one-call setup against a fixture pair (the first, after forceFlush). */
export async function packageBody(pair: FixturePair): Promise<OtlpExportMetricsServiceRequest> {
  const endpoint = await fixtureEndpoint(pair);
  const receiver = await new OtlpReceiver().start();
  try {
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    try {
      await handle.forceFlush();
      return receiver.bodies[0];
    } finally {
      await handle.shutdown();
    }
  } finally {
    await receiver.close();
    await endpoint.close();
  }
}

/** The name of the input made from a fixture pair's export. */
export function packageInputName(fixturePair: string): string {
  return `package export, fixture ${fixturePair}`;
}

/** The package's real bodies, one per fixture pair. */
export async function packageInputs(): Promise<DifferentialInput[]> {
  const inputs: DifferentialInput[] = [];
  for (const [name, pair] of Object.entries(FIXTURE_PAIRS)) inputs.push({ name: packageInputName(name), request: await packageBody(pair) });
  return inputs;
}

type Value = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
type Point = { attributes: Array<{ key: string; value: Value }>; timeUnixNano: string; asDouble?: number | string; asInt?: string; flags?: number };

/** Wall-clock time in ns, as the JS exporter writes it (a decimal string). */
function nowNanos(offsetMillis = 0): string {
  return ((BigInt(Date.now() + offsetMillis) * 1_000_000n) + 123_456n).toString();
}

function attrs(record: Record<string, string | number | boolean>): Point['attributes'] {
  return Object.entries(record).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
  }));
}

function point(labels: Record<string, string | number | boolean>, value: number | string, extra: Partial<Point> = {}): Point {
  return { attributes: attrs(labels), timeUnixNano: nowNanos(), asDouble: value, ...extra };
}

function gauge(name: string, unit: string, points: Point[]): Record<string, unknown> {
  return { name, unit, gauge: { dataPoints: points } };
}

function request(scopes: Array<{ scope?: string; metrics: Record<string, unknown>[] }>, resource: Record<string, string> = { 'service.name': 'unknown_service:node' }): OtlpExportMetricsServiceRequest {
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs(resource) },
        scopeMetrics: scopes.map((s) => ({ scope: s.scope === undefined ? {} : { name: s.scope, version: '1.0.0' }, metrics: s.metrics })),
      },
    ],
  } as unknown as OtlpExportMetricsServiceRequest;
}

const app = { [ATTR_CONTAINER_NAME]: 'app', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };
const prom = { [ATTR_CONTAINER_NAME]: 'prometheus', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };
const FIVE = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET, METRIC_MEMORY_UTILIZED];

/** Hand-written requests, each aimed at one rule of the model (the name says which). Built at call time. */
export function edgeInputs(): DifferentialInput[] {
  return [
    {
      name: 'the five gauges plus names and points no declaration takes',
      request: request([{
        scope: 'otel-ecs-task-stats',
        metrics: [
          ...FIVE.map((name, i) => gauge(name, MEMORY_UNIT, [point(app, 100 + i), point(prom, 50.5 + i)])),
          gauge('MemoryUsageMax', MEMORY_UNIT, [point(app, 1)]),
          gauge('process.memory.usage', 'By', [point(app, 1048576)]),
          gauge('memoryusage', MEMORY_UNIT, [point(app, 2)]),
          gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point({ [ATTR_TASK_DEFINITION_FAMILY]: 'shop' }, 3)]),
        ],
      }]),
    },
    {
      name: 'units: By, ms, s, us, ns, 1, empty, and a unit CloudWatch does not know',
      request: request([{
        scope: 'units',
        metrics: [
          gauge('Bytes', 'By', [point(app, 1)]), gauge('Latency', 'ms', [point(app, 2)]), gauge('Seconds', 's', [point(app, 3)]),
          gauge('Micro', 'us', [point(app, 4)]), gauge('Nano', 'ns', [point(app, 5)]), gauge('Ratio', '1', [point(app, 6)]),
          gauge('NoUnit', '', [point(app, 7)]), gauge('Odd', MEMORY_UNIT, [point(app, 8)]), gauge(METRIC_MEMORY_LIMIT, '', [point(app, 9)]),
        ],
      }]),
    },
    {
      name: 'aws.emf.storage_resolution=1 on one point: high resolution, and never a field',
      request: request([{ scope: 'otel-ecs-task-stats', metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point({ ...app, 'aws.emf.storage_resolution': '1' }, 12.5), point(prom, 13.5)])] }]),
    },
    {
      name: 'attribute values: <, >, & (Go escapes them), an int, a bool and a double',
      request: request([{
        scope: 'otel-ecs-task-stats',
        metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point({ [ATTR_CONTAINER_NAME]: 'a<b>&c', Shard: 7, Canary: true, Weight: 0.25 }, 1.5)])],
      }]),
    },
    {
      name: 'a duplicate point (same name, same labels) in one request, NaN, +Inf and a no-recorded-value point',
      request: request([{
        scope: 'otel-ecs-task-stats',
        metrics: [
          gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 10), point(app, 11)]),
          gauge(METRIC_MEMORY_LIMIT, MEMORY_UNIT, [point(app, 'NaN'), point(prom, 'Infinity')]),
          gauge(METRIC_MAX_MEMORY_USAGE, MEMORY_UNIT, [point(app, 0, { flags: 1 }), point(prom, 20)]),
        ],
      }]),
    },
    {
      name: 'one container lacks a MemoryLimit point, so the other\'s points sit at different indexes',
      request: request([{
        scope: 'otel-ecs-task-stats',
        metrics: [
          gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 1), point(prom, 2)]),
          gauge(METRIC_MEMORY_LIMIT, MEMORY_UNIT, [point(prom, 512)]),
        ],
      }]),
    },
    {
      name: 'integer points (asInt), large and negative',
      request: request([{ scope: 'otel-ecs-task-stats', metrics: [gauge(METRIC_MEMORY_LIMIT, MEMORY_UNIT, [{ attributes: attrs(app), timeUnixNano: nowNanos(), asInt: '4096' }, { attributes: attrs(prom), timeUnixNano: nowNanos(), asInt: '-3' }])] }]),
    },
    {
      name: 'two scopes in one resource, the second without a name',
      request: request([
        { scope: 'first-meter', metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 1)])] },
        { metrics: [gauge(METRIC_MEMORY_LIMIT, MEMORY_UNIT, [point(app, 2)])] },
      ]),
    },
    {
      name: 'two resources with different service.name',
      request: {
        resourceMetrics: [
          ...(request([{ scope: 'otel-ecs-task-stats', metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 1)])] }], { 'service.name': 'checkout' }).resourceMetrics ?? []),
          ...(request([{ scope: 'otel-ecs-task-stats', metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 2)])] }], { 'service.name': 'billing', 'service.namespace': 'shop' }).resourceMetrics ?? []),
        ],
      },
    },
    {
      name: 'points of one metric at two different times',
      request: request([{ scope: 'otel-ecs-task-stats', metrics: [gauge(METRIC_MEMORY_USAGE, MEMORY_UNIT, [point(app, 1, { timeUnixNano: nowNanos(-5_000) }), point(prom, 2)])] }]),
    },
  ];
}

/** A request whose one event tells that every event of the requests before it has arrived. */
export function sentinel(n: number): OtlpExportMetricsServiceRequest {
  return request([{ scope: 'sentinel', metrics: [gauge('DifferentialSentinel', MEMORY_UNIT, [point({ [ATTR_CONTAINER_NAME]: `differential-sentinel-${n}` }, n)])] }]);
}
