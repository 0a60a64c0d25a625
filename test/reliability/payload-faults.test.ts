import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MI, startFaultHarness } from '../helpers/fault-harness';
import { loadFixture, MIB } from '../../tools/testing/src';

// Payloads that parse as JSON but carry values of the wrong type, out of range or missing, and task
// compositions that change under the sampler. The outcome is per container and per field (README, "Metrics"):
// a `usage` that is not a byte count drops that container's sample (one diag warning), any other bad field is
// treated as missing and the figure it feeds is omitted, never computed from it and never reported as 0.

const STATS = loadFixture(MI.stats);
const TASK = loadFixture(MI.task);
const idOf = (name: string): string => Object.keys(STATS).find((id) => STATS[id]?.name === name)!;
const MAIN = idOf('main');
const EXPORTER = idOf('ecs-exporter');
const NONESSENTIAL = TASK.Containers.find((c: any) => c.Name === 'nonessential').DockerId as string; // null in the stats
const mainLimitMib = TASK.Containers.find((c: any) => c.Name === 'main').Limits.Memory as number; // 96
const taskLimitMib = TASK.Limits.Memory as number; // 256

let readSeconds = 12;
/** The fixture's stats, every running entry with a new `read`, after `edit`. */
function stats(edit: (s: any) => void = () => undefined): any {
  const s = structuredClone(STATS);
  readSeconds += 10;
  for (const entry of Object.values<any>(s)) if (entry !== null) entry.read = `2026-09-26T19:10:${readSeconds}Z`;
  edit(s);
  return s;
}

/** The names of the containers reported, sorted. */
const names = (list: readonly { containerName: string }[]): string[] => list.map((c) => c.containerName).sort();

