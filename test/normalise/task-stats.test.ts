import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTaskMetadata } from '../../src/normalise/task-metadata';
import { readTaskStats, type TaskStatsReading } from '../../src/normalise/task-stats';
import { daemonTaskPairs, EC2_WINDOWS_DOCKER_ID, ec2WindowsTaskStats, fargateWindowsDockerId, FIXTURE_PAIRS, loadFixture, MIB, WINDOWS_FIXTURES, windowsTaskMetadata } from '../../tools/testing/src';

/** Figures per container name, bytes, as the pure normalisation computes them for one payload pair. */
function figures(pair: { task: string; stats: string }): Record<string, object> {
  const task = parseTaskMetadata(loadFixture(pair.task))!;
  const reading = readTaskStats(loadFixture(pair.stats), task)!;
  return byName(reading);
}

function byName(reading: TaskStatsReading): Record<string, object> {
  const out: Record<string, object> = {};
  for (const c of reading.containers) {
    out[c.container.name] = {
      cgroup: c.stats.cgroupVersion,
      usage: c.stats.usageBytes,
      kernelMax: c.stats.maxUsageBytes,
      limit: c.limitBytes,
      workingSet: c.workingSetBytes,
      utilized: c.utilizedBytes,
    };
  }
  return out;
}

// Every expected number below is copied from the payload's own fields, with the formula written out.
describe('readTaskStats on every real payload pair', () => {
  it('Fargate 2025, cgroup v1: task limit 512 MiB; working set subtracts total_inactive_file, utilized subtracts cache', () => {
    assert.deepEqual(figures(FIXTURE_PAIRS.fargateV1), {
      // nonessential: stats null (stopped) → not reported
      prometheus: {
        cgroup: 1,
        usage: 127934464,
        kernelMax: 128557056,
        limit: 512 * MIB, // no container Limits.Memory; task Limits.Memory 512
        workingSet: 127934464 - 52383744, // usage − total_inactive_file = 75550720
        utilized: 127934464 - 85426176, // usage − cache = 42508288
      },
      'ecs-exporter': {
        cgroup: 1,
        usage: 84111360,
        kernelMax: 84238336,
        limit: 512 * MIB,
        workingSet: 84111360 - 39100416, // = 45010944
        utilized: 84111360 - 42442752, // = 41668608
      },
    });
  });

  it('Fargate 2021, cgroup v1: {} for the stopped container; `limit` is the 2^63−4096 sentinel, the task limit wins', () => {
    assert.deepEqual(figures(FIXTURE_PAIRS.fargateV1Old), {
      essential: { cgroup: 1, usage: 974848, kernelMax: 7958528, limit: 512 * MIB, workingSet: 974848 - 0, utilized: 974848 - 0 },
    });
  });

  it('EC2 AL2023, cgroup v2: container limit 256 MiB; both formulas subtract inactive_file; no kernel peak', () => {
    assert.deepEqual(figures(FIXTURE_PAIRS.ec2V2), {
      'ecs-exporter': { cgroup: 2, usage: 65249280, kernelMax: undefined, limit: 256 * MIB, workingSet: 65249280 - 17641472, utilized: 65249280 - 17641472 },
      prometheus: { cgroup: 2, usage: 60981248, kernelMax: undefined, limit: 256 * MIB, workingSet: 60981248 - 11046912, utilized: 60981248 - 11046912 },
    });
  });

  it('EC2 2020, cgroup v1: joins on DockerId, not the Docker name /ecs-three-nginx-1-nginx300-…', () => {
    assert.deepEqual(figures(FIXTURE_PAIRS.ec2V1), {
      nginx300: { cgroup: 1, usage: 2658304, kernelMax: 6320128, limit: 128 * MIB, workingSet: 2658304 - 12288, utilized: 2658304 - 65536 },
      nginx100: { cgroup: 1, usage: 2568192, kernelMax: 6242304, limit: 128 * MIB, workingSet: 2568192 - 12288, utilized: 2568192 - 69632 },
    });
  });

  it('Managed Instances, cgroup v2: container limits 128 and 96 MiB beat the task limit 256 MiB', () => {
    assert.deepEqual(figures(FIXTURE_PAIRS.managedInstancesV2), {
      'ecs-exporter': { cgroup: 2, usage: 38309888, kernelMax: undefined, limit: 128 * MIB, workingSet: 38309888 - 18046976, utilized: 38309888 - 18046976 },
      main: { cgroup: 2, usage: 99540992, kernelMax: undefined, limit: 96 * MIB, workingSet: 99540992 - 43839488, utilized: 99540992 - 43839488 },
    });
  });

  it('reports stats whose DockerId /task does not know as unknown (the two AWS docs examples come from different runs)', () => {
    const task = parseTaskMetadata(loadFixture('ec2-task-metadata-awsvpc-with-pause-awsdocs.json'))!;
    const reading = readTaskStats(loadFixture('ec2-task-stats-cgroupv1-with-pause-awsdocs.json'), task)!;
    assert.equal(reading.containers.length, 0);
    assert.equal(reading.unknownDockerIds.length, 2);
  });

  it('drops a container whose usage is invalid and keeps the others', () => {
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.ec2V2.task))!;
    const stats = loadFixture(FIXTURE_PAIRS.ec2V2.stats);
    const exporterId = Object.keys(stats).find((k) => stats[k]?.name?.includes('ecs-exporter'))!;
    stats[exporterId].memory_stats.usage = '65249280';
    const reading = readTaskStats(stats, task)!;
    assert.deepEqual(reading.invalidDockerIds, [exporterId]);
    assert.deepEqual(reading.containers.map((c) => c.container.name), ['prometheus']);
  });

  it('returns undefined for a payload that is not a stats map', () => {
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.ec2V2.task))!;
    assert.equal(readTaskStats([], task), undefined);
    assert.equal(readTaskStats('x', task), undefined);
  });
});

