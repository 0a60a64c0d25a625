/**
 * Issue 14, item 7: `--collector-config /dev/zero`, or `--replay` of a symlink to it, read without end (2 GiB
 * RSS in 15 s), and a FIFO blocked the CLI for ever. What the CLI reads is now checked to be a regular file
 * and read with a byte cap (1 MiB, the package's own cap on an endpoint response), with a usage error (exit 2)
 * naming the option otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { FIXTURE_DIR } from '../../tools/testing/src';
import { runCliWithin } from './helpers';

const TASK = join(FIXTURE_DIR, 'fargate-task-metadata-3containers-ecs-exporter.json');
const STATS = join(FIXTURE_DIR, 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json');
/** The cap: 1 MiB. */
const MAX_BYTES = 1024 * 1024;
/** Far longer than a usage error takes; the old CLI was still reading /dev/zero (or waiting on the FIFO). */
const BOUND_MILLIS = 10_000;

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-input-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A file of `bytes` bytes: a JSON object padded with spaces, valid all the same. */
function bigJsonFile(dir: string, bytes: number): string {
  const path = join(dir, 'big.json');
  writeFileSync(path, `{}${' '.repeat(bytes - 2)}`);
  return path;
}

async function assertUsageError(args: string[], says: RegExp): Promise<void> {
  const run = await runCliWithin(['demo', '--speed', '30', '--duration', '10', ...args], BOUND_MILLIS);
  assert.equal(run.timedOut, false, `it ended by itself (still running after ${BOUND_MILLIS} ms)`);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, says);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

describe('the demo reads only regular files, at most 1 MiB, for --collector-config and --replay', () => {
  it('--collector-config /dev/zero: not a regular file', async (t) => {
    await assertUsageError(['--collector-config', '/dev/zero', '--out', join(tempDir(t), 'x.svg')], /--collector-config \/dev\/zero: not a regular file/);
  });

  it('--replay of a symlink to /dev/zero: not a regular file', async (t) => {
    const dir = tempDir(t);
    const link = join(dir, 'task.json');
    symlinkSync('/dev/zero', link);
    await assertUsageError(['--replay', link, STATS, '--out', join(dir, 'x.svg')], /--replay .*task\.json: not a regular file/);
  });

  it('--replay of a FIFO: not a regular file, and no wait for a writer', async (t) => {
    const dir = tempDir(t);
    const fifo = join(dir, 'stats.json');
    execFileSync('mkfifo', [fifo]);
    await assertUsageError(['--replay', TASK, fifo, '--out', join(dir, 'x.svg')], /--replay .*stats\.json: not a regular file/);
  });

  it('a regular file of 1 MiB + 1 byte is too large, for either option', async (t) => {
    const dir = tempDir(t);
    const big = bigJsonFile(dir, MAX_BYTES + 1);
    await assertUsageError(['--collector-config', big, '--out', join(dir, 'x.svg')], /--collector-config .*big\.json: larger than 1048576 bytes/);
    await assertUsageError(['--replay', TASK, big, '--out', join(dir, 'x.svg')], /--replay .*big\.json: larger than 1048576 bytes/);
  });

  it('a file that does not exist is a usage error too', async (t) => {
    await assertUsageError(['--replay', TASK, join(tempDir(t), 'missing.json')], /--replay .*missing\.json: cannot be read \(ENOENT\)/);
  });
});
