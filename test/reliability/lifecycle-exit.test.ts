/**
 * How the process ends, with the package inside it: real child processes (apps/*.ts) talking to a fake
 * metadata endpoint and a real OTLP/HTTP receiver in this process, on 127.0.0.1. Bounds are generous
 * ("it ended, within N s"), never speed assertions.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB, OtlpReceiver } from '../../tools/testing/src';
import { runApp } from './helpers/child-app';
import { closedPort, SilentCollector } from './helpers/unreachable-collector';
import { ATTR_CONTAINER_NAME, METRIC_MEMORY_USAGE } from '../../src';

const MI = FIXTURE_PAIRS.managedInstancesV2;
/** From the Managed Instances (cgroup v2) stats fixture: `main` and `ecs-exporter` memory_stats.usage. */
const MAIN_USAGE_BYTES = 99540992;
const EXPORTER_USAGE_BYTES = 38309888;
/** Generous: a child must end well within this, or the test fails (and the child is killed). */
const END_BOUND_MILLIS = 20_000;

/** `metric/ContainerName → value` over every body received. */
function received(receiver: OtlpReceiver): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of receiver.points()) out[`${p.metric}/${p.attributes[ATTR_CONTAINER_NAME]}`] = p.value;
  return out;
}

describe('lifecycle: how the process ends (child processes, real servers on 127.0.0.1)', () => {
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

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    ECS_CONTAINER_METADATA_URI_V4: endpoint.uri,
    OTLP_URL: receiver.url,
    ...extra,
  });

  it('a batch job that just ends (no shutdown()) exports once at beforeExit and exits 0 by itself', async () => {
    const app = runApp('batch-job', env());
    const exit = await app.exited(END_BOUND_MILLIS);
    assert.deepEqual([exit.code, exit.signal], [0, null]);
    // Node fires beforeExit again once the asynchronous flush has emptied the loop: the guard makes that a
    // no-op, so there is exactly one final export, and the process ends.
    assert.ok(app.stdout.includes('exit beforeExit=2'), app.stdout.join(' | '));
    assert.equal(receiver.bodies.length, 1);
    const figures = received(receiver);
    assert.equal(figures[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
    assert.equal(figures[`${METRIC_MEMORY_USAGE}/ecs-exporter`], EXPORTER_USAGE_BYTES / MIB);
  });

  it('process.exit() skips beforeExit: nothing is exported unless the app awaits shutdown() first', async () => {
    const abrupt = runApp('batch-job', env({ APP_END: 'process-exit' }));
    assert.deepEqual((await abrupt.exited(END_BOUND_MILLIS)).code, 0);
    assert.ok(abrupt.stdout.includes('exit beforeExit=0'));
    assert.equal(receiver.bodies.length, 0, 'process.exit() ends the process before any flush (documented)');

    const polite = runApp('batch-job', env({ APP_END: 'shutdown-then-exit' }));
    assert.deepEqual((await polite.exited(END_BOUND_MILLIS)).code, 0);
    assert.equal(receiver.bodies.length, 1);
    assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
  });

  it('the metadata endpoint hangs at exit: the final export carries the last good sample', async () => {
    const stats = loadFixture(MI.stats);
    let served = 0;
    endpoint.route('/task/stats', (_req, res) => {
      // The first sample is answered; from then on the endpoint is as good as gone (never answers).
      if (served++ === 0) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    });
    const app = runApp('batch-job', env({ APP_OPTIONS: JSON.stringify({ requestTimeoutMillis: 2000, shutdownTimeoutMillis: 4000 }) }));
    const exit = await app.exited(END_BOUND_MILLIS);
    assert.deepEqual([exit.code, exit.signal], [0, null]);
    assert.ok(endpoint.count('/task/stats') >= 2, `a final sample was attempted: ${endpoint.requests.join(',')} ${JSON.stringify(app.diag)} ${app.stdout.join('|')}`);
    assert.equal(receiver.bodies.length, 1);
    assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
    assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/ecs-exporter`], EXPORTER_USAGE_BYTES / MIB);
  });

  for (const collector of ['refuses connections', 'never answers'] as const) {
    it(`the collector ${collector} at exit: the job still ends by itself, within shutdownTimeoutMillis + requestTimeoutMillis + a margin`, async () => {
      // Without a bound on the exporter's own deadline, its retry timers (1 s, 1.5 s, 2.25 s, … up to 5
      // attempts) or a 30 s request timeout would keep the finished job alive long after the flush gave up.
      const silent = collector === 'never answers' ? await new SilentCollector().start() : undefined;
      try {
        const url = silent?.url ?? `http://127.0.0.1:${await closedPort()}/v1/metrics`;
        const shutdownTimeoutMillis = 1000;
        const requestTimeoutMillis = 500;
        const app = runApp('batch-job', env({ OTLP_URL: url, APP_OPTIONS: JSON.stringify({ shutdownTimeoutMillis, requestTimeoutMillis }) }));
        const exit = await app.exited(40_000);
        assert.deepEqual([exit.code, exit.signal], [0, null]);
        const bound = shutdownTimeoutMillis + requestTimeoutMillis + 3000;
        assert.ok(exit.millisAfterReady < bound, `ended ${Math.round(exit.millisAfterReady)} ms after its work, bound ${bound} ms`);
      } finally {
        await silent?.close();
      }
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} without an application handler: final export, then the process dies of ${signal} as it would without us`, async () => {
      const app = runApp('server', env());
      await app.waitForLine('ready');
      const before = receiver.bodies.length;
      app.child.kill(signal);
      const exit = await app.exited(END_BOUND_MILLIS);
      assert.deepEqual([exit.code, exit.signal], [null, signal]);
      assert.equal(receiver.bodies.length, before + 1, 'one final export');
      assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
    });

    it(`${signal} with an application handler: final export, and the application decides how it ends`, async () => {
      const app = runApp('server', env({ APP_SIGNAL_HANDLER: '1' }));
      await app.waitForLine('ready');
      app.child.kill(signal);
      const exit = await app.exited(END_BOUND_MILLIS);
      // The app's handler set exit code 42 and stopped its work; the package neither re-raised nor exited.
      assert.deepEqual([exit.code, exit.signal], [42, null]);
      // Its handler ran once: re-raising the signal would have delivered it to the app a second time.
      assert.equal(app.stdout.filter((line) => line === 'app-handler').length, 1);
      assert.equal(receiver.bodies.length, 1, 'one final export (no second one at the beforeExit that follows)');
      assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
    });
  }

  for (const first of ['SIGINT', 'SIGTERM'] as const) {
    it(`a second SIGINT during the final flush (after ${first}) ends the process at once, by SIGINT, with no second flush`, async () => {
      // The convention of npm and many CLIs: pressing Ctrl-C again means "now". Without the package the
      // first signal would already have ended the process.
      const app = runApp('server', env({ APP_OPTIONS: JSON.stringify({ sampleIntervalMillis: 3_600_000, shutdownTimeoutMillis: 8000 }) }));
      await app.waitForLine('ready');
      const samplesBefore = endpoint.count('/task/stats');
      // The collector holds its answer far longer than the bound below, so the final flush is still running
      // when the second SIGINT comes.
      receiver.responseDelayMillis = 20_000;
      app.child.kill(first);
      await receiver.waitFor((bodies) => bodies.length === 1);
      const secondAt = performance.now();
      app.child.kill('SIGINT');
      const exit = await app.exited(END_BOUND_MILLIS);
      assert.deepEqual([exit.code, exit.signal], [null, 'SIGINT']);
      const took = performance.now() - secondAt;
      assert.ok(took < 3000, `died ${Math.round(took)} ms after the second SIGINT; the flush would have gone on for 8 s`);
      assert.equal(endpoint.count('/task/stats'), samplesBefore + 1, 'one final sample');
      assert.equal(receiver.bodies.length, 1, 'one final export');
    });
  }

  it('SIGTERM while the metadata endpoint hangs (requestTimeoutMillis 20 s): the last good sample is exported, and the process dies of SIGTERM within shutdownTimeoutMillis + a margin', async () => {
    const stats = loadFixture(MI.stats);
    let served = 0;
    endpoint.route('/task/stats', (_req, res) => {
      if (served++ === 0) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    });
    const shutdownTimeoutMillis = 1000;
    const app = runApp('server', env({ APP_OPTIONS: JSON.stringify({ shutdownTimeoutMillis, requestTimeoutMillis: 20_000 }) }));
    await app.waitForLine('ready');
    const signalledAt = performance.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited(30_000);
    assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
    const took = performance.now() - signalledAt;
    // The final sample is abandoned at half the bound; the export that follows carries the last good sample.
    assert.ok(took < shutdownTimeoutMillis + 3000, `died ${Math.round(took)} ms after SIGTERM`);
    assert.equal(receiver.bodies.length, 1, 'one final export');
    assert.equal(received(receiver)[`${METRIC_MEMORY_USAGE}/main`], MAIN_USAGE_BYTES / MIB);
  });

  it('SIGTERM with a collector that never answers: the process still dies of SIGTERM within shutdownTimeoutMillis + a margin', async () => {
    const silent = await new SilentCollector().start();
    try {
      const shutdownTimeoutMillis = 1000;
      const app = runApp('server', env({ OTLP_URL: silent.url, APP_OPTIONS: JSON.stringify({ shutdownTimeoutMillis }) }));
      await app.waitForLine('ready');
      const signalledAt = performance.now();
      app.child.kill('SIGTERM');
      const exit = await app.exited(END_BOUND_MILLIS);
      assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
      const took = performance.now() - signalledAt;
      assert.ok(took < shutdownTimeoutMillis + 3000, `died ${Math.round(took)} ms after SIGTERM`);
    } finally {
      await silent.close();
    }
  });
});