// The stats are real (SOURCES.md); no public Windows /task exists, so each test builds a minimal one.
describe('readTaskStats on the real Windows payloads', () => {
  it('EC2 Windows (Docker): usage = commitbytes, peak = commitpeakbytes, working set = utilized = privateworkingset', () => {
    const memory = loadFixture(WINDOWS_FIXTURES.ec2).memory_stats;
    const task = parseTaskMetadata(windowsTaskMetadata(EC2_WINDOWS_DOCKER_ID, 'iis', { containerMib: 512 }))!;
    const reading = readTaskStats(ec2WindowsTaskStats(), task)!;
    assert.deepEqual(reading.invalidDockerIds, []);
    assert.deepEqual(byName(reading), {
      iis: {
        cgroup: undefined,
        usage: memory.commitbytes, // 114061312 B = 108.77734375 MiB
        kernelMax: memory.commitpeakbytes, // 139227136 B = 132.77734375 MiB
        limit: 512 * MIB, // the container's Limits.Memory: Docker on Windows serves no `limit`
        workingSet: memory.privateworkingset, // 85532672 B = 81.5703125 MiB
        utilized: memory.privateworkingset, // the ECS agent's Windows formula (utils_windows.go)
      },
    });
    assert.equal(memory.commitbytes, 114061312);
    assert.equal(memory.privateworkingset, 85532672);
  });

  it('Fargate Windows: no commit bytes, so usage = usage and peak = max_usage; the task limit applies', () => {
    const id = fargateWindowsDockerId();
    const memory = loadFixture(WINDOWS_FIXTURES.fargate)[id].memory_stats;
    const task = parseTaskMetadata(windowsTaskMetadata(id, 'datadog-agent', { taskMib: 2048 }))!;
    assert.deepEqual(byName(readTaskStats(loadFixture(WINDOWS_FIXTURES.fargate), task)!), {
      'datadog-agent': {
        cgroup: undefined,
        usage: memory.usage, // 210485248 B = 200.734375 MiB
        kernelMax: memory.max_usage, // 211410944 B = 201.6171875 MiB
        limit: 2048 * MIB, // no container limit; the task's Limits.Memory
        workingSet: memory.privateworkingset, // 140673024 B = 134.15625 MiB
        utilized: memory.privateworkingset,
      },
    });
    assert.equal(memory.usage, 210485248);
  });

  it('Windows without any metadata limit: MemoryLimit is omitted (no Windows payload has `limit`)', () => {
    const task = parseTaskMetadata(windowsTaskMetadata(EC2_WINDOWS_DOCKER_ID, 'iis', {}))!;
    assert.equal(readTaskStats(ec2WindowsTaskStats(), task)!.containers[0].limitBytes, undefined);
  });
});

