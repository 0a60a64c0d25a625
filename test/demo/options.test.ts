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

test('--real-kernel: real time (speed 1), one export every 5 s; --oom only with it', () => {
  const o = parseDemoArgs(['--real-kernel']);
  assert.deepEqual([o.realKernel, o.oom, o.speed, o.exportEverySeconds, o.durationSeconds], [true, false, 1, 5, undefined]);
  assert.equal(parseDemoArgs(['--real-kernel', '--oom', '--duration', '30', '--export-every', '2']).oom, true);
  assert.equal(parseDemoArgs([]).realKernel, false);
  assert.throws(() => parseDemoArgs(['--oom']), /^Error: --oom needs --real-kernel/);
});

test('--real-kernel: options that choose or pace a simulation are usage errors; --duration from 10 to 3600 s', () => {
  for (const option of [['--speed', '2'], ['--scenario', 'cgroup-v2'], ['--replay', 'task.json', 'stats.json']]) {
    assert.throws(() => parseDemoArgs(['--real-kernel', ...option]), new RegExp(`^Error: ${option[0]} does not apply with --real-kernel`));
  }
  assert.throws(() => parseDemoArgs(['--real-kernel', '--duration', '9']), /--duration must be between 10 and 3600 seconds with --real-kernel, got "9"/);
  assert.throws(() => parseDemoArgs(['--real-kernel', '--duration', '3601']), /--duration must be between 10 and 3600 seconds/);
  assert.equal(parseDemoArgs(['--real-kernel', '--duration', '10']).durationSeconds, 10);
  assert.equal(parseDemoArgs(['--real-kernel', '--duration', '3600']).durationSeconds, 3600);
  assert.throws(() => parseDemoArgs(['--real-kernel', '--export-every', '0.0001']), /--export-every must be between 0\.001 and 2147483\.647 seconds \(real time\)/);
});
