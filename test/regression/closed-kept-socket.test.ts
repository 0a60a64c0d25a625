/**
 * Issue 15: the agent closes a connection left idle for 5 s and says nothing beforehand (no Keep-Alive hint),
 * so a poll can be sent on a kept connection in the very moment the agent closes it. That request found a
 * closed socket and the sample was dropped as a connection failure, with a diag warning. It is sent once more,
 * on a new connection: the sample succeeds and nothing is logged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskStatsSampler } from '../../src/sampler/sampler';
import { FakeMetadataEndpoint, HostProcessWatch, loadFixture, MIB } from '../../tools/testing/src';
import { MI, statsWithMain } from '../helpers/fault-harness';
import { samplerOptions } from '../helpers/sampler-options';

describe('a poll that meets a kept connection the agent just closed', () => {
  for (const how of ['fin', 'reset'] as const) {
    it(`is no failure (${how}): the sample succeeds, with no diag warning`, async (t) => {
      const endpoint = await new FakeMetadataEndpoint().start();
      const watch = new HostProcessWatch();
      const sampler = new TaskStatsSampler(samplerOptions(endpoint.uri));
      t.after(async () => {
        sampler.stop();
        watch.dispose();
        await endpoint.close();
      });
      endpoint.route('/task', { body: loadFixture(MI.task) });
      let body = statsWithMain(60 * MIB, '2026-09-26T19:09:12Z');
      // The first request on a connection is answered; a later one on the same connection finds it closed.
      const served = new WeakSet<object>();
      endpoint.route('/task/stats', (req, res) => {
        if (served.has(req.socket)) {
          if (how === 'reset') req.socket.resetAndDestroy();
          else req.socket.destroy();
          return;
        }
        served.add(req.socket);
        const text = JSON.stringify(body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      });
      await sampler.sampleNow();
      body = statsWithMain(75 * MIB, '2026-09-26T19:09:22Z');
      await sampler.sampleNow();
      assert.equal(sampler.counters.failures, 0);
      assert.equal(sampler.current().find((c) => c.containerName === 'main')?.usageBytes, 75 * MIB);
      assert.deepEqual(watch.messages('warn'), []);
      assert.ok(endpoint.connectionsAccepted() >= 2, 'the second sample went on a new connection');
    });
  }
});
