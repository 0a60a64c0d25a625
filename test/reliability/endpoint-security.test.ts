import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/errors';
import { resolveSamplerOptions } from '../../src/instrumentation/config';
import { FakeMetadataEndpoint, loadFixture, MIB, streamingRoute } from '../../tools/testing/src';
import { MI, startFaultHarness, statsWithMain } from '../helpers/fault-harness';

// The endpoint is trusted for nothing: the package follows no redirect, sends no credential, reads no more
// than maxResponseBytes, and accepts only an http(s) URL (field checks: payload-faults.test.ts).

const GOOD_STATS = statsWithMain(60 * MIB, '2026-09-26T19:09:12Z');

describe('metadata URI', () => {
  it('must be http: or https: (a config error throws, an environment variable is logged and left idle)', () => {
    for (const uri of ['file:///etc/passwd', 'ftp://169.254.170.2/v4/x', 'ws://169.254.170.2/v4/x', 'data:,{}', 'javascript:alert(1)', 'unix:/var/run/docker.sock']) {
      assert.throws(() => resolveSamplerOptions({ metadataUri: uri }), { code: ERROR_CODES.INVALID_OPTION_VALUE, message: /metadataUri must use http: or https:/ }, uri);
      const fromEnv = resolveSamplerOptions({}, { ECS_CONTAINER_METADATA_URI_V4: uri });
      assert.equal(fromEnv.options, undefined, uri);
      assert.match(fromEnv.problem ?? '', /ECS_CONTAINER_METADATA_URI_V4 must use http: or https:/);
    }
    for (const uri of ['http://169.254.170.2/v4/abc', 'https://169.254.170.2/v4/abc']) {
      assert.equal(resolveSamplerOptions({ metadataUri: uri }).options?.metadataUri.href, uri);
    }
  });

  it('carries no credentials, query or fragment', () => {
    const code = ERROR_CODES.INVALID_OPTION_VALUE;
    assert.throws(() => resolveSamplerOptions({ metadataUri: 'http://user:secret@169.254.170.2/v4/x' }), { code, message: /must not contain credentials/ });
    assert.throws(() => resolveSamplerOptions({ metadataUri: 'http://169.254.170.2/v4/x?token=1' }), { code, message: /must not contain a query/ });
    assert.throws(() => resolveSamplerOptions({ metadataUri: 'http://169.254.170.2/v4/x#frag' }), { code, message: /must not contain a query or fragment/ });
  });
});

describe('redirects are never followed', () => {
  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} from /task/stats to another server on 127.0.0.1: that server gets nothing`, async (t) => {
      const elsewhere = await new FakeMetadataEndpoint().start();
      t.after(() => elsewhere.close());
      elsewhere.route('/task/stats', { body: GOOD_STATS });
      const h = await startFaultHarness(t, GOOD_STATS);
      h.endpoint.route('/task/stats', { status, body: '', headers: { location: `${elsewhere.uri}/task/stats` } });
      await h.pollOnSchedule();
      await h.pollOnSchedule();
      assert.deepEqual(elsewhere.requests, []);
      assert.equal(h.sampler.counters.failures, 2);
      assert.match(h.watch.messages('warn')[0], new RegExp(`HTTP ${status}`));
    });
  }

  it('a 302 to another path of the same server is not requested either', async (t) => {
    const h = await startFaultHarness(t, GOOD_STATS);
    const prefix = new URL(h.endpoint.uri).pathname;
    h.endpoint.route('/elsewhere', { body: GOOD_STATS });
    h.endpoint.route('/task/stats', { status: 302, body: '', headers: { location: `${prefix}/elsewhere` } });
    await h.pollOnSchedule();
    assert.equal(h.endpoint.count('/elsewhere'), 0);
    assert.equal(h.sampler.counters.failures, 1);
  });

  it('a redirect of /task at start: the other server gets nothing and nothing is reported', async (t) => {
    const elsewhere = await new FakeMetadataEndpoint().start();
    t.after(() => elsewhere.close());
    elsewhere.route('/task', { body: loadFixture(MI.task) });
    const h = await startFaultHarness(t, GOOD_STATS, {}, { body: '' });
    h.endpoint.route('/task', { status: 302, body: '', headers: { location: `${elsewhere.uri}/task` } });
    await h.pollOnSchedule();
    assert.deepEqual(elsewhere.requests, []);
    assert.deepEqual(h.sampler.current(), []);
  });
});

describe('no credentials are sent', () => {
  it('requests carry only host, connection and accept; never authorization or cookie, even after a set-cookie', async (t) => {
    // Credentials an ECS container may have in its environment (the container credentials provider's).
    const secret = 'secret-token-that-must-not-leave';
    const saved = process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'];
    process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = secret;
    t.after(() => {
      if (saved === undefined) delete process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'];
      else process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = saved;
    });
    const seen: IncomingHttpHeaders[] = [];
    const h = await startFaultHarness(t, GOOD_STATS);
    h.endpoint.route('/task/stats', (req, res) => {
      seen.push(req.headers);
      res
        .writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=abc; Path=/', 'www-authenticate': 'Basic realm="x"' })
        .end(JSON.stringify(GOOD_STATS));
    });
    await h.pollOnSchedule();
    await h.pollOnSchedule();
    assert.equal(seen.length, 2);
    for (const headers of seen) {
      assert.deepEqual(Object.keys(headers).sort(), ['accept', 'connection', 'host']);
      assert.equal(headers['authorization'], undefined);
      assert.equal(headers['cookie'], undefined);
      assert.ok(!JSON.stringify(headers).includes(secret));
    }
  });
});

describe('response size', () => {
  it('an error status with an endless body is not read beyond the cap either', async (t) => {
    const maxResponseBytes = 64 * 1024;
    const { route, side } = streamingRoute({ totalBytes: 64 * MIB, chunkBytes: 16 * 1024, everyMillis: 1, status: 500 });
    const h = await startFaultHarness(t, GOOD_STATS, { maxResponseBytes });
    h.endpoint.route('/task/stats', route);
    await h.pollOnSchedule();
    await side.everySocketClosed(); // the client closes the socket as it drops the body
    assert.equal(side.requests, 1);
    assert.equal(side.completed, 0);
    assert.ok(side.bytesWritten <= 16 * maxResponseBytes, `${side.bytesWritten} bytes written`);
  });
});
