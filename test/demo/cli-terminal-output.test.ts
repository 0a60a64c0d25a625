/**
 * Issue 14, item 8: container names from a replayed payload were printed raw, so OSC/CSI escape sequences
 * retitled the terminal and cleared the screen. Every control character of such a name now reaches the
 * terminal as a visible escape (`\u001b`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { neutraliseControls } from '../../tools/demo/src/terminal';
import { loadFixture } from '../../tools/testing/src';
import { runCliWithin } from './helpers';

/** OSC 0 (set the window title), CSI 2J (clear the screen), the C1 CSI, a line feed that forges a line. */
const HOSTILE = 'evil\u001b]0;owned\u0007\u001b[2J\u009b31m\nexport #99 forged';
/** Control characters a terminal acts on; line feed is ours to write between lines. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ACTED_ON = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

test('a container name with escape sequences reaches the terminal neutralised: no control character, no forged line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-names-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const task = loadFixture('fargate-task-metadata-3containers-ecs-exporter.json');
  task.Containers.find((c: any) => c.Name === 'prometheus').Name = HOSTILE;
  const taskFile = join(dir, 'task.json');
  writeFileSync(taskFile, JSON.stringify(task));
  const statsFile = join(dir, 'stats.json');
  writeFileSync(statsFile, JSON.stringify(loadFixture('fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json')));
  const svg = join(dir, 'run.svg');

  const run = await runCliWithin(['demo', '--replay', taskFile, statsFile, '--speed', '30', '--duration', '30', '--out', svg], 60_000);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stdout, ACTED_ON, JSON.stringify(run.stdout.match(new RegExp(`.{0,40}${ACTED_ON.source}.{0,40}`))?.[0]));
  assert.doesNotMatch(run.stderr, ACTED_ON);
  const shown = 'evil\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u000aexport #99 forged';
  assert.ok(run.stdout.includes(`  ${shown}  `), 'the name is shown, escaped, in the tables');
  assert.doesNotMatch(run.stdout, /^export #99 forged/m, 'no forged line');
});

test('neutraliseControls: C0, DEL, C1, line separators and bidi controls become visible escapes; line feeds only on request', () => {
  assert.equal(neutraliseControls('a\u001b[2J\u0007\tb\u007f\u009b\u2028\u202e\nc'), 'a\\u001b[2J\\u0007\\u0009b\\u007f\\u009b\\u2028\\u202e\\u000ac');
  assert.equal(neutraliseControls('line 1\nline \u001b2\n', true), 'line 1\nline \\u001b2\n');
  assert.equal(neutraliseControls('plain-name_1 é'), 'plain-name_1 é');
});
