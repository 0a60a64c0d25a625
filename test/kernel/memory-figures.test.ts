/**
 * The package's figures against the kernel's: startEcsTaskStats → OTLP/HTTP → receiver, with the task
 * metadata endpoint served from real memory cgroups. Each expected value is computed here from the kernel's
 * files of the refresh the export reports (bigint arithmetic on the bytes, then / 2^20).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { sampleAt, withKernelTask } from '../../tools/testing/src';
import { describeKernel } from './kernel-suite';
import { MIB, mib, PackageRun } from './package-run';

describeKernel('memory figures against the kernel (cgroup v1)', () => {
  it('a file read raises MemoryUsage and the kernel\'s cache, not the working set; MemoryUtilized = usage − cache', async (t) => {
    await withKernelTask({ containers: [{ name: 'reader', cgroupLimitBytes: 256 * MIB }] }, async (task) => {
      const run = await PackageRun.start(task);
      try {
        const fileBytes = 96 * MIB;
        const file = await task.createUncachedFile(fileBytes);
        const before = await run.exportAtOneRefresh();
        assert.equal((await task.container('reader').readFile(file)).bytesRead, fileBytes);
        await task.nextRefresh();
        const after = await run.exportAtOneRefresh();

        const k0 = sampleAt(before.refresh, 'reader');
        const k1 = sampleAt(after.refresh, 'reader');
        const e0 = before.figures.get('reader')!;
        const e1 = after.figures.get('reader')!;
        t.diagnostic(
          `kernel at refresh ${after.refresh.seq}: usage ${k1.usageInBytes}, cache ${k1.stat.cache}, ` +
            `total_inactive_file ${k1.stat.total_inactive_file}, max_usage ${k1.maxUsageInBytes}; exported (MiB): ${JSON.stringify(e1)}`,
        );
        // The kernel charged the file's pages to the container, as page cache. Nearly always all 96 MiB; once,
        // 94 MiB, with max_usage 2 MiB above usage (one 2 MiB folio gone again): at least 90 % is the claim.
        assert.ok(k1.stat.cache - k0.stat.cache >= BigInt(Math.floor(0.9 * fileBytes)), `cache ${k0.stat.cache} → ${k1.stat.cache}`);
        // The package, at each refresh, from that refresh's files.
        for (const [e, k] of [[e0, k0], [e1, k1]] as const) {
          assert.equal(e.usage, mib(k.usageInBytes));
          assert.equal(e.utilized, mib(k.usageInBytes - k.stat.cache));
          assert.equal(e.workingSet, mib(k.usageInBytes - k.stat.total_inactive_file));
        }
        // MemoryUsage rose with the file (96 MiB, less whatever the process freed meanwhile); the working set
        // and MemoryUtilized did not: the file's pages are cache, read once, so on the inactive list.
        assert.ok(e1.usage! - e0.usage! >= 0.9 * (fileBytes / MIB), `MemoryUsage ${e0.usage} → ${e1.usage}`);
        assert.ok(e1.workingSet! - e0.workingSet! < fileBytes / MIB / 8, `working set ${e0.workingSet} → ${e1.workingSet}`);
        assert.ok(e1.utilized! - e0.utilized! < fileBytes / MIB / 8, `utilized ${e0.utilized} → ${e1.utilized}`);
      } finally {
        await run.stop();
      }
    });
  });

  it('MemoryWorkingSet = usage − total_inactive_file and MemoryUtilized = usage − cache where the two differ (active file cache)', async (t) => {
    await withKernelTask({ containers: [{ name: 'app', cgroupLimitBytes: 256 * MIB }] }, async (task) => {
      const run = await PackageRun.start(task);
      try {
        const app = task.container('app');
        const readTwice = await task.createUncachedFile(32 * MIB);
        const readOnce = await task.createUncachedFile(32 * MIB);
        await app.hold(48 * MIB);
        await app.readFile(readTwice, 2); // the second read moves its pages to the active list
        await app.readFile(readOnce);
        await task.nextRefresh();
        const { refresh, figures } = await run.exportAtOneRefresh();

        const k = sampleAt(refresh, 'app');
        const e = figures.get('app')!;
        const cache = k.stat.cache;
        const inactiveFile = k.stat.total_inactive_file;
        t.diagnostic(
          `kernel at refresh ${refresh.seq}: usage ${k.usageInBytes}, max_usage ${k.maxUsageInBytes}, cache ${cache}, ` +
            `total_inactive_file ${inactiveFile}, total_active_file ${k.stat.total_active_file}, rss ${k.stat.rss}; ` +
            `exported (MiB): ${JSON.stringify(e)}`,
        );
        // Precondition: the two formulas differ by the active file cache, so swapping them would show.
        assert.ok(cache - inactiveFile >= BigInt(16 * MIB), `cache ${cache}, total_inactive_file ${inactiveFile}`);
        assert.equal(e.usage, mib(k.usageInBytes));
        assert.equal(e.maxUsage, mib(k.maxUsageInBytes));
        assert.equal(e.workingSet, mib(k.usageInBytes - inactiveFile));
        assert.equal(e.utilized, mib(k.usageInBytes - cache));
      } finally {
        await run.stop();
      }
    });
  });

  it('MemoryLimit is the cgroup\'s limit, as the kernel rounded it, where the task metadata gives none', async (t) => {
    const requestedBytes = 300_000_000; // not a whole number of pages
    await withKernelTask({ containers: [{ name: 'app', cgroupLimitBytes: requestedBytes }] }, async (task) => {
      const run = await PackageRun.start(task);
      try {
        const { refresh, figures } = await run.exportAtOneRefresh();
        const k = sampleAt(refresh, 'app');
        t.diagnostic(`kernel: limit_in_bytes ${k.limitInBytes}, hierarchical_memory_limit ${k.stat.hierarchical_memory_limit}; exported MemoryLimit ${figures.get('app')!.limit} MiB`);
        // The kernel keeps whole pages (4096 bytes here: 300000000 − 300000000 mod 4096 = 299999232); the
        // parent has no limit, so the hierarchical limit is this one.
        const pageBytes = BigInt(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
        assert.equal(k.limitInBytes, BigInt(requestedBytes) - (BigInt(requestedBytes) % pageBytes));
        assert.equal(k.stat.hierarchical_memory_limit, k.limitInBytes);
        assert.equal(figures.get('app')!.limit, mib(k.limitInBytes));
      } finally {
        await run.stop();
      }
    });
  });
});
