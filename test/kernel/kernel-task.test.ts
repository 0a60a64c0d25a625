/**
 * The kernel-backed task itself (tools/testing/src/kernel-task): what its endpoint serves, on what cadence, where
 * its cgroups live and that it leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { get } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { it } from 'node:test';
import { CGROUP_NAME_PREFIX, CONTAINER_PROGRAM, CONTAINER_PROGRAM_PATH, DOCKER_V1_MEMORY_STAT_KEYS, kernelSupport, type KernelTask, loadFixture, sampleAt, sweepLeftoverCgroups, waitFor, withKernelTask, ZERO_TIME } from '../../tools/testing/src';
import { describeKernel } from './kernel-suite';

const MIB = 2 ** 20;
const TWO_CONTAINERS = {
  containers: [
    { name: 'app', cgroupLimitBytes: 128 * MIB, metadataMemoryLimitMib: 128 },
    { name: 'sidecar', cgroupLimitBytes: 64 * MIB },
  ],
};

/** The real EC2 cgroup v1 payloads this endpoint imitates (test/fixtures/tmde-v4/SOURCES.md). */
const EC2_V1_STATS = loadFixture('ec2-task-stats-cgroupv1-bridge-3containers-empty-stopped-otelcontrib.json');
const EC2_TASK = loadFixture('ec2-task-metadata-bridge-3containers-one-stopped-ecs-exporter.json');

async function getText(url: string): Promise<{ text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    }).on('error', reject);
  });
}

async function getJson(url: string): Promise<any> {
  return JSON.parse((await getText(url)).text);
}

/** `/proc/<pid>/cgroup`'s memory path. */
function memoryCgroupOf(pid: number | 'self'): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes('memory'));
  return line!.split(':').slice(2).join(':');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

async function fetchHeld(task: KernelTask, path: string): Promise<{ text: string; refreshSeq: number }> {
  const release = task.holdRefreshes();
  try {
    return { text: (await getText(task.uri + path)).text, refreshSeq: task.lastRefresh.seq };
  } finally {
    release();
  }
}

