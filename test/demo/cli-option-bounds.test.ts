/**
 * Issue 14, item 6: `--speed 1e300` crashed with an uncaught RangeError inside the simulated endpoint;
 * `--speed 1e-300` and `--export-every 1e308` passed validation, then failed naming an internal option
 * (`exportIntervalMillis`). Every option outside what the demo can run is a usage error (exit 2) that names
 * the CLI option and its bounds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DemoUsageError, parseDemoArgs } from '../../tools/demo/src/options';
import { runCliWithin } from './helpers';

/** The longest Node.js timer (2^31 − 1 ms): every real interval the demo derives must fit one. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

describe('demo options outside what the demo can run are usage errors naming the option and its bounds', () => {
  for (const [args, says] of [
    // 1e300 simulated seconds per real second: a 10 s refresh would last 1e-296 ms; at most 10000 (1 ms).
    [['--speed', '1e300'], /--speed must be between .* and 10000\b.*got "1e300"/],
    [['--speed', '10001'], /--speed must be between .* and 10000\b/],
    // The package samples every half refresh, 5000 ms / speed real, which must fit a timer: speed ≥ 5000 / (2^31 − 1).
    [['--speed', '1e-300'], /--speed must be between 0\.00000233 and 10000\b.*got "1e-300"/],
    [['--speed', String(5000 / MAX_TIMER_MILLIS / 2)], /--speed must be between 0\.00000233 and 10000\b/],
    // At the default speed 8: one export every E × 1000 / 8 ms real, between 1 ms and 2^31 − 1 ms.
    [['--export-every', '1e308'], /--export-every must be between 0\.008 and 17179869\.176 simulated seconds at --speed 8.*got "1e308"/],
    [['--export-every', '0.001'], /--export-every must be between 0\.008 and 17179869\.176 simulated seconds at --speed 8/],
    [['--speed', '100', '--export-every', '0.05'], /--export-every must be between 0\.1 and 214748364\.7 simulated seconds at --speed 100/],
    [['--duration', '1e12'], /--duration must be between 0 \(excluded\) and 100000\b.*got "1e12"/],
  ] as const) {
    it(`${args.join(' ')}`, () => {
      assert.throws(() => parseDemoArgs([...args]), (error: unknown) => {
        assert.ok(error instanceof DemoUsageError, String(error));
        assert.match(error.message, says);
        return true;
      });
    });
  }

  it('the bounds themselves are accepted', () => {
    assert.equal(parseDemoArgs(['--speed', '10000']).speed, 10000);
    assert.equal(parseDemoArgs(['--speed', '0.00000233', '--export-every', '1']).speed, 0.00000233);
    assert.equal(parseDemoArgs(['--export-every', '0.008']).exportEverySeconds, 0.008);
    assert.equal(parseDemoArgs(['--duration', '100000']).durationSeconds, 100000);
  });

  for (const args of [['--speed', '1e300'], ['--speed', '1e-300'], ['--export-every', '1e308']]) {
    it(`the CLI: demo ${args.join(' ')} exits 2 with the usage error, no stack trace`, async () => {
      const run = await runCliWithin(['demo', ...args, '--out', '/dev/null'], 20_000);
      assert.equal(run.timedOut, false, 'it ended by itself');
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^${args[0]} must be between `));
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(run.stderr, /exportIntervalMillis|sampleIntervalMillis/, 'no internal option named');
    });
  }
});
