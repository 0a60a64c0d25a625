import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplaySource } from '../../tools/demo/src/replay-source';
import { ScenarioSource } from '../../tools/demo/src/scenario-source';
import { poolsAt } from '../../tools/demo/src/scenario';
import { cgroupV2Scenario, incidentScenario } from '../../tools/demo/src/scenarios';
import { startSimulatedEndpoint } from '../../tools/demo/src/simulated-endpoint';
import { FIXTURE_DIR, fixtureText, loadFixture } from '../../tools/testing/src';
import { ManualClock, httpGet, keyPaths } from './helpers';
import { join } from 'node:path';

const V1_TASK = 'fargate-task-metadata-3containers-ecs-exporter.json';
const V1_STATS = 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json';
const V2_TASK = 'managed-instances-task-metadata-3containers-ecs-exporter.json';
const V2_STATS = 'managed-instances-task-stats-cgroupv2-3containers-null-stopped-ecs-exporter.json';

/** Key paths of every live container entry of a fixture (they agree with each other within a fixture). */
function liveKeyPaths(statsFixture: string): Set<string> {
  const entries = Object.values(loadFixture(statsFixture)).filter((v) => v !== null);
  const sets = entries.map((e) => [...keyPaths(e)].sort().join('\n'));
  assert.equal(new Set(sets).size, 1, 'fixture containers share one shape');
  return keyPaths(entries[0]);
}

