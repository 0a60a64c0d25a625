import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoUsageError, parseDemoArgs } from '../../tools/demo/src/options';

test('defaults: the incident, 8x, one export every 20 simulated seconds', () => {
  const o = parseDemoArgs([]);
  assert.equal(o.scenario, 'incident');
  assert.equal(o.speed, 8);
  assert.equal(o.exportEverySeconds, 20);
  assert.equal(o.durationSeconds, undefined);
  assert.equal(o.replay, undefined);
});

test('--replay takes the /task file and the /task/stats file', () => {
  const o = parseDemoArgs(['--replay', 'task.json', 'stats.json', '--speed', '30']);
  assert.deepEqual(o.replay, { taskPath: 'task.json', statsPath: 'stats.json' });
  assert.throws(() => parseDemoArgs(['--replay', 'task.json']), DemoUsageError);
});

test('invalid values are usage errors that name the option', () => {
  assert.throws(() => parseDemoArgs(['--speed', '0']), /--speed must be a positive number/);
  assert.throws(() => parseDemoArgs(['--scenario', 'x']), /--scenario must be one of incident, cgroup-v2/);
  assert.throws(() => parseDemoArgs(['--collector-url', 'localhost:4318']), /--collector-url must be an http\(s\) URL/);
  assert.throws(() => parseDemoArgs(['--bogus']), DemoUsageError);
});
