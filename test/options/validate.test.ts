import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/errors';
import {
  assertOptionsObject,
  booleanOption,
  httpUrlOption,
  includeContainersOption,
  integerOption,
  MAX_TIMER_MILLIS,
  parseHttpUrl,
} from '../../src/options/validate';

/** Asserts that `call` throws an instance of `type` with `code`, and a message matching `says`. */
function assertRejects(call: () => unknown, type: typeof TypeError | typeof RangeError, code: string, says: RegExp): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof type, `a ${type.name}: ${String(error)}`);
    assert.equal((error as { code?: unknown }).code, code);
    assert.match((error).message, says);
    return true;
  });
}

describe('integerOption', () => {
  it('returns an integer within its bounds, bounds included, and undefined when not given', () => {
    assert.equal(integerOption('n', 1000, 1000, 2000), 1000);
    assert.equal(integerOption('n', 2000, 1000, 2000), 2000);
    assert.equal(integerOption('n', undefined, 1000, 2000), undefined);
    assert.equal(integerOption('n', 2 ** 40, 1), 2 ** 40, 'no upper bound unless one is given');
  });

  it('a number outside its bounds, or not an integer, is a RangeError that gives the bounds', () => {
    for (const value of [999, 2001, 1000.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assertRejects(() => integerOption('sampleIntervalMillis', value, 1000, 2000), RangeError, ERROR_CODES.OPTION_OUT_OF_RANGE, /^otel-ecs-task-stats: sampleIntervalMillis must be an integer from 1000 to 2000; got /);
    }
    assertRejects(() => integerOption('maxResponseBytes', 10, 1024), RangeError, ERROR_CODES.OPTION_OUT_OF_RANGE, /maxResponseBytes must be an integer >= 1024; got 10$/);
  });

  it('says when the upper bound is the longest Node.js timer (a longer timer fires after 1 ms)', () => {
    assert.equal(MAX_TIMER_MILLIS, 2147483647); // 2^31 − 1
    assertRejects(() => integerOption('exportIntervalMillis', 2 ** 31, 1, MAX_TIMER_MILLIS), RangeError, ERROR_CODES.OPTION_OUT_OF_RANGE, /from 1 to 2147483647 \(2\^31 − 1, the longest Node\.js timer\); got 2147483648/);
  });

  it('a value that is not a number is a TypeError, even a numeric string', () => {
    for (const [value, shown] of [['5000', 'a string ("5000")'], [null, 'null'], [5000n, 'the bigint 5000n'], [true, 'true']] as const) {
      assertRejects(() => integerOption('sampleIntervalMillis', value, 1000), TypeError, ERROR_CODES.INVALID_OPTION_TYPE, new RegExp(`must be a number, an integer >= 1000; got ${shown.replace(/[()]/g, '\\$&')}$`));
    }
  });
});

describe('booleanOption', () => {
  it('takes true, false or nothing; anything else, the string "false" included, is a TypeError', () => {
    assert.equal(booleanOption('enabled', true), true);
    assert.equal(booleanOption('enabled', false), false);
    assert.equal(booleanOption('enabled', undefined), undefined);
    assertRejects(() => booleanOption('enabled', 'false'), TypeError, ERROR_CODES.INVALID_OPTION_TYPE, /enabled must be true or false; got a string \("false"\)/);
    assertRejects(() => booleanOption('handleSignals', 0), TypeError, ERROR_CODES.INVALID_OPTION_TYPE, /handleSignals must be true or false; got the number 0/);
  });
});

describe('httpUrlOption and parseHttpUrl', () => {
  const BASE = { example: 'http://169.254.170.2/v4/<id>', bare: true };

  it('accepts http: and https: URLs', () => {
    assert.equal(httpUrlOption('metadataUri', 'http://169.254.170.2/v4/abc', BASE)?.href, 'http://169.254.170.2/v4/abc');
    assert.equal(httpUrlOption('url', 'https://collector:4318/v1/metrics', { example: 'x' })?.href, 'https://collector:4318/v1/metrics');
    assert.equal(httpUrlOption('url', undefined, { example: 'x' }), undefined);
  });

  it('refuses another protocol, text that is no URL, and a value that is not a string, with the example', () => {
    for (const text of ['ftp://169.254.170.2/v4/x', 'file:///etc/passwd', 'unix:/var/run/docker.sock']) {
      assertRejects(() => httpUrlOption('metadataUri', text, BASE), TypeError, ERROR_CODES.INVALID_OPTION_VALUE, /^otel-ecs-task-stats: metadataUri must use http: or https: \(such as http:\/\/169\.254\.170\.2\/v4\/<id>\)/);
    }
    assertRejects(() => httpUrlOption('metadataUri', 'not a url', BASE), TypeError, ERROR_CODES.INVALID_OPTION_VALUE, /metadataUri must be an absolute http\(s\) URL such as http:\/\/169\.254\.170\.2\/v4\/<id>; got "not a url"/);
    assertRejects(() => httpUrlOption('url', new URL('http://x/'), { example: 'http://127.0.0.1:4318/v1/metrics' }), TypeError, ERROR_CODES.INVALID_OPTION_TYPE, /url must be a string, an http\(s\) URL such as http:\/\/127\.0\.0\.1:4318\/v1\/metrics; got a object/);
  });

  it('a bare base URL carries no credentials, query or fragment; other URLs may', () => {
    assert.match(parseHttpUrl('http://user:pw@169.254.170.2/v4/x', BASE).problem ?? '', /must not contain credentials/);
    assert.match(parseHttpUrl('http://169.254.170.2/v4/x?token=1', BASE).problem ?? '', /must not contain a query or fragment/);
    assert.match(parseHttpUrl('http://169.254.170.2/v4/x#frag', BASE).problem ?? '', /must not contain a query or fragment/);
    assert.equal(parseHttpUrl('http://169.254.170.2/v4/x?token=1', { example: 'x' }).problem, undefined);
  });
});

describe('includeContainersOption', () => {
  it('a list of names, a RegExp (its g and y flags dropped) or a predicate; every container by default', () => {
    assert.equal(includeContainersOption(undefined)('anything'), true);
    const list = includeContainersOption(['app', 'worker']);
    assert.deepEqual(['app', 'worker', 'sidecar'].map(list), [true, true, false]);
    const sticky = includeContainersOption(/^app/gy);
    assert.deepEqual(['app', 'app', 'app-2', 'sidecar'].map(sticky), [true, true, true, false], 'no lastIndex carried between calls');
    assert.equal(includeContainersOption((name: string) => name.length === 3)('app'), true);
  });

  it('anything else is a TypeError naming the three forms', () => {
    for (const value of [5, 'app', ['app', 5], { app: true }]) {
      assertRejects(() => includeContainersOption(value), TypeError, ERROR_CODES.INVALID_OPTION_TYPE, /includeContainers must be an array of container names, a RegExp or a function; got /);
    }
  });
});

describe('assertOptionsObject', () => {
  it('accepts an object or undefined; anything else is a TypeError with the INVALID_OPTIONS code', () => {
    assertOptionsObject({}, 'f(options)', 'an options object');
    assertOptionsObject(undefined, 'f(options)', 'an options object');
    assertRejects(() => assertOptionsObject(null, 'f(options)', 'an options object'), TypeError, ERROR_CODES.INVALID_OPTIONS, /^otel-ecs-task-stats: f\(options\) takes an options object, or nothing for all defaults; got null$/);
  });
});
