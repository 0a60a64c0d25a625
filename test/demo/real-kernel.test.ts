/**
 * `npm start -- --real-kernel` (issue 12, part 4): the demo's incident on real processes in real memory cgroups,
 * in real time. The CLI runs as a user runs it; the exports reach a receiver of the test's own (through
 * --collector-url, so their exact values), and the run's own log of the kernel's readings
 * (`<picture>.kernel.json`) says what the kernel's files held at each refresh and which refresh each
 * `/task/stats` response served.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it, type TestContext } from 'node:test';
import { ATTR_CONTAINER_NAME, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE } from '../../src';
import { JOB, JOB_HELD_MIB, JOB_LIMIT_MIB, SIDECAR, SPIKE_MIB } from '../../tools/demo/src/kernel-incident';
import { otlpPoints, OtlpReceiver, waitFor } from '../../tools/testing/src';
import { describeKernel } from '../kernel/kernel-suite';
import { startCli } from './helpers';
import { leftoversOf, processesInCgroupsOf } from './kernel-leftovers';

const MIB = 2 ** 20;

/** The shortest run the demo accepts with --real-kernel, one export every 2 s: about 12 s with the setup. */
const SHORT = ['--duration', '10', '--export-every', '2'];

interface KernelFiles {
  usage_in_bytes: number;
  max_usage_in_bytes: number;
  limit_in_bytes: number;
}

