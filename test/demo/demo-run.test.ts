import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { effectiveLimitMib } from '../../tools/demo/src/scenario';
import { cgroupV2Scenario, incidentScenario } from '../../tools/demo/src/scenarios';
import { ATTR_CONTAINER_NAME, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE, METRIC_MEMORY_WORKING_SET } from '../../src';
import { FIXTURE_DIR, OtlpReceiver, otlpPoints, REPO_ROOT } from '../../tools/testing/src';
import { DEMO_CLI } from './helpers';

const CONTRACT_METRICS = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT];
// Fast: 90 simulated seconds at 30x, one export every 20 simulated seconds.
const FAST = ['--speed', '30', '--duration', '90'];

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO_CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The per-export tables of the demo's output: container → metric → value. */
function exportTables(stdout: string): Map<string, Map<string, number>>[] {
  const tables: Map<string, Map<string, number>>[] = [];
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('export #')) continue;
    const header = lines[i + 1].trim().split(/\s{2,}/);
    const table = new Map<string, Map<string, number>>();
    for (let j = i + 2; j < lines.length && lines[j].startsWith('  ') && !lines[j].startsWith('  !'); j++) {
      const cells = lines[j].trim().split(/\s{2,}/);
      table.set(cells[0], new Map(header.slice(1).map((h, k) => [h, Number(cells[k + 1].replace(/,/g, ''))])));
    }
    tables.push(table);
  }
  return tables;
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-demo-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const scenario of [incidentScenario(), cgroupV2Scenario()]) {
  test(`${scenario.id}: a short fast run exits 0 and shows the contract metrics of every running container`, async (t) => {
    const svg = join(tempDir(t), 'run.svg');
    const run = await runCli(['demo', '--scenario', scenario.id, ...FAST, '--out', svg]);
    assert.equal(run.code, 0, run.stderr);
    const tables = exportTables(run.stdout);
    assert.ok(tables.length >= 2, 'several exports were shown');
    const last = tables[tables.length - 1];
    for (const c of scenario.containers) {
      if (!c.running) {
        assert.ok(tables.every((tb) => !tb.has(c.name)), `stopped ${c.name} is not reported`);
        continue;
      }
      const row = last.get(c.name);
      assert.ok(row !== undefined, `${c.name} is in the last export`);
      for (const m of CONTRACT_METRICS) assert.ok(Number.isFinite(row.get(m)), `${c.name} ${m}`);
      assert.equal(row.get(METRIC_MEMORY_LIMIT), effectiveLimitMib(scenario, c));
      assert.ok(row.get(METRIC_MAX_MEMORY_USAGE)! >= row.get(METRIC_MEMORY_USAGE)!);
    }
    assert.match(run.stdout, /namespace ECS\/Container, unit Megabytes/);
    assert.match(run.stdout, /^Summary: /m);
    assert.ok(existsSync(svg), 'the picture was written');
  });
}

test('the picture ends at the values the package exported last (seen by a collector of our own)', async (t) => {
  const collector = await new OtlpReceiver().start();
  t.after(() => collector.close());

  const svgPath = join(tempDir(t), 'run.svg');
  const run = await runCli(['demo', ...FAST, '--collector-url', collector.url, '--out', svgPath]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(collector.bodies.length >= 2, 'the exports reached our collector');

  // The last export, decoded here from OTLP JSON: ContainerName → metric → value.
  const lastExport = new Map<string, Map<string, number>>();
  for (const p of otlpPoints(collector.bodies.at(-1))) {
    const name = p.attributes[ATTR_CONTAINER_NAME];
    if (!lastExport.has(name)) lastExport.set(name, new Map());
    lastExport.get(name)!.set(p.metric, p.value);
  }
  const svg = readFileSync(svgPath, 'utf8');
  const drawn = new Map<string, Map<string, number>>();
  for (const m of svg.matchAll(/data-container="([^"]*)" data-series="([^"]*)" data-last-mib="([^"]*)"/g)) {
    if (!drawn.has(m[1])) drawn.set(m[1], new Map());
    drawn.get(m[1])!.set(m[2], Number(m[3]));
  }
  const running = incidentScenario().containers.filter((c) => c.running).map((c) => c.name);
  assert.deepEqual([...lastExport.keys()].sort(), [...running].sort());
  for (const [container, metrics] of lastExport) {
    for (const series of [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET]) {
      assert.equal(drawn.get(container)?.get(series), metrics.get(series), `${container} ${series}`);
    }
  }
});

test('Ctrl-C stops the run cleanly: final export, summary and picture, exit code 130', async (t) => {
  const svg = join(tempDir(t), 'run.svg');
  const child = spawn(process.execPath, [DEMO_CLI, 'demo', '--speed', '8', '--out', svg], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    // Interrupt as soon as the first export has been shown, as a person would mid-run.
    if (stdout.includes('export #1 ') && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130);
  assert.match(stdout, /^interrupted at /m);
  assert.match(stdout, /^Summary: /m);
  assert.ok(existsSync(svg), 'the picture of what ran was written');
});

test('--replay serves a saved pair: the fixture containers are reported with the limit /task gives', async (t) => {
  const taskFile = join(FIXTURE_DIR, 'fargate-task-metadata-3containers-ecs-exporter.json');
  const statsFile = join(FIXTURE_DIR, 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json');
  const task = JSON.parse(readFileSync(taskFile, 'utf8'));
  const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  const run = await runCli(['demo', '--replay', taskFile, statsFile, '--speed', '30', '--duration', '60', '--out', join(tempDir(t), 'r.svg')]);
  assert.equal(run.code, 0, run.stderr);
  const last = exportTables(run.stdout).at(-1)!;
  for (const c of task.Containers) {
    if (stats[c.DockerId] === null) {
      assert.equal(last.has(c.Name), false, `${c.Name} (null stats) is not reported`);
      continue;
    }
    // No container memory limit in this task: the task's Limits.Memory (MiB) applies.
    assert.equal(last.get(c.Name)?.get(METRIC_MEMORY_LIMIT), task.Limits.Memory);
    assert.equal(last.get(c.Name)?.get(METRIC_MEMORY_USAGE), Math.round((stats[c.DockerId].memory_stats.usage / 2 ** 20) * 10) / 10);
  }
});
