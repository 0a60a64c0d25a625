/**
 * Issue 14, item 5: `startEcsTaskStats({ enabled: false })` still requested the endpoint on forceFlush() and
 * shutdown(), installed exit hooks and started the export timer. Disabled means idle.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startEcsTaskStats } from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, OtlpReceiver } from '../../tools/testing/src';
import { LiveTimers } from '../reliability/helpers/live-timers';

const FARGATE = FIXTURE_PAIRS.fargateV1;
const EXIT_EVENTS = ['SIGTERM', 'SIGINT', 'beforeExit', 'removeListener'] as const;
const listenerCounts = (): number[] => EXIT_EVENTS.map((event) => process.listenerCount(event));

describe('startEcsTaskStats({ enabled: false }) is idle', () => {
  let endpoint: FakeMetadataEndpoint;
  let receiver: OtlpReceiver;
  let timers: LiveTimers;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(FARGATE.task) });
    endpoint.route('/task/stats', { body: loadFixture(FARGATE.stats) });
    receiver = await new OtlpReceiver().start();
    timers = new LiveTimers().start();
  });
  afterEach(async () => {
    timers.stop();
    await endpoint.close();
    await receiver.close();
  });

  it('no request, no timer, no exit hook; forceFlush() and shutdown() resolve and export nothing', async () => {
    const before = listenerCounts();
    // Distinctive delays, to find the package's timers among the test runner's.
    const handle = startEcsTaskStats({ enabled: false, metadataUri: endpoint.uri, url: receiver.url, sampleIntervalMillis: 1234, exportIntervalMillis: 4321 });
    assert.equal(handle.instrumentation.isEnabled(), false);
    assert.deepEqual(listenerCounts(), before, `no exit hook (${EXIT_EVENTS.join(', ')})`);
    assert.equal(timers.withDelay(4321), 0, 'no export timer');
    await handle.forceFlush();
    await handle.shutdown();
    assert.deepEqual(endpoint.requests, [], 'no request to the metadata endpoint');
    assert.equal(receiver.bodies.length, 0, 'nothing exported');
    assert.equal(timers.withDelay(1234) + timers.withDelay(4321), 0, 'no timer left');
    assert.deepEqual(listenerCounts(), before);
  });

  it('after shutdown() a new call starts afresh, enabled', async () => {
    await startEcsTaskStats({ enabled: false, metadataUri: endpoint.uri, url: receiver.url }).shutdown();
    const handle = startEcsTaskStats({ metadataUri: endpoint.uri, url: receiver.url, handleSignals: false });
    try {
      await handle.forceFlush();
      assert.ok(endpoint.count('/task/stats') >= 1);
      assert.equal(receiver.bodies.length, 1);
    } finally {
      await handle.shutdown();
    }
  });
});
