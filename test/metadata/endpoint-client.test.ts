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
    assert.deepEqual(await client.getJson('/task'), { ok: true, payload: { Containers: [] } });
    assert.deepEqual(await client.getJson('/task'), { ok: true, payload: { Containers: [] } });
  });
});
