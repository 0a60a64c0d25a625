/**
 * A spike between two samples, on real memory: the container allocates close to its limit and frees it again
 * between two refreshes of the endpoint. The kernel's memory.max_usage_in_bytes keeps it; usage never shows it.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sampleAt, withKernelTask } from '../../tools/testing/src';
import { describeKernel } from './kernel-suite';
import { MIB, mib, PackageRun } from './package-run';

describeKernel('a memory spike between two samples, against the kernel (cgroup v1)', () => {
  it('MaxMemoryUsage is the kernel\'s max_usage_in_bytes at the same refresh, and catches the spike MemoryUsage never shows', async (t) => {
    const limitBytes = 256 * MIB;
    const spikeBytes = 224 * MIB;
    await withKernelTask({ containers: [{ name: 'app', cgroupLimitBytes: limitBytes }] }, async (task) => {
      const run = await PackageRun.start(task);
      try {
        const before = await run.exportAtOneRefresh();
        // Held, so that on a loaded machine too the spike falls between two refreshes (the agent's cadence
        // is 10 s on Fargate; the spike takes a fraction of a second). The package keeps polling meanwhile.
        const release = task.holdRefreshes();
        let allocatedBytes: unknown;
        try {
          allocatedBytes = (await task.container('app').spike(spikeBytes)).allocatedBytes;
        } finally {
          release();
        }
        assert.equal(allocatedBytes, spikeBytes);
        await task.nextRefresh();
        const after = await run.exportAtOneRefresh();

        const k0 = sampleAt(before.refresh, 'app');
        const k1 = sampleAt(after.refresh, 'app');
        const e0 = before.figures.get('app')!;
        const e1 = after.figures.get('app')!;
        t.diagnostic(
          `kernel: usage ${k0.usageInBytes} → ${k1.usageInBytes}, max_usage ${k0.maxUsageInBytes} → ${k1.maxUsageInBytes} ` +
            `(limit ${k1.limitInBytes}, failcnt ${k1.failcnt}); exported MiB: MemoryUsage ${e0.usage} → ${e1.usage}, ` +
            `MaxMemoryUsage ${e0.maxUsage} → ${e1.maxUsage}`,
        );
        // The kernel: the peak holds the whole spike (224 MiB on top of the process's own memory)...
        assert.ok(k1.maxUsageInBytes >= BigInt(spikeBytes), `max_usage ${k1.maxUsageInBytes}`);
        assert.ok(k1.maxUsageInBytes <= k1.limitInBytes);
        // ...and no refresh ever saw it in usage: every usage served is below half the spike.
        for (const refresh of task.refreshes) {
          const usage = refresh.containers.get('app')!.sample!.usageInBytes;
          assert.ok(usage < BigInt(spikeBytes / 2), `usage ${usage} at refresh ${refresh.seq}`);
        }
        // The package: each refresh's max_usage_in_bytes and usage_in_bytes, in MiB.
        assert.equal(e0.maxUsage, mib(k0.maxUsageInBytes));
        assert.equal(e1.maxUsage, mib(k1.maxUsageInBytes));
        assert.equal(e1.usage, mib(k1.usageInBytes));
        // MaxMemoryUsage caught the spike; no MemoryUsage exported at any time did.
        assert.ok(e0.maxUsage < spikeBytes / MIB / 2, `MaxMemoryUsage before the spike: ${e0.maxUsage}`);
        assert.ok(e1.maxUsage >= spikeBytes / MIB);
        const usages = run.exported('usage', 'app');
        assert.ok(usages.length >= 4 && usages.every((usage) => usage < spikeBytes / MIB / 2), `MemoryUsage exported: ${usages.join(', ')}`);
      } finally {
        await run.stop();
      }
    });
  });
});
