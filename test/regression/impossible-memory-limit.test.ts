import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskStatsSampler } from '../../src/sampler/sampler';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, HostProcessWatch, loadFixture, MIB } from '../../tools/testing/src';
import { samplerOptions } from '../helpers/sampler-options';

const MI = FIXTURE_PAIRS.managedInstancesV2;

// Issue 13, part 4: `Limits.Memory` of 1e308 MiB used to be exported as MemoryLimit = Infinity (null in OTLP
// JSON). It is treated as not set, with one diag warning, and the next limit applies.
describe('TaskStatsSampler: a /task limit that cannot be real', () => {
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

  it('is not reported, the task limit is; one warning, also when /task is read again', async () => {
    const task = loadFixture(MI.task);
    task.Containers.find((c: any) => c.Name === 'main').Limits.Memory = 1e308;
    endpoint.route('/task', { body: task });
    const stats = loadFixture(MI.stats);
    endpoint.route('/task/stats', { body: stats });
    sampler = new TaskStatsSampler(samplerOptions(endpoint.uri));
    await sampler.sampleNow();
    const mainLimit = () => sampler!.current().find((c) => c.containerName === 'main')!.limitBytes;
    assert.equal(mainLimit(), task.Limits.Memory * MIB); // 256 MiB: main's 1e308 is not set, the task's limit applies
    // A container /task does not know yet makes the sampler read /task again: same limits, no new warning.
    const newcomerId = 'ffff-1';
    endpoint.route('/task/stats', { body: { ...stats, [newcomerId]: { ...Object.values<any>(stats).find((e) => e?.name === 'main'), id: newcomerId } } });
    await sampler.sampleNow();
    assert.equal(endpoint.count('/task'), 2);
    assert.equal(mainLimit(), 256 * MIB);
    const warnings = watch.messages('warn');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /\/task Limits\.Memory cannot be real .*: container "main" 1e\+308 MiB; treated as not set, the next limit applies/);
    assert.equal(watch.messages('debug', /cannot be real/).length, 1, 'the repeat is logged at debug level');
    assert.deepEqual(watch.escaped, []);
  });
});
