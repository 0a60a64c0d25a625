import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { REFRESH_MARGIN_MILLIS, RefreshSchedule } from '../../src/sampler/refresh-schedule';
import { TaskStatsSampler } from '../../src/sampler/sampler';
import { CachedRefresh, dockerTimestamp, FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, MIB } from '../../tools/testing/src';
import { RecordingScheduler } from '../helpers/recording-scheduler';
import { ManualClock, samplerOptions } from '../helpers/sampler-options';

const CADENCE = 10_000;
/** A refresh of the endpoint (its clock, ms), and the one after. */
const R0 = Date.parse('2026-09-26T19:09:02Z');
const R1 = R0 + CADENCE;

/** One container's read and cadence. */
const at = (readMillis: number, cadenceMillis: number | undefined = CADENCE) => ({ readMillis, cadenceMillis });

describe('RefreshSchedule', () => {
  it('trusts nothing before a refresh was seen happen between two polls', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 5, containers: [at(R0)] });
    assert.equal(s.nextPollAt(5), undefined);
    s.observeUnchanged(1000);
    assert.equal(s.nextPollAt(1005), undefined, 'the same refresh again proves no upper bound');
  });

  it('polls at read + cadence + margin on the sampler clock, from what two polls around a refresh prove', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 5, containers: [at(R0)] });
    s.observeUnchanged(1000); // sent at 1000: R1 was not out yet
    s.observe({ sentAt: 2000, receivedAt: 2005, containers: [at(R1)] });
    // R1 became available in (1000, 2005] on our clock; the lower bound on the offset places it at 2005 at
    // the latest, so R1 + cadence is due by 2005 + 10000 = 12005, and the poll comes 250 ms after.
    assert.equal(s.nextPollAt(2005), 2005 + CADENCE + REFRESH_MARGIN_MILLIS);
  });

  it('takes the newest read and the longest cadence when containers refresh a little apart', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 0, containers: [at(R0 - 220), at(R0)] });
    s.observeUnchanged(1000);
    // Container a refreshed 220 ms before b (as in the Fargate fixture: 05:22:49.186 and .406).
    s.observe({ sentAt: 2000, receivedAt: 2000, containers: [at(R1 - 220, CADENCE - 1), at(R1, CADENCE + 1)] });
    // newest R1 available by 2000; longest cadence 10001: 2000 + 10001 + 250.
    assert.equal(s.nextPollAt(2000), 2000 + CADENCE + 1 + REFRESH_MARGIN_MILLIS);
  });

  it('falls back to the interval when the cadence is unknown, the containers are out of step, or the cadence changes', () => {
    const learnt = (): RefreshSchedule => {
      const s = new RefreshSchedule();
      s.observe({ sentAt: 0, receivedAt: 0, containers: [at(R0)] });
      s.observeUnchanged(1000);
      s.observe({ sentAt: 2000, receivedAt: 2000, containers: [at(R1)] });
      assert.notEqual(s.nextPollAt(2000), undefined, 'precondition: learnt');
      return s;
    };
    const R2 = R1 + CADENCE;
    let s = learnt();
    s.observe({ sentAt: 12_250, receivedAt: 12_250, containers: [at(R2), { readMillis: R2, cadenceMillis: undefined }] }); // a new container's first sample
    assert.equal(s.nextPollAt(12_250), undefined);
    s = learnt();
    // 8 s apart: a poll up to 1 s late (the width) after the newest would meet the older one's refresh after
    // next (8000 + 1000 + 250 + 1000 ≥ 10 000). 5 s apart would still be safe, and is trusted:
    s.observe({ sentAt: 12_250, receivedAt: 12_250, containers: [at(R2), at(R2 - 8000)] });
    assert.equal(s.nextPollAt(12_250), undefined);
    s = learnt();
    s.observe({ sentAt: 12_250, receivedAt: 12_250, containers: [at(R2), at(R2 - 5000)] });
    assert.notEqual(s.nextPollAt(12_250), undefined);
    s = learnt();
    s.observe({ sentAt: 12_250, receivedAt: 12_250, containers: [at(R2, 20_000)] }); // EC2 polling mode: 20 s now
    assert.equal(s.nextPollAt(12_250), undefined);
    s = learnt();
    s.observe({ sentAt: 12_250, receivedAt: 12_250, containers: [at(R2, 10_500), at(R2, 9000)] }); // cadences 1.5 s apart
    assert.equal(s.nextPollAt(12_250), undefined);
    s = learnt();
    // read − preread says 10 s, but this refresh came 3 s after the previous one: the cache follows another cadence.
    s.observe({ sentAt: 5000, receivedAt: 5000, containers: [at(R1 + 3000)] });
    assert.equal(s.nextPollAt(5000), undefined);
  });

  it('does not trust a refresh time known too loosely to come before the refresh after', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 0, containers: [at(R0)] });
    // Two polls 9 s apart around R1: polling at the lower bound could be 9 s late, past R1 + 10 s − 0.25 − 1.
    s.observe({ sentAt: 9000, receivedAt: 9000, containers: [at(R1)] });
    assert.equal(s.nextPollAt(9000), undefined);
  });

  it('drops bounds that a stepped clock contradicts, and learns again', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 0, containers: [at(R0)] });
    s.observeUnchanged(1000);
    s.observe({ sentAt: 2000, receivedAt: 2000, containers: [at(R1)] });
    // Offset now in [R1 − 2000, R1 − 1000). The endpoint's clock steps back 3 s: R2 (= R1 + 10 s on its new
    // clock) is out at 12 250 + 3000, so the poll at 12 250 still sees R1 and the one at 15 300 sees R2.
    const R2 = R1 + CADENCE;
    s.observeUnchanged(12_250);
    s.observe({ sentAt: 15_300, receivedAt: 15_300, containers: [at(R2)] });
    // Upper bound R2 − 12 250 < the old lower bound R1 − 2000 = R2 − 12 000: contradiction, both from this poll.
    assert.equal(s.nextPollAt(15_300), 15_300 + CADENCE + REFRESH_MARGIN_MILLIS);
  });

  it('widens its bounds with age (two clocks drift), and falls back once they are too wide', () => {
    const s = new RefreshSchedule();
    s.observe({ sentAt: 0, receivedAt: 0, containers: [at(R0)] });
    s.observeUnchanged(1000);
    s.observe({ sentAt: 2000, receivedAt: 2000, containers: [at(R1)] });
    // Width 1000 ms, growing by 2 × 100 ppm: trusted while 1000 + 2e-4 × age + 250 + 1000 < 10 000, that is
    // for age < 7750 / 2e-4 = 38 750 000 ms (about 10.8 h).
    assert.notEqual(s.nextPollAt(2000 + 38_000_000), undefined);
    assert.equal(s.nextPollAt(2000 + 39_000_000), undefined);
  });
});

