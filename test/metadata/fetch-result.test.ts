import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfterMillis } from '../../src/metadata/fetch-result';

const NOW = Date.parse('2026-09-26T19:09:12Z');
const ONE_HOUR = 3_600_000;

describe('parseRetryAfterMillis', () => {
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfterMillis('42', NOW), 42 * 1000);
    assert.equal(parseRetryAfterMillis('0', NOW), 0);
    assert.equal(parseRetryAfterMillis(['7', '9'], NOW), 7 * 1000);
  });

  it('reads an HTTP date relative to now', () => {
    assert.equal(parseRetryAfterMillis('Sat, 26 Sep 2026 19:10:12 GMT', NOW), 60 * 1000);
    assert.equal(parseRetryAfterMillis('Sat, 26 Sep 2026 19:09:02 GMT', NOW), 0, 'a date in the past means now');
  });

  it('caps a hostile value at one hour', () => {
    assert.equal(parseRetryAfterMillis('999999999', NOW), ONE_HOUR);
    assert.equal(parseRetryAfterMillis('Fri, 31 Dec 9999 23:59:59 GMT', NOW), ONE_HOUR);
  });

  it('is undefined when absent or unparsable, and never negative', () => {
    assert.equal(parseRetryAfterMillis(undefined, NOW), undefined);
    assert.equal(parseRetryAfterMillis('', NOW), undefined);
    assert.equal(parseRetryAfterMillis('soon', NOW), undefined);
    assert.equal(parseRetryAfterMillis('-5', NOW), 0);
  });
});