/** The readings log (bigints arrive as JSON numbers: every figure compared here is below 2^53, so exact). */
interface Readings {
  containers: Array<{ name: string; pid: number; exitDuringRun: { exitCode: number; oomKilled: boolean; signal: string | null } | null }>;
  steps: Array<{ container: string; did: string; kernel: KernelFiles | null }>;
  refreshes: Array<{ seq: number; containers: Record<string, KernelFiles | null> }>;
  servedRefreshSeqs: number[];
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-kernel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One figure of one container in one export body, or undefined. */
function exported(body: unknown, container: string, metric: string): number | undefined {
  return otlpPoints(body).find((p) => p.attributes[ATTR_CONTAINER_NAME] === container && p.metric === metric)?.value;
}

/** Runs the CLI with --real-kernel and `args` to its end; the container processes it ran, seen while it ran. */
async function runRealKernel(t: TestContext, args: readonly string[]) {
  const dir = tempDir(t);
  const receiver = await new OtlpReceiver().start();
  t.after(() => receiver.close());
  const svg = join(dir, 'run.svg');
  const cli = startCli(['demo', '--real-kernel', ...args, '--collector-url', receiver.url, '--out', svg], 90_000);
  t.after(() => cli.child.kill('SIGKILL'));
  const containerPids = await waitFor("the demo's two containers to run in their cgroups", () => {
    const pids = processesInCgroupsOf(cli.child.pid!);
    return pids.length === 2 ? pids : undefined;
  });
  const run = await cli.done;
  const readings = JSON.parse(readFileSync(join(dir, 'run.kernel.json'), 'utf8')) as Readings;
  return { run, receiver, readings, svg, cliPid: cli.child.pid!, containerPids };
}

describeKernel('npm start -- --real-kernel: the incident on real processes, in real time', () => {
  it("exits 0 labelled as kernel figures; each container's last MaxMemoryUsage is the kernel's max_usage at the last refresh served; the spike shows in MaxMemoryUsage only; nothing is left", async (t) => {
    const { run, receiver, readings, svg, cliPid, containerPids } = await runRealKernel(t, SHORT);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Summary \(kernel figures, real time\): 00:10, \d+ exports, \d+ distinct endpoint samples$/m);
    const picture = readFileSync(svg, 'utf8');
    assert.match(picture, /class="title">Kernel figures: /);
    assert.match(picture, /Real time since task start \(seconds\)/);

    // The final export (at shutdown) carries the final sample: the last refresh /task/stats served.
    const lastServed = readings.refreshes.find((r) => r.seq === readings.servedRefreshSeqs.at(-1))!;
    const last = receiver.bodies.at(-1);
    assert.deepEqual(otlpPoints(last).map((p) => p.attributes[ATTR_CONTAINER_NAME]).filter((c, i, all) => all.indexOf(c) === i).sort(), [JOB, SIDECAR].sort());
    for (const name of [JOB, SIDECAR]) {
      const kernel = lastServed.containers[name]!;
      // The package's MiB: the kernel's bytes / 2^20.
      assert.equal(exported(last, name, METRIC_MAX_MEMORY_USAGE), kernel.max_usage_in_bytes / MIB, `${name} MaxMemoryUsage`);
      assert.equal(exported(last, name, METRIC_MEMORY_USAGE), kernel.usage_in_bytes / MIB, `${name} MemoryUsage`);
      assert.equal(exported(last, name, METRIC_MEMORY_LIMIT), kernel.limit_in_bytes / MIB, `${name} MemoryLimit`);
    }
    assert.equal(exported(last, JOB, METRIC_MEMORY_LIMIT), JOB_LIMIT_MIB);

    // The spike: the job holds 48 MiB and allocates 320 MiB more at once, so the kernel charged at least
    // 48 + 320 = 368 MiB; its usage otherwise stays at most 48 held + 4 × 48 MiB of data set in cache + node's own
    // (under 100 MiB) = 340 MiB, and no refresh reads the cgroup during the spike.
    const spikeFloorMib = JOB_HELD_MIB + SPIKE_MIB;
    const spike = readings.steps.find((s) => s.container === JOB && s.did === 'spike')!;
    assert.ok(spike.kernel!.max_usage_in_bytes >= spikeFloorMib * MIB, `the kernel's max_usage after the spike: ${spike.kernel!.max_usage_in_bytes}`);
    const peaks = receiver.bodies.map((body) => exported(body, JOB, METRIC_MAX_MEMORY_USAGE)!);
    const usages = receiver.bodies.map((body) => exported(body, JOB, METRIC_MEMORY_USAGE)!);
    assert.ok(peaks[0] < spikeFloorMib && peaks.at(-1)! >= spikeFloorMib, `MaxMemoryUsage exported: ${peaks.join(', ')}`);
    assert.ok(usages.every((usage) => usage < spikeFloorMib), `MemoryUsage exported: ${usages.join(', ')}`);

    assert.deepEqual(leftoversOf(cliPid, containerPids), [], 'no cgroup, data file or process left');
  });

  it('--oom: the job grows past its limit, the kernel OOM-kills it (exit code 137), it leaves the export, and the run ends normally', async (t) => {
    const { run, receiver, readings, cliPid, containerPids } = await runRealKernel(t, [...SHORT, '--oom']);
    assert.equal(run.code, 0, run.stderr);
    // 137 = 128 + 9: SIGKILL, the OOM killer's signal.
    assert.match(run.stdout, new RegExp(`${JOB}: grows past its ${JOB_LIMIT_MIB}\\.0 MiB limit → the kernel's OOM killer ends it: exit code 137 \\(SIGKILL\\)`));
    const job = readings.containers.find((c) => c.name === JOB)!;
    assert.deepEqual(job.exitDuringRun && [job.exitDuringRun.exitCode, job.exitDuringRun.signal, job.exitDuringRun.oomKilled], [137, 'SIGKILL', true]);
    assert.equal(readings.containers.find((c) => c.name === SIDECAR)!.exitDuringRun, null, 'the sidecar ran on');
    // The job is in the first exports and not in the last; the sidecar is in every one.
    assert.notEqual(exported(receiver.bodies[0], JOB, METRIC_MEMORY_USAGE), undefined);
    assert.equal(exported(receiver.bodies.at(-1), JOB, METRIC_MEMORY_USAGE), undefined, 'no stale series for the killed job');
    assert.ok(receiver.bodies.every((body) => exported(body, SIDECAR, METRIC_MEMORY_USAGE) !== undefined));
    assert.deepEqual(leftoversOf(cliPid, containerPids), [], 'no cgroup, data file or process left');
  });
});
