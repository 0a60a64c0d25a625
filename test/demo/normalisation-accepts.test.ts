import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTaskMetadata } from '../../src/normalise/task-metadata';
import { readTaskStats } from '../../src/normalise/task-stats';
import { effectiveLimitMib } from '../../tools/demo/src/scenario';
import { ScenarioSource } from '../../tools/demo/src/scenario-source';
import { cgroupV2Scenario, incidentScenario } from '../../tools/demo/src/scenarios';
import { startSimulatedEndpoint } from '../../tools/demo/src/simulated-endpoint';
import { ManualClock, httpGet } from './helpers';

const MIB = 2 ** 20;

for (const scenario of [incidentScenario(), cgroupV2Scenario()]) {
  test(`${scenario.id}: the package's normalisation reads every running container of the simulated task`, async (t) => {
    const clock = new ManualClock();
    const endpoint = await startSimulatedEndpoint(new ScenarioSource(scenario, Date.UTC(2026, 10, 30, 23, 0, 0)), clock);
    t.after(() => endpoint.close());
    const running = scenario.containers.filter((c) => c.running);
    // Start, mid-load, the spike's neighbourhood and the end of the default run.
    for (const at of [0, 95, 340, 350, scenario.durationSeconds]) {
      clock.t = at;
      const task = parseTaskMetadata(JSON.parse((await httpGet(`${endpoint.url}/task`)).body));
      assert.ok(task !== undefined, '/task is accepted');
      assert.equal(task.family, scenario.family);
      assert.equal(task.clusterName, scenario.clusterName);
      const reading = readTaskStats(JSON.parse((await httpGet(`${endpoint.url}/task/stats`)).body), task);
      assert.ok(reading !== undefined, '/task/stats is accepted');
      assert.deepEqual(reading.invalidDockerIds, []);
      assert.deepEqual(reading.unknownDockerIds, []);
      assert.deepEqual(
        reading.containers.map((r) => r.container.name).sort(),
        running.map((c) => c.name).sort(),
        'every running container, and the stopped one is skipped',
      );
      for (const r of reading.containers) {
        const c = running.find((x) => x.name === r.container.name)!;
        assert.equal(r.stats.cgroupVersion, scenario.cgroup);
        assert.equal(r.stats.refreshIntervalMillis, 10_000, 'read − preread is the Fargate cadence');
        assert.equal(r.limitBytes, effectiveLimitMib(scenario, c) * MIB);
        if (scenario.cgroup === 1) assert.ok(r.stats.maxUsageBytes! >= r.stats.usageBytes);
        else assert.equal(r.stats.maxUsageBytes, undefined, 'cgroup v2 has no max_usage');
        assert.ok(r.workingSetBytes! <= r.stats.usageBytes && r.utilizedBytes! <= r.stats.usageBytes);
      }
    }
  });
}
