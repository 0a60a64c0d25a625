import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MetadataEndpointClient } from '../../src/metadata/endpoint-client';
import { FakeMetadataEndpoint } from '../../tools/testing/src';

describe('MetadataEndpointClient request timeout', () => {
  let endpoint: FakeMetadataEndpoint;
  let client: MetadataEndpointClient | undefined;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await endpoint.close();
  });

  it('bounds the whole request by requestTimeoutMillis, a body that drips faster than bodyTimeout included', async () => {
    // A byte every 20 ms never trips undici's bodyTimeout (idle time between chunks); only the bound on the
    // whole request ends it.
    endpoint.route('/task/stats', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    client = new MetadataEndpointClient({ metadataUri: new URL(endpoint.uri), requestTimeoutMillis: 200, maxResponseBytes: 1024 * 1024 });
    const result = await client.getJson('/task/stats');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.kind, 'timeout');
    assert.match(!result.ok ? result.message : '', /requestTimeoutMillis/);
  });

  it('answers normally after a request that finished well within the timeout', async () => {
    endpoint.route('/task', { body: { Containers: [] } });
    client = new MetadataEndpointClient({ metadataUri: new URL(endpoint.uri), requestTimeoutMillis: 200, maxResponseBytes: 1024 * 1024 });
    assert.deepEqual(await client.getJson('/task'), { ok: true, payload: { Containers: [] }, text: '{"Containers":[]}' });
    assert.deepEqual(await client.getJson('/task'), { ok: true, payload: { Containers: [] }, text: '{"Containers":[]}' });
  });
});

describe('MetadataEndpointClient connections', () => {
  let endpoint: FakeMetadataEndpoint;
  let client: MetadataEndpointClient | undefined;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    client = new MetadataEndpointClient({ metadataUri: new URL(endpoint.uri), requestTimeoutMillis: 1000, maxResponseBytes: 1024 * 1024 });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await endpoint.close();
  });

  /**
   * Answers the first request on each connection; a later request on a connection that already served one
   * finds it closed, as when the agent's 5 s idle close crosses the request on the wire: the server drops the
   * socket (`how`) without answering.
   */
  function closesKeptSockets(how: 'fin' | 'reset'): { served: number; dropped: number } {
    const seen = new WeakSet<object>();
    const counts = { served: 0, dropped: 0 };
    endpoint.route('/task/stats', (req, res) => {
      if (seen.has(req.socket)) {
        counts.dropped++;
        if (how === 'reset') req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      seen.add(req.socket);
      counts.served++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
    });
    return counts;
  }

  for (const how of ['fin', 'reset'] as const) {
    it(`sends a request once more on a new connection when the kept one turns out closed (${how}): no failure`, async () => {
      const counts = closesKeptSockets(how);
      assert.equal((await client!.getJson('/task/stats')).ok, true);
      const second = await client!.getJson('/task/stats');
      assert.deepEqual(second, { ok: true, payload: {}, text: '{}' });
      assert.deepEqual(counts, { served: 2, dropped: 1 }, 'the kept connection was met closed once, then a new one served');
      assert.equal(endpoint.connectionsAccepted(), 2);
    });
  }

  it('does not send again when a new connection fails: that is the endpoint\'s failure', async () => {
    let requests = 0;
    endpoint.route('/task/stats', (req) => {
      requests++;
      req.socket.resetAndDestroy();
    });
    const result = await client!.getJson('/task/stats');
    assert.equal(!result.ok && result.kind, 'connection');
    assert.equal(requests, 1);
  });

  it('does not parse a body equal to the previous text: it answers `unchanged`', async (t) => {
    endpoint.route('/task/stats', { body: '{"a":1}' });
    const parse = t.mock.method(JSON, 'parse');
    const first = await client!.getJson('/task/stats');
    assert.deepEqual(first, { ok: true, payload: { a: 1 }, text: '{"a":1}' });
    assert.deepEqual(await client!.getJson('/task/stats', '{"a":1}'), { ok: true, unchanged: true });
    assert.equal(parse.mock.calls.filter((c) => c.arguments[0] === '{"a":1}').length, 1, 'parsed once, for the first answer');
    endpoint.route('/task/stats', { body: '{"a":2}' });
    assert.deepEqual(await client!.getJson('/task/stats', '{"a":1}'), { ok: true, payload: { a: 2 }, text: '{"a":2}' });
  });
});