// The agent-like endpoint (tools/testing): refreshes every 10 s on its own clock and serves its cache in
// between. Its clock is the test's hand clock plus an offset that is not a whole number of cadences, so
// refreshes fall between the sampler's own ticks.
const MI = FIXTURE_PAIRS.managedInstancesV2;
const CLOCK_OFFSET = Date.parse('2026-09-26T19:09:00Z') + 3_700;
const SPIKE_SEQUENCE_AFTER_START = 15;
const SPIKE_BYTES = 300 * MIB;
/** main's usage at refresh n: 60 MiB + (n mod 7) MiB, and the spike once. */
const usageAt = (sequence: number, spikeSequence: number): number => (sequence === spikeSequence ? SPIKE_BYTES : 60 * MIB + (sequence % 7) * MIB);

async function runAgainstAgentLikeEndpoint(t: TestContext, sampleIntervalMillis: number, refreshes: number) {
  const clock = new ManualClock();
  const firstSequence = Math.floor(CLOCK_OFFSET / CADENCE);
  const spikeSequence = firstSequence + SPIKE_SEQUENCE_AFTER_START;
  const cache = new CachedRefresh({
    cadenceMillis: CADENCE,
    clock: () => clock.now + CLOCK_OFFSET,
    render: ({ sequence, readMillis, prereadMillis }) => {
      const stats = loadFixture(MI.stats);
      for (const entry of Object.values<any>(stats)) {
        if (entry === null) continue;
        entry.read = dockerTimestamp(readMillis);
        entry.preread = dockerTimestamp(prereadMillis);
        if (entry.name === 'main') entry.memory_stats.usage = usageAt(sequence, spikeSequence);
      }
      return stats;
    },
  });
  const endpoint = await new FakeMetadataEndpoint().start();
  endpoint.route('/task', { body: loadFixture(MI.task) }).route('/task/stats', { body: cache.body });
  const scheduler = new RecordingScheduler();
  const sampler = new TaskStatsSampler(samplerOptions(endpoint.uri, { clock: clock.read, setTimer: scheduler.setTimer, sampleIntervalMillis, staleAfterMillis: 60_000 }));
  t.after(async () => {
    sampler.stop();
    scheduler.dispose();
    await endpoint.close();
  });
  const first = scheduler.nextDelay();
  sampler.start();
  await first;
  while (clock.now < refreshes * CADENCE) {
    clock.now += scheduler.delays.at(-1)!;
    await scheduler.runScheduledPoll();
  }
  const perRefresh = new Map<number, number>();
  for (const sequence of cache.served) perRefresh.set(sequence, (perRefresh.get(sequence) ?? 0) + 1);
  return { sampler, scheduler, cache, perRefresh, firstSequence, spikeSequence, lastSequence: cache.served.at(-1)! };
}

