// Issue 13: cgroup v2 stats without inactive_file (trimmed payloads such as the otel receiver's Managed
// Instances daemon fixture) lost MemoryWorkingSet and MemoryUtilized without a word. The figure is now
// estimated (normalise/memory-figures.ts inactiveFileFigure), and the sampler says so once per container.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskStatsSampler } from '../../src/sampler/sampler';
import { daemonTaskPairs, FakeMetadataEndpoint, HostProcessWatch } from '../../tools/testing/src';
import { samplerOptions } from '../helpers/sampler-options';

/** A copy of `stats` with every entry's `read` set to `read`: a new sample, same figures. */
function withRead(stats: any, read: string): any {
  const copy = structuredClone(stats);
  for (const entry of Object.values<any>(copy)) entry.read = read;
  return copy;
}

// The Managed Instances daemon fixture (no inactive_file, no shmem): the working set is estimated, and the
// sampler says so once per container, not once per sample.
describe('TaskStatsSampler: an estimated inactive file figure is logged once per container', () => {
  let endpoint: FakeMetadataEndpoint;
  let watch: HostProcessWatch;
  let sampler: TaskStatsSampler | undefined;

  beforeEach(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    watch = new HostProcessWatch();
  });
  afterEach(async () => {
    sampler?.stop();
    sampler = undefined;
    watch.dispose();
    await endpoint.close();
  });

  it('one warning for monitor-agent over three samples, one more when nginx-proxy joins, none after', async () => {
    const [first, second] = daemonTaskPairs();
    endpoint.route('/task', { body: first.task });
    sampler = new TaskStatsSampler(samplerOptions(endpoint.uri));
    for (const s of ['52', '53', '54']) {
      endpoint.route('/task/stats', { body: withRead(first.stats, `2026-05-15T09:58:${s}Z`) });
      await sampler.sampleNow();
    }
    const monitor = sampler.current().find((c) => c.containerName === 'monitor-agent')!;
    assert.equal(monitor.workingSetBytes, 66203648 - (43503616 - 479232)); // usage − (file − active_file)
    let warnings = watch.messages('warn');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /container\(s\) "monitor-agent": memory_stats\.stats has no inactive_file; MemoryWorkingSet and MemoryUtilized use max\(0, file − active_file − shmem\)/);
    assert.match(warnings[0], /shmem is missing too and counts as 0/);

    // nginx-proxy (the second task of the array) joins the same task: /task is read again, and it is logged once.
    const task = structuredClone(first.task);
    task.Containers.push(...second.task.Containers);
    endpoint.route('/task', { body: task });
    for (const s of ['55', '56']) {
      endpoint.route('/task/stats', { body: withRead({ ...first.stats, ...second.stats }, `2026-05-15T09:58:${s}Z`) });
      await sampler.sampleNow();
    }
    assert.deepEqual(sampler.current().map((c) => c.containerName).sort(), ['monitor-agent', 'nginx-proxy']);
    warnings = watch.messages('warn');
    assert.equal(warnings.length, 2, warnings.join(' | '));
    assert.match(warnings[1], /container\(s\) "nginx-proxy": memory_stats\.stats has no inactive_file/);
    assert.doesNotMatch(warnings[1], /monitor-agent/);
    assert.deepEqual(watch.escaped, []);
  });

  it('a container name with control characters reaches the log escaped', async () => {
    const [first] = daemonTaskPairs();
    const task = structuredClone(first.task);
    task.Containers[0].Name = 'evil\u001b[31m\nname';
    endpoint.route('/task', { body: task });
    endpoint.route('/task/stats', { body: first.stats });
    sampler = new TaskStatsSampler(samplerOptions(endpoint.uri));
    await sampler.sampleNow();
    const warnings = watch.messages('warn');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes('"evil\\u001b[31m\\nname"'), warnings[0]);
    assert.ok(![...warnings[0]].some((ch) => ch.charCodeAt(0) < 0x20), 'no raw control character');
  });
});
