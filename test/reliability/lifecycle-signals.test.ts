/**
 * "The process ends exactly as it would without the package", for every way an application can handle
 * SIGTERM and SIGINT: each case runs the same child app (apps/signal-app.ts) twice, without and with the
 * package, and compares how they end. With the package there is also exactly one final export.
 * Bounds are generous; nothing here measures speed.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, OtlpReceiver } from '../../tools/testing/src';
import { runApp, type AppRun } from './helpers/child-app';

const MI = FIXTURE_PAIRS.managedInstancesV2;
/** The app's graceful drain before `process.exit(3)`: far longer than the package's final flush here. */
const GRACE_MILLIS = 1000;
/** How long after the signal a process that has not ended counts as "still running" (it is then killed). */
const STILL_RUNNING_AFTER_MILLIS = GRACE_MILLIS + 2500;

interface Case {
  readonly handler: 'none' | 'on' | 'once' | 'prepend' | 'prepend-once';
  readonly when: 'before' | 'after';
  readonly end: 'exit' | 'never';
}

/** How a child ended: `exit code N`, `killed by SIG…`, or `still running` (then it is killed by the test). */
async function outcomeOf(app: AppRun, boundMillis: number): Promise<string> {
  const { child } = app;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    const timedOut = await Promise.race([exited.then(() => false), sleep(boundMillis).then(() => true)]);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
      return 'still running';
    }
  }
  return child.signalCode !== null ? `killed by ${child.signalCode}` : `exit code ${child.exitCode}`;
}

describe('lifecycle: on SIGTERM and SIGINT the process ends exactly as without the package (child processes)', () => {
  let endpoint: FakeMetadataEndpoint;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(MI.task) });
    endpoint.route('/task/stats', { body: loadFixture(MI.stats) });
    receiver = await new OtlpReceiver().start();
  });
  afterEach(async () => {
    await endpoint.close();
    await receiver.close();
  });

  const start = (withPackage: boolean, c: Case): AppRun =>
    runApp('signal-app', {
      ECS_CONTAINER_METADATA_URI_V4: endpoint.uri,
      OTLP_URL: receiver.url,
      APP_PACKAGE: withPackage ? '1' : '0',
      APP_HANDLER: c.handler,
      APP_HANDLER_WHEN: c.when,
      APP_HANDLER_END: c.end,
      APP_GRACE_MILLIS: String(GRACE_MILLIS),
    });

  async function endAfter(app: AppRun, signal: NodeJS.Signals): Promise<{ outcome: string; handlerRuns: number }> {
    await app.waitForLine('ready');
    app.child.kill(signal);
    const outcome = await outcomeOf(app, STILL_RUNNING_AFTER_MILLIS);
    return { outcome, handlerRuns: app.stdout.filter((line) => line === `app-handler ${signal}`).length };
  }

  const cases: Array<Case & { signal: NodeJS.Signals; expected: string }> = [
    { signal: 'SIGTERM', handler: 'none', when: 'after', end: 'exit', expected: 'killed by SIGTERM' },
    { signal: 'SIGINT', handler: 'none', when: 'after', end: 'exit', expected: 'killed by SIGINT' },
    // Issue 14: Node removes a `once` listener before calling it, so counting listeners at signal time
    // saw none, and the package killed the process in the middle of the application's graceful shutdown.
    { signal: 'SIGTERM', handler: 'once', when: 'before', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGINT', handler: 'once', when: 'before', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'once', when: 'after', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'on', when: 'before', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'on', when: 'after', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'prepend-once', when: 'after', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'prepend', when: 'after', end: 'exit', expected: 'exit code 3' },
    { signal: 'SIGTERM', handler: 'on', when: 'before', end: 'never', expected: 'still running' },
    { signal: 'SIGTERM', handler: 'once', when: 'after', end: 'never', expected: 'still running' },
  ];
  for (const c of cases) {
    const how = c.handler === 'none' ? 'no handler of the application' : `an application handler added with ${c.handler} ${c.when} startEcsTaskStats() that ${c.end === 'exit' ? 'drains, then exits 3' : 'never exits'}`;
    it(`${c.signal} with ${how}: ${c.expected}, as without the package, after one final export`, async () => {
      const [without, withPackage] = await Promise.all([endAfter(start(false, c), c.signal), endAfter(start(true, c), c.signal)]);
      assert.equal(without.outcome, c.expected, 'the app alone (the reference)');
      assert.equal(withPackage.outcome, without.outcome, 'with the package, the process ends as it does without it');
      assert.equal(withPackage.handlerRuns, without.handlerRuns, "the application's handler ran as often as without the package");
      assert.equal(receiver.bodies.length, 1, 'one final export');
    });
  }

  // A second signal while the package's final flush is still running: the application's handler, if it has
  // one for that signal now, decides; if it has none (a `once` listener is gone after the first signal),
  // the signal ends the process at once, as it would without the package.
  const secondSignalCases: Array<Case & { expected: string }> = [
    { handler: 'once', when: 'before', end: 'exit', expected: 'killed by SIGTERM' },
    { handler: 'on', when: 'before', end: 'never', expected: 'still running' },
  ];
  for (const c of secondSignalCases) {
    it(`a second SIGTERM during the final flush, with an application handler added with ${c.handler} that ${c.end === 'exit' ? 'drains, then exits 3' : 'never exits'}: ${c.expected}, as without the package`, async () => {
      receiver.responseDelayMillis = 10_000; // the final flush is still running when the second signal comes
      const twice = async (withPackage: boolean): Promise<{ outcome: string; handlerRuns: number }> => {
        const app = start(withPackage, c);
        await app.waitForLine('ready');
        app.child.kill('SIGTERM');
        await app.waitForLine('app-handler SIGTERM');
        if (withPackage) await receiver.waitFor((bodies) => bodies.length === 1);
        app.child.kill('SIGTERM');
        const outcome = await outcomeOf(app, STILL_RUNNING_AFTER_MILLIS);
        return { outcome, handlerRuns: app.stdout.filter((line) => line === 'app-handler SIGTERM').length };
      };
      const [without, withPackage] = await Promise.all([twice(false), twice(true)]);
      assert.equal(without.outcome, c.expected, 'the app alone (the reference)');
      assert.equal(withPackage.outcome, without.outcome, 'with the package, the process ends as it does without it');
      assert.equal(withPackage.handlerRuns, without.handlerRuns, "the application's handler ran as often as without the package");
      assert.equal(receiver.bodies.length, 1, 'one final export, no second flush');
    });
  }
});