describe('TaskStatsSampler against the agent-like endpoint, on a hand clock', () => {
  for (const interval of [1000, 5000]) {
    it(`reads each refresh once, shortly after it, and misses none (sampling every ${interval} ms)`, async (t) => {
      const { sampler, scheduler, cache, perRefresh, firstSequence, spikeSequence, lastSequence } = await runAgainstAgentLikeEndpoint(t, interval, 30);
      // The first refresh seen is polled at the interval until the next one shows where refreshes fall.
      for (let sequence = firstSequence + 1; sequence <= lastSequence; sequence++) {
        assert.equal(perRefresh.get(sequence), 1, `refresh ${sequence - firstSequence}: ${perRefresh.get(sequence) ?? 0} requests`);
      }
      assert.ok(scheduler.delays.every((d) => d >= interval), `never more often than the interval: ${scheduler.delays.join(', ')}`);
      // 30 refreshes of 10 s: at 1 s sampling the interval alone would make 300 requests.
      assert.ok(cache.served.length <= 30 + CADENCE / interval, `${cache.served.length} requests`);
      assert.equal(sampler.counters.failures, 0);
      // The spike lasted one refresh (10 s): read, so the cgroup v2 peak (the highest sampled) has it.
      assert.ok(spikeSequence < lastSequence);
      assert.equal(sampler.current().find((c) => c.containerName === 'main')!.maxUsageBytes, SPIKE_BYTES);
    });
  }

  it('skips a body equal to the previous one before JSON.parse, and an unchanged read before normalising', async (t) => {
    // At 1 s sampling the first refresh is polled until the next one: those polls get the cached body again.
    const { sampler, perRefresh, firstSequence } = await runAgainstAgentLikeEndpoint(t, 1000, 3);
    const { counters } = sampler;
    const requests = [...perRefresh.values()].reduce((a, b) => a + b, 0);
    assert.ok(perRefresh.get(firstSequence)! > 1, 'precondition: the cache was served more than once');
    assert.equal(counters.statsBodiesParsed, perRefresh.size, 'one JSON.parse per refresh, none for a repeat');
    assert.equal(counters.statsPayloadsNormalised, perRefresh.size);
    assert.equal(counters.duplicateSamples, requests - perRefresh.size);
  });
});
