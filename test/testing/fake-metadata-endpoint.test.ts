import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeMetadataEndpoint } from '../../tools/testing/src';

/** GET with Node's own client: status, headers and body as the server sent them. */
function get(url: string, agent: Agent | false = false): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('FakeMetadataEndpoint: the kit\'s task metadata endpoint', () => {
  let endpoint: FakeMetadataEndpoint;
  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
  });
  afterEach(() => endpoint.close());

  it('serves text byte for byte, a value as JSON, and a function per request, each with its content-length', async () => {
    const exact = '{"limit":9223372036854771712}'; // a JSON round trip would change these digits
    let n = 0;
    endpoint.route('/task', { body: exact }).route('/task/stats', { body: { a: 1 } }).route('/stats', { body: () => `{"n":${++n}}` });
    const task = await get(`${endpoint.uri}/task`);
    assert.equal(task.body, exact);
    assert.equal(task.headers['content-length'], String(Buffer.byteLength(exact)));
    assert.equal((await get(`${endpoint.uri}/task/stats`)).body, '{"a":1}');
    assert.deepEqual([(await get(`${endpoint.uri}/stats`)).body, (await get(`${endpoint.uri}/stats`)).body], ['{"n":1}', '{"n":2}']);
  });

  it('sends no keep-alive hint to a keep-alive client, as the agent (Go net/http) sends none', async () => {
    endpoint.route('/task', { body: '{}' });
    const agent = new Agent({ keepAlive: true });
    try {
      const { headers } = await get(`${endpoint.uri}/task`, agent);
      assert.equal(headers['connection'], 'keep-alive', 'the connection stays open');
      assert.equal(headers['keep-alive'], undefined, 'with no timeout announced');
    } finally {
      agent.destroy();
    }
  });

  it('answers the URI itself at "/", with or without a trailing slash; an unknown path is a 404 with a JSON body', async () => {
    endpoint.route('/', { body: { Name: 'app' } }).route('/task', { body: '{}' });
    assert.equal((await get(endpoint.uri)).body, '{"Name":"app"}');
    assert.equal((await get(`${endpoint.uri}/`)).body, '{"Name":"app"}');
    assert.equal((await get(`${endpoint.uri}/task/`)).status, 200);
    const missing = await get(`${endpoint.uri}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body), 'V4 handler: not found');
    assert.deepEqual(endpoint.requests, ['/', '/', '/task', '/nope']);
    assert.equal(endpoint.count('/'), 2);
  });

  it('an unguessable prefix on request, and a record of connections it can forget', async () => {
    const random = await new FakeMetadataEndpoint({ prefix: 'random' }).start();
    try {
      assert.match(new URL(random.uri).pathname, /^\/v4\/[0-9a-f]{32}$/);
    } finally {
      await random.close();
    }
    endpoint.route('/task', { body: '{}' });
    await get(`${endpoint.uri}/task`);
    await get(`${endpoint.uri}/task`);
    assert.equal(endpoint.connectionsAccepted(), 2, 'agent: false opens a connection per request');
    endpoint.forgetRequests();
    assert.deepEqual(endpoint.requests, []);
    assert.deepEqual(endpoint.requestsAfter(0), []);
  });
});

describe('FakeMetadataEndpoint: the agent\'s idle close', () => {
  it('closes a connection left idle for idleTimeoutMillis after its answer, and not one in use', async () => {
    const endpoint = await new FakeMetadataEndpoint({ idleTimeoutMillis: 150 }).start();
    const agent = new Agent({ keepAlive: true });
    try {
      endpoint.route('/task', { body: '{}' });
      endpoint.route('/slow', (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-length': 2 }).end('{}'), 300));
      assert.equal((await get(`${endpoint.uri}/slow`, agent)).status, 200, 'an answer slower than the idle time is not cut');
      assert.equal(endpoint.openConnections(), 1, 'kept open after the answer');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(endpoint.openConnections(), 0, 'closed once idle for 150 ms');
      await get(`${endpoint.uri}/task`, agent);
      assert.equal(endpoint.connectionsAccepted(), 2, 'the next request needed a new connection');
    } finally {
      agent.destroy();
      await endpoint.close();
    }
  });
});