for (const [scenario, taskFixture, statsFixture] of [
  [incidentScenario(), V1_TASK, V1_STATS],
  [cgroupV2Scenario(), V2_TASK, V2_STATS],
] as const) {
  test(`${scenario.id}: /task and /task/stats have the keys of the real cgroup v${scenario.cgroup} payloads`, async (t) => {
    const clock = new ManualClock();
    const endpoint = await startSimulatedEndpoint(new ScenarioSource(scenario, Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
    t.after(() => endpoint.close());
    clock.t = 200;
    const task = JSON.parse((await httpGet(`${endpoint.url}/task`)).body);
    const stats = JSON.parse((await httpGet(`${endpoint.url}/task/stats`)).body);

    const realTask = loadFixture(taskFixture);
    assert.deepEqual(Object.keys(task).sort(), Object.keys(realTask).sort());
    const realContainerKeys = new Set(realTask.Containers.flatMap((c: object) => Object.keys(c)));
    for (const c of task.Containers) {
      for (const k of Object.keys(c)) assert.ok(realContainerKeys.has(k), `container key ${k} appears in the real /task`);
    }

    const expected = [...liveKeyPaths(statsFixture)].sort();
    const byId = new Map(task.Containers.map((c: any) => [c.DockerId, c]));
    assert.deepEqual(Object.keys(stats).sort(), [...byId.keys()].sort(), '/task/stats is keyed by the DockerIds of /task');
    for (const [id, entry] of Object.entries<any>(stats)) {
      const meta: any = byId.get(id);
      if (meta.KnownStatus !== 'RUNNING') {
        assert.equal(entry, null, 'a stopped container is null, as in the real payload');
        continue;
      }
      assert.deepEqual([...keyPaths(entry)].sort(), expected, `${meta.Name} has exactly the real key set`);
      assert.equal(entry.id, id);
      assert.equal(entry.name, meta.Name, 'Fargate/MI stats name is the bare container Name');
    }
  });
}

test('what the package never reads is a real payload\'s; the memory it reads is the scenario\'s', async (t) => {
  for (const [scenario, statsFixture] of [
    [incidentScenario(), V1_STATS],
    [cgroupV2Scenario(), V2_STATS],
  ] as const) {
    const clock = new ManualClock();
    const endpoint = await startSimulatedEndpoint(new ScenarioSource(scenario, Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
    t.after(() => endpoint.close());
    clock.t = 200;
    const stats = JSON.parse((await httpGet(`${endpoint.url}/task/stats`)).body);
    const scoring: any = Object.values(stats).find((e: any) => e?.name === 'scoring');
    const template: any = Object.values(loadFixture(statsFixture)).find((e: any) => e?.memory_stats !== undefined);
    for (const key of ['cpu_stats', 'precpu_stats', 'blkio_stats', 'networks', 'pids_stats']) {
      assert.deepEqual(scoring[key], template[key], `${scenario.id}: ${key} is the real payload's`);
    }
    // Whole pages of the scenario's pools at second 200 (MiB × 2^20, rounded to 4096 bytes).
    const spec = scenario.containers.find((c) => c.name === 'scoring')!;
    const pools = poolsAt(spec, 200);
    const pages = (mib: number): number => Math.round((mib * 2 ** 20) / 4096) * 4096;
    const [anon, active, inactive, kernel] = [pools.anonMib, pools.activeFileMib, pools.inactiveFileMib, spec.kernelMib].map(pages);
    const memory = scoring.memory_stats;
    assert.equal(memory.usage, anon + active + inactive + kernel, `${scenario.id}: usage`);
    if (scenario.cgroup === 1) {
      assert.equal(memory.stats.total_inactive_file, inactive);
      assert.equal(memory.stats.cache, active + inactive);
    } else {
      assert.equal(memory.stats.inactive_file, inactive);
      assert.equal(memory.stats.anon, anon);
    }
  }
});

test('statistics refresh every 10 simulated seconds; in between the cached sample is served unchanged', async (t) => {
  const clock = new ManualClock();
  const endpoint = await startSimulatedEndpoint(new ScenarioSource(incidentScenario(), Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
  t.after(() => endpoint.close());
  clock.t = 20;
  const a = (await httpGet(`${endpoint.url}/task/stats`)).body;
  clock.t = 29.999;
  const b = (await httpGet(`${endpoint.url}/task/stats`)).body;
  assert.equal(b, a, 'same sample until the next refresh');
  clock.t = 30;
  const c = JSON.parse((await httpGet(`${endpoint.url}/task/stats`)).body);
  const first = JSON.parse(a);
  for (const [id, entry] of Object.entries<any>(c)) {
    if (entry === null) continue;
    const before = first[id];
    assert.equal(entry.preread, before.read, 'preread of the new sample is the read of the previous one');
    assert.equal(Date.parse(entry.read) - Date.parse(before.read), 10_000, 'read advanced by one refresh period');
  }
});

test('/ and /stats describe the container the package runs in, from the same cached sample', async (t) => {
  const clock = new ManualClock();
  const endpoint = await startSimulatedEndpoint(new ScenarioSource(incidentScenario(), Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
  t.after(() => endpoint.close());
  clock.t = 125;
  const self = JSON.parse((await httpGet(`${endpoint.url}`)).body);
  const selfStats = JSON.parse((await httpGet(`${endpoint.url}/stats`)).body);
  const all = JSON.parse((await httpGet(`${endpoint.url}/task/stats`)).body);
  assert.equal(self.Name, incidentScenario().selfContainer);
  assert.deepEqual(selfStats, all[self.DockerId]);
  const missing = await httpGet(`${endpoint.url}/nope`);
  assert.equal(missing.status, 404);
});

test('cgroup v1 max_usage keeps a spike that fell between two samples', async (t) => {
  const scenario = incidentScenario();
  const scoring = scenario.containers.find((c) => c.name === 'scoring')!;
  const spike = scoring.spikes[0];
  const clock = new ManualClock();
  const endpoint = await startSimulatedEndpoint(new ScenarioSource(scenario, Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
  t.after(() => endpoint.close());
  const usageAround: number[] = [];
  let maxAfter = 0;
  // The refreshes just before and just after the spike's centre.
  for (const at of [Math.floor(spike.centreSeconds / 10) * 10, Math.ceil(spike.centreSeconds / 10) * 10]) {
    clock.t = at;
    const stats = JSON.parse((await httpGet(`${endpoint.url}/stats`)).body);
    usageAround.push(stats.memory_stats.usage);
    maxAfter = stats.memory_stats.max_usage;
  }
  assert.ok(maxAfter > Math.max(...usageAround), 'the peak is higher than any sampled usage around it');
  // At the centre, anon holds spike.anonMib more than the surrounding level; the samples only part of it.
  assert.ok(maxAfter - Math.max(...usageAround) > (spike.anonMib - spike.reclaimInactiveFileMib) * 0.4 * 2 ** 20);
});

test('replay serves a saved /task + /task/stats pair byte for byte, forever the same sample', async (t) => {
  const clock = new ManualClock();
  const source = new ReplaySource(join(FIXTURE_DIR, V1_TASK), join(FIXTURE_DIR, V1_STATS));
  const endpoint = await startSimulatedEndpoint(source, clock);
  t.after(() => endpoint.close());
  assert.equal((await httpGet(`${endpoint.url}/task`)).body, fixtureText(V1_TASK));
  assert.equal((await httpGet(`${endpoint.url}/task/stats`)).body, fixtureText(V1_STATS));
  clock.t = 600;
  assert.equal((await httpGet(`${endpoint.url}/task/stats`)).body, fixtureText(V1_STATS));
  const self = JSON.parse((await httpGet(endpoint.url)).body);
  assert.equal(self.Name, 'prometheus', 'the first container that has statistics');
});