describe('untrusted fields in /task/stats and /task', () => {
  for (const [what, badUsage] of [
    ['a number as a string', String(STATS[MAIN].memory_stats.usage)],
    ['a negative number', -STATS[MAIN].memory_stats.usage],
    ['an absurd number (1e400 parses to Infinity)', '1e400'],
    ['a number beyond 2^53', 2 ** 60],
    ['an object', { value: 1 }],
  ] as const) {
    it(`usage as ${what}: that container's sample is dropped, the others are reported, one warning`, async (t) => {
      const h = await startFaultHarness(t, stats());
      const mainBefore = h.reported('main')!;
      for (let poll = 0; poll < 3; poll++) {
        const placeholder = 123456789.5;
        const payload = stats((s) => (s[MAIN].memory_stats.usage = badUsage === '1e400' ? placeholder : badUsage));
        // JSON.stringify cannot write 1e400 (Infinity becomes null): splice it into the text.
        const body = badUsage === '1e400' ? JSON.stringify(payload).replace(`"usage":${placeholder}`, '"usage":1e400') : payload;
        h.endpoint.route('/task/stats', { body });
        await h.pollOnSchedule();
      }
      assert.equal(h.sampler.counters.failures, 0, 'the payload as a whole is fine');
      assert.equal(h.reported('main'), mainBefore, 'main keeps its last good figures (until they are stale)');
      assert.equal(h.reported('ecs-exporter')!.freshAtMillis, h.clock.now, 'ecs-exporter is reported fresh');
      const warnings = h.watch.messages('warn');
      assert.equal(warnings.length, 1, warnings.join(' | '));
      assert.match(warnings[0], new RegExp(`${MAIN}.*memory_stats.usage is not a valid byte count`));
      h.clock.now = mainBefore.freshAtMillis + h.options.staleAfterMillis + 1;
      assert.deepEqual(names(h.sampler.current()), ['ecs-exporter'], 'main is not reported once its last good sample is stale');
      assert.deepEqual(h.watch.escaped, []);
    });
  }

  it('a bad inactive_file (string, negative, absurd) omits working set and utilized; usage and limit are still reported', async (t) => {
    const h = await startFaultHarness(t, stats());
    for (const bad of ['18046976', -1, 2 ** 60]) {
      h.endpoint.route('/task/stats', { body: stats((s) => (s[MAIN].memory_stats.stats.inactive_file = bad)) });
      await h.pollOnSchedule();
      const main = h.reported('main')!;
      assert.equal(main.freshAtMillis, h.clock.now);
      assert.equal(main.usageBytes, STATS[MAIN].memory_stats.usage);
      assert.equal(main.limitBytes, mainLimitMib * MIB);
      assert.equal(main.workingSetBytes, undefined, `inactive_file ${bad}`);
      assert.equal(main.utilizedBytes, undefined);
    }
    assert.deepEqual(h.watch.messages('warn'), []);
    assert.deepEqual(h.watch.escaped, []);
  });

  it('an absurd max_usage or limit never becomes a peak or a limit', async (t) => {
    const h = await startFaultHarness(t, stats());
    const usage = STATS[MAIN].memory_stats.usage;
    h.endpoint.route('/task/stats', {
      body: stats((s) => {
        s[MAIN].memory_stats.max_usage = 2 ** 60; // beyond 2^53: not a byte count
        s[MAIN].memory_stats.limit = -1;
      }),
    });
    await h.pollOnSchedule();
    assert.equal(h.reported('main')!.maxUsageBytes, usage, 'peak = max(usage, previous peak)');
    assert.equal(h.reported('main')!.limitBytes, mainLimitMib * MIB);
  });

  it('a /task Limits.Memory that is a string or negative is no limit: the task limit applies', async (t) => {
    const task = structuredClone(TASK);
    task.Containers.find((c: any) => c.Name === 'main').Limits.Memory = String(mainLimitMib);
    task.Containers.find((c: any) => c.Name === 'ecs-exporter').Limits.Memory = -128;
    const h = await startFaultHarness(t, stats());
    h.endpoint.route('/task', { body: task });
    // A new container makes the sampler read /task again (the only way a live task's metadata changes).
    const newcomer = { ...structuredClone(STATS[EXPORTER]), id: 'ffff-1' };
    h.endpoint.route('/task/stats', { body: stats((s) => (s['ffff-1'] = newcomer)) });
    await h.pollOnSchedule();
    assert.equal(h.endpoint.count('/task'), 2);
    assert.equal(h.reported('main')!.limitBytes, taskLimitMib * MIB);
    assert.equal(h.reported('ecs-exporter')!.limitBytes, taskLimitMib * MIB);
  });

  it('missing fields: no memory_stats.stats → no working set or utilized; no Family/Cluster → ContainerName only', async (t) => {
    const task = structuredClone(TASK);
    delete task.Family;
    delete task.Cluster;
    const h = await startFaultHarness(t, stats((s) => delete s[MAIN].memory_stats.stats), {}, task);
    const main = h.reported('main')!;
    assert.equal(main.containerName, 'main');
    assert.equal(main.taskDefinitionFamily, undefined);
    assert.equal(main.clusterName, undefined);
    assert.equal(main.usageBytes, STATS[MAIN].memory_stats.usage);
    assert.equal(main.workingSetBytes, undefined);
    assert.equal(main.utilizedBytes, undefined);
    assert.equal(main.limitBytes, mainLimitMib * MIB);
    assert.deepEqual(h.watch.messages('warn'), []);
  });

  it('entries of the wrong type (a string, an array, a number) are containers not running, not errors', async (t) => {
    const h = await startFaultHarness(t, stats());
    h.endpoint.route('/task/stats', { body: stats((s) => ((s[MAIN] = 'running'), (s[NONESSENTIAL] = [1, 2]), (s['ffff-9'] = 7))) });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter']);
    assert.equal(h.sampler.counters.failures, 0);
    assert.deepEqual(h.watch.escaped, []);
  });
});