describeKernel('kernel-backed task: the endpoint and its cgroups', () => {
  it('serves /task/stats from the cgroups\' files in the real EC2 cgroup v1 shape, with exact 64-bit integers', async () => {
    await withKernelTask(TWO_CONTAINERS, async (task) => {
      // A peak above the current usage, and page cache, so that no two of the figures are alike by chance.
      await task.container('app').spike(32 * MIB);
      await task.container('app').readFile(await task.createUncachedFile(8 * MIB));
      await task.nextRefresh();
      const { text, refreshSeq } = await fetchHeld(task, '/task/stats');
      const refresh = task.refreshes.find((r) => r.seq === refreshSeq)!;
      assert.equal(text, refresh.statsJson, 'the body served is the one recorded for the refresh');
      const stats = JSON.parse(text);
      const real = Object.values(EC2_V1_STATS).find((entry: any) => entry?.memory_stats !== undefined) as any;
      const app = stats[task.container('app').dockerId];
      assert.deepEqual(Object.keys(app), Object.keys(real));
      assert.deepEqual(Object.keys(app.memory_stats), Object.keys(real.memory_stats), 'usage, max_usage, stats, limit (failcnt 0 is omitted)');
      assert.deepEqual(Object.keys(app.memory_stats.stats), Object.keys(real.memory_stats.stats));
      assert.deepEqual([...DOCKER_V1_MEMORY_STAT_KEYS], Object.keys(real.memory_stats.stats));
      // Docker's mapping, from this refresh's files.
      const sample = sampleAt(refresh, 'app');
      assert.ok(sample.maxUsageInBytes > sample.usageInBytes && sample.stat['cache'] > 0n, 'preconditions: a peak, and cache');
      assert.equal(app.memory_stats.usage, Number(sample.usageInBytes));
      assert.equal(app.memory_stats.max_usage, Number(sample.maxUsageInBytes));
      assert.equal(app.memory_stats.limit, Number(sample.limitInBytes));
      assert.equal(app.memory_stats.limit, 128 * MIB);
      for (const key of DOCKER_V1_MEMORY_STAT_KEYS) assert.equal(app.memory_stats.stats[key], Number(sample.stat[key]), key);
      assert.equal(app.id, task.container('app').dockerId);
      // The kernel's "no limit" (2^63 − 4096) as Go writes it, not as a JS number would (…772000).
      assert.match(text, /"hierarchical_memsw_limit":9223372036854771712[,}]/);
    });
  });

  it('serves /task and the base URI in the real EC2 shapes, with the metadata limits it was given', async () => {
    await withKernelTask(TWO_CONTAINERS, async (task) => {
      const taskPayload = await getJson(`${task.uri}/task`);
      const realContainer = EC2_TASK.Containers.find((c: any) => c.KnownStatus === 'RUNNING' && c.Ports === undefined);
      // VPCID and ServiceName are for awsvpc and service tasks; this one is a bridge-mode task run on its own.
      assert.deepEqual(Object.keys(taskPayload), Object.keys(EC2_TASK).filter((k) => k !== 'VPCID' && k !== 'ServiceName'));
      // The real container had volumes; the agent omits an empty Volumes.
      for (const container of taskPayload.Containers) {
        assert.deepEqual(Object.keys(container), Object.keys(realContainer).filter((k) => k !== 'Volumes'));
      }
      assert.deepEqual(
        taskPayload.Containers.map((c: any) => [c.Name, c.DockerId, c.KnownStatus, c.Limits]),
        [
          ['app', task.container('app').dockerId, 'RUNNING', { CPU: 0, Memory: 128 }],
          ['sidecar', task.container('sidecar').dockerId, 'RUNNING', { CPU: 0 }],
        ],
      );
      assert.deepEqual(await getJson(task.uri), taskPayload.Containers[0], 'the base URI: the first container\'s own metadata');
    });
  });

  it('refreshes on its cadence with read/preread, serves the cached sample in between, and sends no keep-alive hint', async () => {
    await withKernelTask({ containers: [{ name: 'app', cgroupLimitBytes: 64 * MIB }] }, async (task) => {
      const first = task.refreshes[0];
      const firstEntry = JSON.parse(first.statsJson)[task.container('app').dockerId];
      assert.equal(firstEntry.preread, ZERO_TIME, 'Docker\'s first sample has the zero time as preread');
      const r1 = await task.nextRefresh();
      const r2 = await task.nextRefresh();
      assert.equal(r2.seq, r1.seq + 1);
      const read1 = r1.containers.get('app')!.read!;
      const read2 = r2.containers.get('app')!.read!;
      assert.ok(Date.parse(read2) > Date.parse(read1), `${read2} after ${read1}`);
      assert.equal(JSON.parse(r2.statsJson)[task.container('app').dockerId].preread, read1);

      const release = task.holdRefreshes();
      try {
        const a = await getText(`${task.uri}/task/stats`);
        const b = await getText(`${task.uri}/task/stats`);
        assert.equal(a.text, task.lastRefresh.statsJson);
        assert.equal(b.text, a.text, 'between refreshes, the same cached sample');
        assert.equal(a.headers['keep-alive'], undefined);
        assert.equal(a.headers['content-type'], 'application/json');
      } finally {
        release();
      }
      assert.equal((await getText(`${task.uri}/task/other`)).text, '"V4 handler: not found"');
    });
  });

  it('a container that ends is STOPPED with its exit code in /task from then on, and its stats entry {} from the next refresh', async () => {
    await withKernelTask({ ...TWO_CONTAINERS, stoppedStats: 'empty' }, async (task) => {
      const sidecar = task.container('sidecar');
      const exit = await sidecar.kill(); // SIGKILL by its pid: 128 + 9, and no OOM kill
      assert.deepEqual([exit.exitCode, exit.signal, exit.oomKilled], [137, 'SIGKILL', false]);
      const stoppedEntry = (await getJson(`${task.uri}/task`)).Containers[1];
      assert.deepEqual([stoppedEntry.Name, stoppedEntry.KnownStatus, stoppedEntry.ExitCode], ['sidecar', 'STOPPED', 137]);
      assert.equal(Date.parse(stoppedEntry.FinishedAt), exit.finishedAtMillis);
      const refresh = await task.nextRefresh();
      const stats = JSON.parse(refresh.statsJson);
      assert.deepEqual(stats[sidecar.dockerId], {});
      assert.equal(stats[task.container('app').dockerId].id, task.container('app').dockerId, 'the other container runs on');
    });
  });

  it('makes its cgroups under the test process\'s own memory cgroup, runs only the containers there, removes everything', async () => {
    const support = kernelSupport();
    assert.ok(support.ok);
    const ownCgroupBefore = memoryCgroupOf('self');
    let dirs: string[] = [];
    let pids: number[] = [];
    await withKernelTask(TWO_CONTAINERS, (task) => {
      for (const name of ['app', 'sidecar']) {
        const container = task.container(name);
        dirs.push(container.cgroup.dir);
        pids.push(container.pid);
        assert.equal(dirname(container.cgroup.dir), support.parentCgroupDir);
        assert.ok(basename(container.cgroup.dir).startsWith(`${CGROUP_NAME_PREFIX}${process.pid}-`));
        assert.equal(memoryCgroupOf(container.pid), `${ownCgroupBefore}/${basename(container.cgroup.dir)}`);
        assert.deepEqual(container.cgroup.pids(), [container.pid], 'the container\'s process, and nothing else');
      }
      assert.equal(memoryCgroupOf('self'), ownCgroupBefore, 'the test process was not moved');
    });
    for (const dir of dirs) assert.equal(existsSync(dir), false, `${dir} removed`);
    for (const pid of pids) assert.equal(isAlive(pid), false, `process ${pid} ended`);

    // The same when the test body throws half-way.
    dirs = [];
    pids = [];
    await assert.rejects(
      withKernelTask(TWO_CONTAINERS, async (task) => {
        dirs = ['app', 'sidecar'].map((name) => task.container(name).cgroup.dir);
        pids = ['app', 'sidecar'].map((name) => task.container(name).pid);
        await task.createUncachedFile(MIB);
        throw new Error('forced failure mid-test');
      }),
      /forced failure mid-test/,
    );
    for (const dir of dirs) assert.equal(existsSync(dir), false, `${dir} removed after a failure`);
    for (const pid of pids) assert.equal(isAlive(pid), false, `process ${pid} ended after a failure`);
  });

  it('sweeps a previous run\'s leftovers (owner gone), ending their container processes, and nothing else', async () => {
    const support = kernelSupport();
    assert.ok(support.ok);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a pid whose process has ended
    const leftover = join(support.parentCgroupDir, `${CGROUP_NAME_PREFIX}${gone}-1-leftover`);
    const parallel = join(support.parentCgroupDir, `${CGROUP_NAME_PREFIX}${process.ppid}-1-parallel-run`);
    mkdirSync(leftover);
    mkdirSync(parallel);
    // A container program left running in the leftover, as a killed test process would leave it.
    const orphan = spawn('/bin/sh', ['-c', 'echo $$ > "$1" && exec "$2" "$3"', 'sh', join(leftover, 'cgroup.procs'), process.execPath, CONTAINER_PROGRAM_PATH], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const orphanExit = new Promise<NodeJS.Signals | null>((resolve) => orphan.on('exit', (_, signal) => resolve(signal)));
    try {
      await waitFor('the orphan to run in the leftover cgroup', () => readFileSync(join(leftover, 'cgroup.procs'), 'utf8').includes(String(orphan.pid)));
      const removed = await sweepLeftoverCgroups(support.parentCgroupDir, CONTAINER_PROGRAM);
      assert.ok(removed.includes(leftover), `removed: ${removed.join(', ')}`);
      assert.equal(existsSync(leftover), false);
      assert.equal(await orphanExit, 'SIGKILL', 'its process was ended by pid');
      assert.equal(existsSync(parallel), true, 'a cgroup whose owner is alive (a parallel test file) is left alone');
    } finally {
      orphan.kill('SIGKILL');
      await orphanExit;
      rmdirSync(parallel);
      if (existsSync(leftover)) await waitFor('the leftover to be removable', () => tryRmdir(leftover));
    }
  });
});