describe('readTaskStats on the cgroup v2 payload without inactive_file (Managed Instances daemon fixture)', () => {
  it('estimates inactive file as file − active_file (no shmem either), for both tasks of the array', () => {
    const out: Record<string, object> = {};
    for (const { task, stats } of daemonTaskPairs()) {
      for (const c of readTaskStats(stats, parseTaskMetadata(task)!)!.containers) {
        out[c.container.name] = { ...byName({ containers: [c], unknownDockerIds: [], invalidDockerIds: [] })[c.container.name], estimate: c.inactiveFileEstimate };
      }
    }
    assert.deepEqual(out, {
      'monitor-agent': {
        cgroup: 2,
        usage: 66203648,
        kernelMax: undefined,
        limit: 512 * MIB, // no container limit; task Limits.Memory 512 (`limit` is 2^64 − 1)
        workingSet: 66203648 - (43503616 - 479232), // usage − (file − active_file) = 23179264
        utilized: 66203648 - (43503616 - 479232),
        estimate: 'estimated-without-shmem',
      },
      'nginx-proxy': {
        cgroup: 2,
        usage: 46559232,
        kernelMax: undefined,
        limit: 2048 * MIB, // task Limits.Memory 2048
        workingSet: 46559232 - (23621632 - 12488704), // = 35426304
        utilized: 46559232 - (23621632 - 12488704),
        estimate: 'estimated-without-shmem',
      },
    });
  });

  it('says nothing of an estimate on payloads that carry inactive_file', () => {
    const task = parseTaskMetadata(loadFixture(FIXTURE_PAIRS.managedInstancesV2.task))!;
    const reading = readTaskStats(loadFixture(FIXTURE_PAIRS.managedInstancesV2.stats), task)!;
    assert.deepEqual(reading.containers.map((c) => c.inactiveFileEstimate), [undefined, undefined]);
  });
});

describe('readTaskStats with impossible metadata limits: the next source applies', () => {
  it('container 1e308 MiB → the task limit; task 1e13 MiB too → the cgroup limit from memory_stats.limit', () => {
    const pair = FIXTURE_PAIRS.managedInstancesV2;
    const stats = loadFixture(pair.stats);
    const mainStats = Object.values<any>(stats).find((e) => e?.name === 'main');
    const task = loadFixture(pair.task);
    const main = task.Containers.find((c: any) => c.Name === 'main');
    const limitOfMain = (t: any) => readTaskStats(stats, parseTaskMetadata(t)!)!.containers.find((c) => c.container.name === 'main')!.limitBytes;

    main.Limits.Memory = 1e308;
    assert.equal(limitOfMain(task), task.Limits.Memory * MIB); // 256 MiB, not Infinity
    task.Limits.Memory = 1e13;
    assert.equal(limitOfMain(task), mainStats.memory_stats.limit); // 100663296 B = 96 MiB, what the cgroup enforces
    assert.equal(mainStats.memory_stats.limit, 96 * MIB);
    main.Limits.Memory = 2 ** 42; // the boundary: 2^62 bytes
    assert.equal(limitOfMain(task), mainStats.memory_stats.limit);
    main.Limits.Memory = 2 ** 42 - 1;
    assert.equal(limitOfMain(task), (2 ** 42 - 1) * MIB);
  });
});
