/**
 * onProviderShutdown against the real MeterProvider of each SDK line the package supports: sdk-metrics 2.x
 * (this repository's devDependency) and 3.x. The 3.x line cannot be a devDependency here (it needs
 * @opentelemetry/api 1.10, the 2.x line of this repository has 1.9), so its MeterProvider is loaded from the
 * application that `npm run test:compat` installs from test/compat/sdk3 (.cache/compat/sdk3); the class loads on
 * Node 20 although the line declares Node >= 22.15. Without that install the 3.x suite is skipped with a line
 * saying so, and `OTEL_ECS_TASK_STATS_REQUIRE_SDK3=1` (set by .ci/run, which runs test:compat first) turns the
 * skip into a failure.
 */
/* eslint-disable @typescript-eslint/unbound-method -- the tests wrap and compare the shutdown method itself */
import { metrics, type MeterProvider } from '@opentelemetry/api';
import { MeterProvider as MeterProvider2 } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onProviderShutdown } from '../../src/instrumentation/provider-shutdown';
import { repoPath } from '../../tools/testing/src';

type MeterProviderClass = new () => MeterProvider & { shutdown(): Promise<void> };

const SDK3_DIR = repoPath('.cache', 'compat', 'sdk3', 'node_modules', '@opentelemetry', 'sdk-metrics');

function loadSdk3(): { MeterProvider?: MeterProviderClass; version?: string; reason?: string } {
  if (!existsSync(SDK3_DIR)) return { reason: `${SDK3_DIR} is not installed (run npm run test:compat first)` };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require(SDK3_DIR) as { MeterProvider: MeterProviderClass };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require(join(SDK3_DIR, 'package.json')) as { version: string };
  return { MeterProvider: sdk.MeterProvider, version };
}

function hookSuite(line: string, MeterProvider: MeterProviderClass): void {
  it(`${line}: shutdown() is a method the hook can wrap (on the prototype, the instance extensible)`, () => {
    const provider = new MeterProvider();
    assert.equal(typeof provider.shutdown, 'function');
    assert.equal(Object.hasOwn(provider, 'shutdown'), false, 'shutdown lives on the prototype');
    assert.equal(Object.isExtensible(provider), true);
  });

  it(`${line}: the listener runs once, before the provider's own shutdown, which still runs and resolves`, async () => {
    const provider = new MeterProvider();
    const events: string[] = [];
    const own = provider.shutdown;
    // A spy around the provider's own shutdown (the prototype's), so that the order can be seen.
    provider.shutdown = function (this: unknown) {
      events.push('own shutdown');
      return own.call(this);
    };
    onProviderShutdown(provider, () => events.push('listener'));
    await provider.shutdown();
    await provider.shutdown(); // a second call: the provider's own runs (it ignores it), no listener any more
    assert.deepEqual(events, ['listener', 'own shutdown', 'own shutdown']);
  });

  it(`${line}: one wrapper per provider; every listener is called, a throwing one breaks nothing`, async () => {
    const provider = new MeterProvider();
    const calls: string[] = [];
    onProviderShutdown(provider, () => calls.push('first'));
    const wrapped = provider.shutdown;
    onProviderShutdown(provider, () => {
      throw new Error('a listener that throws');
    });
    onProviderShutdown(provider, () => calls.push('third'));
    assert.equal(provider.shutdown, wrapped, 'not wrapped again');
    await provider.shutdown();
    assert.deepEqual(calls, ['first', 'third']);
  });

  it(`${line}: a frozen or sealed provider throws, and is left as it was`, () => {
    for (const lock of [Object.freeze, Object.seal]) {
      const provider = lock(new MeterProvider());
      const original = provider.shutdown;
      assert.throws(() => onProviderShutdown(provider, () => undefined), TypeError, lock.name);
      assert.equal(provider.shutdown, original, lock.name);
    }
  });
}

describe('onProviderShutdown: following a MeterProvider shutdown (NodeSDK never calls disable())', () => {
  it('leaves a provider without shutdown() alone (the API no-op provider)', () => {
    const noop = metrics.getMeterProvider();
    onProviderShutdown(noop, () => assert.fail('never called'));
    assert.equal('shutdown' in noop, false);
  });

  describe('sdk-metrics 2.x (devDependency)', () => {
    hookSuite('2.x', MeterProvider2);
  });

  const sdk3 = loadSdk3();
  const required = process.env['OTEL_ECS_TASK_STATS_REQUIRE_SDK3'] === '1';
  describe(`sdk-metrics 3.x (${sdk3.version ?? 'not installed'}, from test:compat's application)`, () => {
    if (sdk3.MeterProvider !== undefined) {
      it('is the 3.x line', () => assert.match(sdk3.version ?? '', /^3\./));
      hookSuite('3.x', sdk3.MeterProvider);
    } else if (required) {
      it('is installed (OTEL_ECS_TASK_STATS_REQUIRE_SDK3=1)', () => assert.fail(sdk3.reason));
    } else {
      it('skipped', { skip: sdk3.reason }, () => undefined);
    }
  });
});
