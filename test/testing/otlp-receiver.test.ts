import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { OtlpReceiver } from '../../tools/testing/src';
import { MEMORY_UNIT } from '../../src';

const BODY = {
  resourceMetrics: [{ scopeMetrics: [{ scope: { name: 's' }, metrics: [{ name: 'm', unit: MEMORY_UNIT, gauge: { dataPoints: [{ asDouble: 1.5 }] } }] }] }],
};

function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

describe('OtlpReceiver: the kit\'s OTLP/HTTP receiver', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await new OtlpReceiver().start();
  });
  afterEach(() => receiver.close());

  it('keeps a JSON export, plain or gzipped, answers 200 {} and flattens its points', async () => {
    const text = JSON.stringify(BODY);
    assert.equal((await post(receiver.url, text, { 'content-type': 'application/json' })).status, 200);
    const gzipped = await post(receiver.url, gzipSync(text), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(gzipped.status, 200);
    assert.equal(await gzipped.text(), '{}');
    assert.deepEqual(receiver.bodies, [BODY, BODY]);
    assert.deepEqual(receiver.texts, [text, text]);
    assert.deepEqual(receiver.points().map((p) => [p.scope, p.metric, p.value]), [['s', 'm', 1.5], ['s', 'm', 1.5]]);
  });

  it('refuses without throwing: 415 for protobuf, 400 for a body that does not parse or gunzip, 404 elsewhere', async () => {
    assert.equal((await post(receiver.url, Buffer.from([0x0a, 0x00]), { 'content-type': 'application/x-protobuf' })).status, 415);
    assert.equal((await post(receiver.url, '{"resourceMetrics": [', { 'content-type': 'application/json' })).status, 400);
    assert.equal((await post(receiver.url, '[1]', { 'content-type': 'application/json' })).status, 400);
    assert.equal((await post(receiver.url, 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status, 400);
    assert.equal((await post(receiver.url.replace('/v1/metrics', '/v1/traces'), '{}', { 'content-type': 'application/json' })).status, 404);
    assert.deepEqual(receiver.refused.map((r) => r.status), [415, 400, 400, 400, 404]);
    assert.deepEqual(receiver.bodies, []);
    // Still up: the next good export is kept.
    assert.equal((await post(receiver.url, JSON.stringify(BODY), { 'content-type': 'application/json' })).status, 200);
  });

  it('waitForBody resolves with the first body that matches, already received or to come', async () => {
    const later = receiver.waitForBody((b) => b.resourceMetrics?.length === 2);
    await post(receiver.url, JSON.stringify(BODY), { 'content-type': 'application/json' });
    assert.deepEqual(await receiver.waitForBody((b) => b.resourceMetrics?.length === 1), BODY);
    const two = { resourceMetrics: [...BODY.resourceMetrics, ...BODY.resourceMetrics] };
    await post(receiver.url, JSON.stringify(two), { 'content-type': 'application/json' });
    assert.deepEqual(await later, two);
  });
});

describe('OtlpReceiver onExport', () => {
  it('answers with the status the handler returns (a relay\'s), and 500 when the handler throws', async (t) => {
    const statuses = [502, undefined];
    const receiver = await new OtlpReceiver({
      onExport: ({ contentType }) => {
        assert.equal(contentType, 'application/json');
        if (statuses.length === 0) throw new Error('the handler fails');
        return statuses.shift();
      },
    }).start();
    t.after(() => receiver.close());
    const send = async (): Promise<number> => (await post(receiver.url, JSON.stringify(BODY), { 'content-type': 'application/json' })).status;
    assert.deepEqual([await send(), await send(), await send()], [502, 200, 500]);
    assert.equal(receiver.bodies.length, 3);
  });
});
