import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplaySource } from '../../tools/demo/src/replay-source';
import { ScenarioSource } from '../../tools/demo/src/scenario-source';
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
  test(`${scenario.id}: /task and /task/stats have the keys of the real ${scenario.cgroup} payloads`, async (t) => {
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
    assert.equal(entry.precpu_stats.cpu_usage.total_usage, before.cpu_stats.cpu_usage.total_usage);
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
