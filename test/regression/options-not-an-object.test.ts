/**
 * Issue 14, item 4: `startEcsTaskStats(null)` and `new EcsTaskStatsInstrumentation(null)` threw "Cannot read
 * properties of null"; a string or a number was silently ignored. Each now throws a TypeError with a stable
 * code at the call, saying what was expected; `undefined` still means "all defaults".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '../../src';
import { EcsTaskStatsInstrumentation, startEcsTaskStats } from '../../src';

/** The stable code callers match on (README § Options). */
const CODE = 'ERR_OTEL_ECS_TASK_STATS_INVALID_OPTIONS';

const NOT_OBJECTS: Array<[string, unknown, RegExp]> = [
  ['null', null, /got null/],
  ['a URL string', 'http://127.0.0.1:4318/v1/metrics', /got a string \("http:\/\/127\.0\.0\.1:4318\/v1\/metrics"\)/],
  ['a number', 42, /got the number 42/],
  ['a boolean', true, /got true/],
  ['an array', [], /got an array/],
  ['a function', () => ({}), /got a function/],
];

function assertInvalidOptions(call: () => unknown, expected: RegExp, got: RegExp): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof TypeError, `a TypeError: ${String(error)}`);
    assert.equal((error as { code?: unknown }).code, CODE);
    assert.match(error.message, expected);
    assert.match(error.message, got);
    return true;
  });
}

describe('an options argument that is not an object throws a TypeError with a code, at the call', () => {
  for (const [what, value, got] of NOT_OBJECTS) {
    it(`startEcsTaskStats(${what})`, () => {
      assertInvalidOptions(() => startEcsTaskStats(value as never), /startEcsTaskStats\(options\) takes an options object .* or nothing for all defaults/, got);
    });

    it(`new EcsTaskStatsInstrumentation(${what}) and setConfig(${what})`, () => {
      assertInvalidOptions(() => new EcsTaskStatsInstrumentation(value as never), /new EcsTaskStatsInstrumentation\(config\) takes a config object .* or nothing for all defaults/, got);
      const instrumentation = new EcsTaskStatsInstrumentation({ enabled: false });
      assertInvalidOptions(() => instrumentation.setConfig(value as never), /setConfig\(config\) takes a config object .* or nothing for all defaults/, got);
    });
  }

  it('the code is exported, for callers to match on', () => {
    assert.equal((api as Record<string, any>)['ERROR_CODES']?.INVALID_OPTIONS, CODE);
  });

  it('undefined still means all defaults', async () => {
    const instrumentation = new EcsTaskStatsInstrumentation(undefined);
    instrumentation.setConfig(undefined);
    assert.equal(instrumentation.getConfig().enabled, true);
    instrumentation.disable();
    const handle = startEcsTaskStats(undefined);
    await handle.shutdown();
  });
});
