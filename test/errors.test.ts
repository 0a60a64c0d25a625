import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codedError, ERROR_CODES } from '../src/errors';

describe('errors', () => {
  it('every code is distinct and in Node\'s ERR_ style, under the package\'s own prefix', () => {
    const codes = Object.values(ERROR_CODES);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^ERR_OTEL_ECS_TASK_STATS_[A-Z_]+$/);
  });

  it('codedError makes an instance of the class asked for, with the code, the cause, and the package name first', () => {
    const cause = new Error('underneath');
    const error = codedError(RangeError, ERROR_CODES.OPTION_OUT_OF_RANGE, 'x must be at most 1', { cause });
    assert.ok(error instanceof RangeError);
    assert.equal(error.code, 'ERR_OTEL_ECS_TASK_STATS_OPTION_OUT_OF_RANGE');
    assert.equal(error.message, 'otel-ecs-task-stats: x must be at most 1');
    assert.equal(error.cause, cause);
  });
});
