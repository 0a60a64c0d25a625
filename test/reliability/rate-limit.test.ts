import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { MAX_BACKOFF_MILLIS } from '../../src/sampler/backoff';
import { MI, startFaultHarness, type FaultHarness } from '../helpers/fault-harness';
import { loadFixture } from '../../tools/testing/src';

// The next poll is asserted through the delay the sampler hands to its timer (a recorded setTimer), never
// through wall-clock time.

const INTERVAL_MILLIS = 1000;
const READ = '2026-09-26T19:09:12Z';
const PREREAD = '2026-09-26T19:09:02Z';
/** The endpoint's refresh cadence as the payload shows it: read − preread. */
const REFRESH_MILLIS = Date.parse(READ) - Date.parse(PREREAD);

/** DockerId → container name in the fixture's stats (running containers). */
const STATS_IDS: Record<string, string> = Object.fromEntries(
  Object.entries<any>(loadFixture(MI.stats)).flatMap(([id, entry]) => (entry === null ? [] : [[id, entry.name]])),
);

/** The fixture's stats with every running container sampled at READ, PREREAD. */
function statsWithCadence(): any {
  const stats = loadFixture(MI.stats);
  for (const entry of Object.values<any>(stats)) {
    if (entry === null) continue;
    entry.read = READ;
    entry.preread = PREREAD;
  }
  return stats;
}

async function harness(t: TestContext): Promise<FaultHarness> {
  return startFaultHarness(t, statsWithCadence(), { sampleIntervalMillis: INTERVAL_MILLIS });
}

describe('429 Too Many Requests', () => {
  it('waits Retry-After (delay-seconds) before the next poll when it is longer than the refresh cadence', async (t) => {
    const h = await harness(t);
    const retryAfterSeconds = 42;
    assert.ok(retryAfterSeconds * 1000 > REFRESH_MILLIS, 'precondition');
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': String(retryAfterSeconds) } });
    assert.equal(await h.pollOnSchedule(), retryAfterSeconds * 1000);
  });

  it('waits Retry-After given as an HTTP date', async (t) => {
    const h = await harness(t);
    // An HTTP date has whole seconds: a minute ahead, rounded up to the next whole second.
    const retryAtMillis = Math.ceil((Date.now() + 60_000) / 1000) * 1000;
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': new Date(retryAtMillis).toUTCString() } });
    const before = Date.now();
    const delay = await h.pollOnSchedule();
    const after = Date.now();
    // The header is read between `before` and `after`: the delay is the time left until the date then.
    assert.ok(delay >= retryAtMillis - after && delay <= retryAtMillis - before, `delay ${delay}`);
    assert.ok(delay > REFRESH_MILLIS);
  });

  it('never polls faster than the endpoint refreshes (read − preread), even when Retry-After is shorter', async (t) => {
    const h = await harness(t);
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': '1' } });
    assert.equal(await h.pollOnSchedule(), REFRESH_MILLIS);
    h.endpoint.route('/task/stats', { status: 429, body: '' }); // no Retry-After at all
    assert.equal(await h.pollOnSchedule(), REFRESH_MILLIS);
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': 'whenever' } });
    assert.equal(await h.pollOnSchedule(), REFRESH_MILLIS);
  });

  it('caps a hostile Retry-After at one hour', async (t) => {
    const h = await harness(t);
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': '99999999' } });
    assert.equal(await h.pollOnSchedule(), 60 * 60 * 1000);
  });

  it('goes back to the sampling interval once the endpoint answers again', async (t) => {
    const h = await harness(t);
    h.endpoint.route('/task/stats', { status: 429, body: '', headers: { 'retry-after': '30' } });
    assert.equal(await h.pollOnSchedule(), 30_000);
    h.endpoint.route('/task/stats', { body: statsWithCadence() });
    assert.equal(await h.pollOnSchedule(), INTERVAL_MILLIS);
  });
});

describe('429 from /task', () => {
  it('is honoured too when /task is read again for a new container; the stats still count', async (t) => {
    const h = await harness(t);
    const exporterId = Object.keys(STATS_IDS).find((id) => STATS_IDS[id] === 'ecs-exporter')!;
    const withNewcomer = statsWithCadence();
    withNewcomer['ffff-1'] = { ...withNewcomer[exporterId], id: 'ffff-1', name: 'sidecar' };
    h.endpoint.route('/task/stats', { body: withNewcomer });
    h.endpoint.route('/task', { status: 429, body: '', headers: { 'retry-after': '42' } });
    assert.equal(await h.pollOnSchedule(), 42_000);
    assert.equal(h.endpoint.count('/task'), 2);
    assert.equal(h.sampler.counters.failures, 0, 'the stats were read: the sample is not lost');
    assert.match(h.watch.messages('warn').join(' | '), /\/task answered HTTP 429/);
    const task = loadFixture(MI.task);
    task.Containers.push({ ...task.Containers[0], DockerId: 'ffff-1', Name: 'sidecar' });
    h.endpoint.route('/task', { body: task });
    assert.equal(await h.pollOnSchedule(), INTERVAL_MILLIS);
    assert.ok(h.reported('sidecar'), 'the newcomer is named once /task answers');
  });
});

describe('backoff after repeated failures', () => {
  it('costs one interval for a single failure, then doubles (with jitter) up to the cap', async (t) => {
    // samplerOptions draws random() = 0.5: each delay is ceiling/2 + ceiling/2 × 0.5 = 0.75 × ceiling, where
    // ceiling = min(60 s, interval × 2^(failures − 1)).
    const h = await harness(t);
    h.endpoint.route('/task/stats', { status: 500, body: '' });
    const delays: number[] = [];
    for (let failures = 1; failures <= 9; failures++) delays.push(await h.pollOnSchedule());
    const ceiling = (failures: number): number => Math.min(MAX_BACKOFF_MILLIS, INTERVAL_MILLIS * 2 ** (failures - 1));
    const expected = delays.map((_, i) => (i === 0 ? INTERVAL_MILLIS : 0.75 * ceiling(i + 1)));
    assert.deepEqual(delays, expected);
    assert.equal(delays[0], INTERVAL_MILLIS, 'a single failure costs exactly one interval');
    assert.equal(delays.at(-1), 0.75 * MAX_BACKOFF_MILLIS, 'capped');
    h.endpoint.route('/task/stats', { body: statsWithCadence() });
    assert.equal(await h.pollOnSchedule(), INTERVAL_MILLIS, 'one good answer resets the backoff');
  });

  it('draws the jitter from the random source for each wait', async (t) => {
    const draws = [0, 0.9];
    const h = await startFaultHarness(t, statsWithCadence(), {
      sampleIntervalMillis: INTERVAL_MILLIS,
      random: () => draws.shift() ?? 0,
    });
    h.endpoint.route('/task/stats', { status: 500, body: '' });
    assert.equal(await h.pollOnSchedule(), INTERVAL_MILLIS); // first failure: no draw used
    const second = await h.pollOnSchedule(); // ceiling 2 × interval, draw 0
    const third = await h.pollOnSchedule(); // ceiling 4 × interval, draw 0.9
    assert.equal(second, INTERVAL_MILLIS);
    assert.equal(third, 2 * INTERVAL_MILLIS + 2 * INTERVAL_MILLIS * 0.9);
  });
});
