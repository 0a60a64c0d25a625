import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LOGGED_CHARS, quoteForLog } from '../src/log-text';

describe('quoteForLog', () => {
  it('JSON-quotes, so C0 controls (ESC, CR, LF, BEL) are escaped', () => {
    assert.equal(quoteForLog('a\u001b[2J\r\n\u0007"b'), '"a\\u001b[2J\\r\\n\\u0007\\"b"');
  });

  it('also escapes what JSON leaves raw: DEL, C1 controls (CSI, OSC), line separators, bidi overrides', () => {
    assert.equal(quoteForLog('\u007f\u009b31m\u009d0;x\u2028\u2029\u202e\u2066'), '"\\u007f\\u009b31m\\u009d0;x\\u2028\\u2029\\u202e\\u2066"');
  });

  it(`cuts at ${MAX_LOGGED_CHARS} characters and marks the cut; a shorter string is whole`, () => {
    assert.equal(MAX_LOGGED_CHARS, 128);
    assert.equal(quoteForLog('x'.repeat(128)), `"${'x'.repeat(128)}"`);
    assert.equal(quoteForLog('x'.repeat(100_000)), `"${'x'.repeat(128)}…"`);
  });

  it('never splits a surrogate pair at the cut', () => {
    // 127 ASCII characters, then an emoji (two UTF-16 units) that straddles the 128th unit.
    assert.equal(quoteForLog(`${'x'.repeat(127)}😀tail`), `"${'x'.repeat(127)}…"`);
  });
});
