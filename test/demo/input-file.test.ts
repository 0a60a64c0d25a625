import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_INPUT_FILE_BYTES, readInputFile } from '../../tools/demo/src/input-file';
import { DemoUsageError } from '../../tools/demo/src/options';

test('readInputFile: a regular file of exactly the cap is read whole; one byte more is a usage error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-input-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(MAX_INPUT_FILE_BYTES, 1024 * 1024);
  const atCap = join(dir, 'at-cap');
  writeFileSync(atCap, 'é'.repeat(MAX_INPUT_FILE_BYTES / 2)); // 2 bytes each in UTF-8
  assert.equal(readInputFile(atCap, '--replay'), 'é'.repeat(MAX_INPUT_FILE_BYTES / 2));
  const over = join(dir, 'over');
  writeFileSync(over, 'x'.repeat(MAX_INPUT_FILE_BYTES + 1));
  assert.throws(() => readInputFile(over, '--replay'), (error: unknown) => error instanceof DemoUsageError && /^--replay .*over: larger than 1048576 bytes/.test(error.message));
  assert.throws(() => readInputFile(dir, '--collector-config'), /--collector-config .*: not a regular file/);
});
