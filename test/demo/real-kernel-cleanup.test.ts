/**
 * `npm start -- --real-kernel` leaves nothing behind and starts nothing where it cannot run: Ctrl-C mid-run (as
 * a terminal sends it, to the whole process group), a second Ctrl-C that ends it at once, and a machine
 * without a usable memory cgroup (exit 2, one line, from the test kit's own check).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CGROUP_PARENT_ENV, kernelSupport, OtlpReceiver, waitFor } from '../../tools/testing/src';
import { describeKernel } from '../kernel/kernel-suite';
import { runCliWithin, startCli } from './helpers';
import { leftoversOf, processesInCgroupsOf } from './kernel-leftovers';

const NEEDS = /^--real-kernel needs Linux, root and the cgroup v1 memory controller: [^\n]+\n$/;

describe('--real-kernel where the machine cannot run it', () => {
  it('exits 2 with one line saying why, and makes nothing: a memory cgroup that does not exist', async () => {
    const support = kernelSupport();
    // Inside this process's own memory cgroup (the only place the kit accepts), a cgroup that is not there.
    const absent = support.ok ? join(support.parentCgroupDir, `otel-ecs-kt-absent-${process.pid}`) : '/nonexistent/memory/cgroup';
    const run = await runCliWithin(['demo', '--real-kernel', '--out', '/dev/null'], 20_000, { env: { [CGROUP_PARENT_ENV]: absent } });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '', 'nothing ran');
    assert.match(run.stderr, NEEDS);
    // Where the machine could run it, the reason is the missing cgroup; elsewhere it is the machine's own.
    if (support.ok) assert.ok(run.stderr.includes(`cannot make a child memory cgroup under ${absent} (ENOENT: no such cgroup)`), run.stderr);
    assert.equal(existsSync(absent), false);
  });

  it('exits 2 with one line saying why: a memory cgroup outside its own, which the kit refuses', async (t) => {
    const support = kernelSupport();
    if (!support.ok) return t.skip(`no memory cgroup of its own: ${support.reason}`);
    const run = await runCliWithin(['demo', '--real-kernel', '--out', '/dev/null'], 20_000, { env: { [CGROUP_PARENT_ENV]: '/sys/fs/cgroup/memory' } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, NEEDS);
    assert.ok(run.stderr.includes(`${CGROUP_PARENT_ENV}=/sys/fs/cgroup/memory is not inside this process's memory cgroup ${support.parentCgroupDir}`), run.stderr);
  });
});

describeKernel('--real-kernel: Ctrl-C leaves no cgroup, data file or process behind', () => {
  /**
   * Starts a run in a process group of its own (as a shell starts a command), exporting to `collectorUrl`;
   * resolves once its containers run and it has exported once.
   */
  async function startRun(t: TestContext, collectorUrl: string) {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-kernel-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const args = ['demo', '--real-kernel', '--duration', '60', '--export-every', '1', '--collector-url', collectorUrl, '--out', join(dir, 'run.svg')];
    const cli = startCli(args, 60_000, { detached: true });
    t.after(() => cli.child.kill('SIGKILL'));
    const containerPids = await waitFor("the demo's two containers to run in their cgroups", () => {
      const pids = processesInCgroupsOf(cli.child.pid!);
      return pids.length === 2 ? pids : undefined;
    });
    await waitFor('the first export', () => cli.stdout().includes('export #1 '));
    return { cli, containerPids };
  }

  it('Ctrl-C mid-run: final export, summary, exit code 130, and everything it made removed', async (t) => {
    const collector = await new OtlpReceiver().start();
    t.after(() => collector.close());
    const { cli, containerPids } = await startRun(t, collector.url);
    process.kill(-cli.child.pid!, 'SIGINT'); // the whole process group, as a terminal's Ctrl-C
    const run = await cli.done;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout, /^interrupted at /m);
    assert.match(run.stdout, /^Summary \(kernel figures, real time\): /m);
    assert.match(run.stdout, /^ {2}cleaned up: 2 container processes ended by pid, their 2 cgroups removed from /m);
    // The containers have process groups of their own: the Ctrl-C reached the demo, which ended them itself.
    assert.doesNotMatch(run.stdout, / ended at /, 'no container ended during the run');
    assert.deepEqual(leftoversOf(cli.child.pid!, containerPids), []);
  });

  it('a second Ctrl-C ends the demo at once (exit code 130), and its exit hook still removes everything it made', async (t) => {
    // The collector holds every export from the first Ctrl-C on, and sends the second Ctrl-C when one arrives:
    // the demo is then shutting the package down, its containers and cgroups still there.
    let interrupted = false;
    let secondSent = false;
    let releaseHeld!: () => void;
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    let pid = 0;
    const collector = await new OtlpReceiver({
      onExport: async () => {
        if (!interrupted) return;
        if (!secondSent) process.kill(-pid, 'SIGINT');
        secondSent = true;
        await held;
      },
    }).start();
    t.after(() => collector.close());
    t.after(() => releaseHeld());
    const { cli, containerPids } = await startRun(t, collector.url);
    pid = cli.child.pid!;
    interrupted = true;
    process.kill(-pid, 'SIGINT');
    const run = await cli.done;
    assert.equal(secondSent, true, 'the second Ctrl-C came while an export was held, before the demo cleaned up');
    assert.equal(run.code, 130, run.stderr);
    assert.doesNotMatch(run.stdout, /^Summary/m, 'it left at once, without the summary');
    assert.deepEqual(leftoversOf(pid, containerPids), []);
  });
});