describe('a hostile payload within the size cap', () => {
  it('does not block the event loop on tens of thousands of DockerIds that /task does not know', async (t) => {
    // As many stats entries with a valid usage as fit in a 2 MiB cap (~45 000): each is an unknown DockerId.
    // A cap above the default makes the difference between linear and quadratic work a matter of seconds.
    const maxResponseBytes = 2 * 1024 * 1024;
    const entries: string[] = [];
    let bytes = 2;
    for (let i = 0; ; i++) {
      const entry = `"${i.toString(36)}":{"id":"${i.toString(36)}","memory_stats":{"usage":1}}`;
      if (bytes + entry.length + 1 > maxResponseBytes) break;
      entries.push(entry);
      bytes += entry.length + 1;
    }
    const body = `{${entries.join(',')}}`;
    assert.ok(Buffer.byteLength(body) <= maxResponseBytes && entries.length > 40_000, `${entries.length} entries`);
    const h = await startFaultHarness(t, body, { maxResponseBytes });
    await h.pollOnSchedule();
    assert.equal(h.sampler.counters.failures, 0);
    assert.equal(h.sampler.counters.samples, 2);
    assert.equal(h.endpoint.count('/task'), 2, '/task is asked about the unknown IDs once');
    assert.deepEqual(h.sampler.current(), []);
    // "Not blocked for seconds": with a quadratic pass over the IDs, each poll blocked it for 5 s here.
    assert.ok(h.watch.maxEventLoopDelayMillis() < 3000, `event loop blocked for ${h.watch.maxEventLoopDelayMillis()} ms`);
    assert.deepEqual(h.watch.escaped, []);
  });
});

describe('an empty body right after start', () => {
  it('reports nothing, throws nothing, warns once, and reports as soon as the endpoint answers', async (t) => {
    const h = await startFaultHarness(t, '', {}, ''); // /task and /task/stats both empty at first
    assert.deepEqual(h.sampler.current(), []);
    assert.equal(h.sampler.counters.failures, 1);
    assert.equal(h.endpoint.count('/task/stats'), 0, 'without /task there is nothing to join the stats to');
    h.endpoint.route('/task', { body: TASK });
    await h.pollOnSchedule(); // /task now answers; /task/stats is still empty
    assert.deepEqual(h.sampler.current(), []);
    assert.equal(h.sampler.counters.failures, 2);
    h.endpoint.route('/task/stats', { body: stats() });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter', 'main']);
    assert.equal(h.endpoint.count('/task'), 2, '/task is read again only until it has answered');
    const warnings = h.watch.messages('warn');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /empty body/);
    assert.deepEqual(h.watch.escaped, []);
  });
});

describe('the set of containers changes', () => {
  it('a container that starts is reported, one that stops is dropped at once; nothing is logged as a problem', async (t) => {
    const h = await startFaultHarness(t, stats());
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter', 'main']);
    // nonessential (null so far, known to /task) starts; main stops (null).
    const started = { ...structuredClone(STATS[EXPORTER]), id: NONESSENTIAL, name: 'nonessential' };
    h.endpoint.route('/task/stats', { body: stats((s) => ((s[NONESSENTIAL] = started), (s[MAIN] = null))) });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter', 'nonessential']);
    assert.equal(h.endpoint.count('/task'), 1, 'a container /task already knows costs no /task request');
    // ecs-exporter vanishes from the payload altogether.
    h.endpoint.route('/task/stats', { body: stats((s) => ((s[NONESSENTIAL] = started), (s[MAIN] = null), delete s[EXPORTER])) });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['nonessential']);
    assert.deepEqual(h.watch.messages('warn'), []);
    assert.deepEqual(h.watch.escaped, []);
  });

  it('a new container while /task fails: the others are still reported, the newcomer once /task answers', async (t) => {
    const h = await startFaultHarness(t, stats());
    const task = structuredClone(TASK);
    task.Containers.push({ ...structuredClone(task.Containers[0]), DockerId: 'ffff-1', Name: 'sidecar' });
    const newcomer = { ...structuredClone(STATS[EXPORTER]), id: 'ffff-1', name: 'sidecar' };
    h.endpoint.route('/task', { status: 500, body: '' });
    h.endpoint.route('/task/stats', { body: stats((s) => (s['ffff-1'] = newcomer)) });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter', 'main']);
    h.endpoint.route('/task', { body: task });
    h.endpoint.route('/task/stats', { body: stats((s) => (s['ffff-1'] = newcomer)) });
    await h.pollOnSchedule();
    assert.deepEqual(names(h.sampler.current()), ['ecs-exporter', 'main', 'sidecar']);
    assert.equal(h.endpoint.count('/task'), 3);
    assert.deepEqual(h.watch.escaped, []);
  });
});
