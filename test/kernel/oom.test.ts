/**
 * An out-of-memory kill, for real: a container allocates past its cgroup's limit, the kernel's OOM killer
 * ends it (SIGKILL: exit code 137), the task marks it STOPPED, and the package drops its series.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { it } from 'node:test';
import { HostProcessWatch, sampleAt, withKernelTask } from '../../tools/testing/src';
import { describeKernel } from './kernel-suite';
import { MIB, mib, PackageRun } from './package-run';

async function getJson(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    }).on('error', reject);
  });
}

describeKernel('an OOM kill, against the kernel (cgroup v1)', () => {
  it('the OOM-killed container is STOPPED with exit code 137 and leaves the export; the package carries on', async (t) => {
    const tasks = {
      containers: [
        { name: 'victim', cgroupLimitBytes: 128 * MIB },
        { name: 'sidecar', cgroupLimitBytes: 64 * MIB },
      ],
    };
    await withKernelTask(tasks, async (task) => {
      const watch = new HostProcessWatch();
      const run = await PackageRun.start(task);
      try {
        const before = await run.exportAtOneRefresh();
        assert.deepEqual([...before.figures.keys()].sort(), ['sidecar', 'victim']);

        const victim = task.container('victim');
        const exit = await victim.growUntilKilled();
        const killed = victim.cgroup.readSample();
        t.diagnostic(
          `victim: exit code ${exit.exitCode} (${exit.signal}), oom_kill ${victim.cgroup.oomKillCount()}, ` +
            `max_usage_in_bytes ${killed.maxUsageInBytes} of limit ${killed.limitInBytes}, failcnt ${killed.failcnt}`,
        );
        // The kernel's OOM killer, not anything else, ended it: SIGKILL, 128 + 9.
        assert.equal(exit.signal, 'SIGKILL');
        assert.equal(exit.exitCode, 128 + 9);
        assert.equal(victim.cgroup.oomKillCount(), 1);
        assert.equal(exit.oomKilled, true);

        const stopped = await task.nextRefresh((r) => r.containers.get('victim')!.sample === undefined);
        assert.equal(JSON.parse(stopped.statsJson)[victim.dockerId], null, 'a stopped container\'s stats are null');
        const taskPayload = await getJson(`${task.uri}/task`);
        assert.deepEqual(
          taskPayload.Containers.map((c: any) => [c.Name, c.KnownStatus, c.ExitCode]),
          [['victim', 'STOPPED', 137], ['sidecar', 'RUNNING', undefined]],
        );

        // The package: the victim's series are gone, at the first export after it stopped and one refresh later
        // (no stale series); the sidecar's are the kernel's figures of the same refresh.
        const afterStop = await run.exportAtOneRefresh();
        await task.nextRefresh();
        const later = await run.exportAtOneRefresh();
        for (const check of [afterStop, later]) {
          assert.deepEqual([...check.figures.keys()], ['sidecar'], `export at refresh ${check.refresh.seq}`);
          const k = sampleAt(check.refresh, 'sidecar');
          const e = check.figures.get('sidecar')!;
          assert.equal(e.usage, mib(k.usageInBytes));
          assert.equal(e.maxUsage, mib(k.maxUsageInBytes));
          assert.equal(e.limit, mib(k.limitInBytes));
        }
        assert.deepEqual(watch.escaped, [], 'nothing escaped into the host process');
      } finally {
        await run.stop();
        watch.dispose();
      }
    });
  });
});
