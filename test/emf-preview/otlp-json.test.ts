import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otlpPoints } from '../../tools/emf-preview/src';
import { ATTR_CONTAINER_NAME, MEMORY_UNIT, METRIC_MEMORY_USAGE } from '../../src';

const attr = (key: string, value: Record<string, unknown>): { key: string; value: Record<string, unknown> } => ({ key, value });

describe('otlpPoints: the OTLP/JSON reader', () => {
  it('flattens every point with its resource, scope, metric, unit, type and attributes, in order', () => {
    const request = {
      resourceMetrics: [
        {
          resource: { attributes: [attr('service.name', { stringValue: 'shop' })] },
          scopeMetrics: [
            {
              scope: { name: 'otel-ecs-task-stats', version: '0.1.0' },
              metrics: [
                {
                  name: METRIC_MEMORY_USAGE,
                  unit: MEMORY_UNIT,
                  gauge: { dataPoints: [{ attributes: [attr(ATTR_CONTAINER_NAME, { stringValue: 'app' })], asDouble: 122.0078125 }] },
                },
                // protojson writes an int64 as a decimal string: 2^53 + 1 stays exact as a bigint.
                { name: 'requests', sum: { dataPoints: [{ attributes: [], asInt: '9007199254740993' }] } },
                { name: 'latency', unit: 'ms', histogram: { dataPoints: [{ count: '3' }] } },
              ],
            },
          ],
        },
        { scopeMetrics: [{ metrics: [{ name: 'other', gauge: { dataPoints: [{ asInt: 7 }] } }] }] },
      ],
    };
    assert.deepEqual(otlpPoints(request), [
      { resource: { 'service.name': 'shop' }, scope: 'otel-ecs-task-stats', metric: METRIC_MEMORY_USAGE, unit: MEMORY_UNIT, type: 'gauge', attributes: { [ATTR_CONTAINER_NAME]: 'app' }, value: 122.0078125, intValue: undefined },
      { resource: { 'service.name': 'shop' }, scope: 'otel-ecs-task-stats', metric: 'requests', unit: '', type: 'sum', attributes: {}, value: 9007199254740992, intValue: 9007199254740993n },
      { resource: { 'service.name': 'shop' }, scope: 'otel-ecs-task-stats', metric: 'latency', unit: 'ms', type: 'histogram', attributes: {}, value: Number.NaN, intValue: undefined },
      { resource: {}, scope: '', metric: 'other', unit: '', type: 'gauge', attributes: {}, value: 7, intValue: 7n },
    ]);
  });

  it('writes attribute values as text: scalars as the collector does, other kinds as JSON', () => {
    const point = (value: Record<string, unknown>): string =>
      otlpPoints({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints: [{ attributes: [attr('a', value)], asDouble: 1 }] } }] }] }] })[0].attributes['a'];
    assert.equal(point({ intValue: '42' }), '42');
    assert.equal(point({ boolValue: false }), 'false');
    assert.equal(point({ doubleValue: 0.5 }), '0.5');
    assert.equal(point({}), '');
    assert.equal(point({ arrayValue: { values: [{ stringValue: 'x' }] } }), '{"arrayValue":{"values":[{"stringValue":"x"}]}}');
  });

  it('an empty request has no points; a body that is not an object is refused', () => {
    assert.deepEqual(otlpPoints({}), []);
    assert.throws(() => otlpPoints(null), TypeError);
  });
});
