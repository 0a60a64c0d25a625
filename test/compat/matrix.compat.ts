// The compatibility matrix (issue 7): a real NodeSDK application of each OpenTelemetry JS SDK line, on each
// supported Node.js, with otel-ecs-task-stats installed from its npm pack tarball. Run by scripts/compat.sh
// (`npm run test:compat`), which prepares COMPAT_WORKDIR/<fixture>/ and fetches Node 24; not part of `npm test`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  MEMORY_UNIT,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
  PACKAGE_NAME,
} from '../../src';
import { FakeMetadataEndpoint, fixtureText, otlpPoints, OtlpReceiver, REPO_ROOT, within, type OtlpExportMetricsServiceRequest } from '../../tools/testing/src';
import { startApp } from './harness/app-process';
import { listInstalledPackages } from './harness/installed-packages';
const WORKDIR = requiredEnv('COMPAT_WORKDIR');
const NODE24 = requiredEnv('COMPAT_NODE24');
const NODE22 = requiredEnv('COMPAT_NODE22');
const NODE20 = process.env.COMPAT_NODE20 ?? process.execPath;
const SUMMARY_FILE = path.join(WORKDIR, 'summary.txt');

const TASK_FIXTURE = 'fargate-task-metadata-3containers-ecs-exporter.json';
const STATS_FIXTURE = 'fargate-task-stats-cgroupv1-3containers-null-stopped-ecs-exporter.json';
const SCOPE = PACKAGE_NAME;
/** The app's sampleIntervalMillis (test/compat/app.cjs). */
const SAMPLE_INTERVAL_MILLIS = 1000;
/** How long the app stays up after sdk.shutdown(): long enough for a leftover poller to poll twice more. */
const LINGER_MILLIS = 3 * SAMPLE_INTERVAL_MILLIS;

interface Cell {
  fixture: 'sdk2' | 'sdk3';
  sdkLine: string;
  nodeBinary: string;
  nodeMajor: number;
}
const CELLS: Cell[] = [
  { fixture: 'sdk2', sdkLine: 'SDK 2.x (sdk-node 0.223.0, api 1.9.1)', nodeBinary: NODE20, nodeMajor: 20 },
  { fixture: 'sdk2', sdkLine: 'SDK 2.x (sdk-node 0.223.0, api 1.9.1)', nodeBinary: NODE22, nodeMajor: 22 },
  { fixture: 'sdk2', sdkLine: 'SDK 2.x (sdk-node 0.223.0, api 1.9.1)', nodeBinary: NODE24, nodeMajor: 24 },
  { fixture: 'sdk3', sdkLine: 'SDK 3.x (sdk-node 0.301.0, api 1.10.0)', nodeBinary: NODE22, nodeMajor: 22 },
  { fixture: 'sdk3', sdkLine: 'SDK 3.x (sdk-node 0.301.0, api 1.10.0)', nodeBinary: NODE24, nodeMajor: 24 },
];

// Expected points, derived by hand from the two fixture files (MiBy = bytes / 2^20, not rounded).
// /task/stats, memory_stats (cgroup v1: no stats.anon):
//   prometheus   (…-1819985369): usage 127934464, max_usage 128557056, stats.total_inactive_file 52383744, stats.cache 85426176
//   ecs-exporter (…-4159844948): usage  84111360, max_usage  84238336, stats.total_inactive_file 39100416, stats.cache 42442752
//   nonessential (…-1585788040): null (stopped) -> no points at all
// /task: no container has Limits.Memory, task Limits.Memory is 512 (MiB) -> MemoryLimit 512 for both.
const MiB = 2 ** 20;
const EXPECTED_VALUES: [metric: string, container: string, value: number][] = [
  [METRIC_MAX_MEMORY_USAGE, 'ecs-exporter', 84238336 / MiB], //                 = 80.3359375
  [METRIC_MAX_MEMORY_USAGE, 'prometheus', 128557056 / MiB], //                  = 122.6015625
  [METRIC_MEMORY_LIMIT, 'ecs-exporter', 512], //                                task Limits.Memory, already MiB
  [METRIC_MEMORY_LIMIT, 'prometheus', 512],
  [METRIC_MEMORY_USAGE, 'ecs-exporter', 84111360 / MiB], //                     = 80.21484375
  [METRIC_MEMORY_USAGE, 'prometheus', 127934464 / MiB], //                      = 122.0078125
  [METRIC_MEMORY_UTILIZED, 'ecs-exporter', (84111360 - 42442752) / MiB], //     = 41668608 / 2^20 = 39.73828125
  [METRIC_MEMORY_UTILIZED, 'prometheus', (127934464 - 85426176) / MiB], //      = 42508288 / 2^20 = 40.5390625
  [METRIC_MEMORY_WORKING_SET, 'ecs-exporter', (84111360 - 39100416) / MiB], //  = 45010944 / 2^20 = 42.92578125
  [METRIC_MEMORY_WORKING_SET, 'prometheus', (127934464 - 52383744) / MiB], //   = 75550720 / 2^20 = 72.05078125
];
/** What the cell compares of each point of our scope: a gauge, its unit, its attributes, its value. */
interface GaugePoint {
  metric: string;
  type: string;
  unit: string;
  attributes: Readonly<Record<string, string>>;
  value: number;
}
const EXPECTED_POINTS: GaugePoint[] = EXPECTED_VALUES.map(([metric, container, value]) => ({
  metric,
  type: 'gauge',
  unit: MEMORY_UNIT,
  attributes: {
    [ATTR_CONTAINER_NAME]: container,
    [ATTR_TASK_DEFINITION_FAMILY]: 'prom-ecs-exporter-sandbox-main-fargate', // /task Family
    [ATTR_CLUSTER_NAME]: 'prom-ecs-exporter-sandbox', // last segment of arn:aws:ecs:us-east-1:829490980523:cluster/prom-ecs-exporter-sandbox
  },
  value,
}));

/** The points of our scope in one request (any other type than a gauge shows as such, and fails the cell). */
function pointsOfOurScope(request: OtlpExportMetricsServiceRequest): GaugePoint[] {
  return otlpPoints(request)
    .filter((p) => p.scope === SCOPE)
    .map(({ metric, type, unit, attributes, value }) => ({ metric, type, unit, attributes, value }));
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this file through scripts/compat.sh (npm run test:compat)`);
  return value;
}

/** 'a, b ×4, c' from ['a', 'b', 'b', 'b', 'b', 'c'], in first-seen order. */
function countByName(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

function byMetricThenContainer(a: GaugePoint, b: GaugePoint): number {
  return a.metric.localeCompare(b.metric) || (a.attributes[ATTR_CONTAINER_NAME] ?? '').localeCompare(b.attributes[ATTR_CONTAINER_NAME] ?? '');
}

/** A promise that rejects when the app exits, so a crash fails the cell at once instead of hanging. */
function failOnExit(exited: Promise<{ code: number | null }>, stderr: () => string, what: string): Promise<never> {
  return exited.then(({ code }) => {
    throw new Error(`app exited (code ${code}) while waiting for ${what}. stderr:\n${stderr()}`);
  });
}


/** The app's snippet, between its markers, is in the README verbatim. */
void test('README "Supported versions" shows the compat app snippet verbatim', () => {
  const app = fs.readFileSync(path.join(REPO_ROOT, 'test/compat/app.cjs'), 'utf8');
  const match = /\/\/ --- snippet:start\n([\s\S]*?)\/\/ --- snippet:end\n/.exec(app);
  assert.ok(match, 'test/compat/app.cjs has snippet markers');
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes('```js\n' + match[1] + '```\n'), 'README.md contains the snippet in a ```js block');
});

for (const fixture of ['sdk2', 'sdk3'] as const) {
  void test(`${fixture}: installing the tarball leaves one @opentelemetry/api, the application's`, (t) => {
    const appDir = path.join(WORKDIR, fixture);
    const installed = listInstalledPackages(appDir);
    const declared = (JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }).dependencies;
    const apis = installed.filter((p) => p.name === '@opentelemetry/api');
    assert.deepEqual(apis, [{ name: '@opentelemetry/api', version: declared['@opentelemetry/api'], location: 'node_modules/@opentelemetry/api' }]);
    assert.ok(installed.some((p) => p.name === 'otel-ecs-task-stats' && p.location === 'node_modules/otel-ecs-task-stats'));

    // What the package brought along that the application did not already have, and npm's peer complaints.
    const nested = installed.filter((p) => p.location.startsWith('node_modules/otel-ecs-task-stats/node_modules/'));
    const sdkCopies = nested.filter((p) => p.name.startsWith('@opentelemetry/'));
    const log = fs.readFileSync(path.join(appDir, 'install.log'), 'utf8');
    const peerOverrides = log.split('\n').filter((l) => l.includes('ERESOLVE overriding peer dependency')).length;
    const line =
      `${fixture}: private copies under otel-ecs-task-stats/node_modules: ` +
      (countByName(sdkCopies.map((p) => `${p.name}@${p.version}`)) || 'none') +
      `; npm "ERESOLVE overriding peer dependency" warnings: ${peerOverrides}`;
    t.diagnostic(line);
    fs.appendFileSync(SUMMARY_FILE, `deps  ${line}\n`);
    // The SDK packages of the one-call setup are optional peers: the application's own SDK line is used,
    // so no second SDK is installed and npm has no peer conflict to override (README "Which SDK does what").
    assert.deepEqual(sdkCopies, [], 'no private copy of an @opentelemetry package');
    assert.equal(peerOverrides, 0, 'no ERESOLVE peer override warnings');
  });
}

for (const cell of CELLS) {
  const name = `${cell.sdkLine} on Node ${cell.nodeMajor}: NodeSDK exports the ECS gauges, then shuts down clean`;
  void test(name, { timeout: 30_000 }, async (t) => {
    const startedAt = performance.now();
    let verdict = 'FAIL';
    let nodeVersion = `${cell.nodeMajor} (did not start)`;
    t.after(() => {
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      fs.appendFileSync(SUMMARY_FILE, `cell  ${verdict}  ${cell.sdkLine} × Node ${nodeVersion}  ${seconds}s\n`);
    });

    // The fixtures' bytes are served as they are, never re-serialised.
    const endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: fixtureText(TASK_FIXTURE) }).route('/task/stats', { body: fixtureText(STATS_FIXTURE) });
    t.after(() => endpoint.close());
    const receiver = await new OtlpReceiver().start();
    t.after(() => receiver.close());
    const app = startApp(cell.nodeBinary, path.join(WORKDIR, cell.fixture), {
      ECS_CONTAINER_METADATA_URI_V4: endpoint.uri,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.url,
      // Metrics only: no trace/log exporters of NodeSDK's own choosing (they default to OTLP).
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      COMPAT_LINGER_MILLIS: String(LINGER_MILLIS),
    });
    t.after(() => {
      app.kill();
      if (verdict === 'FAIL') {
        t.diagnostic(`app events: ${JSON.stringify(app.events)}`);
        t.diagnostic(`app stderr: ${app.stderr() || '(empty)'}`);
        t.diagnostic(`metadata requests: ${endpoint.requests.length}, OTLP requests: ${receiver.bodies.length}`);
      }
    });
    const crashed = failOnExit(app.exited, () => app.stderr(), 'the first export');
    crashed.catch(() => {}); // only awaited through Promise.race below

    const started = await Promise.race([app.waitForEvent('started'), crashed]);
    nodeVersion = String(started.node);
    assert.equal(nodeVersion.split('.')[0], `v${cell.nodeMajor}`, 'the cell runs on the Node.js it claims');
    assert.deepEqual(started.privateModules, [], 'the instrumentation path loads no module of the package\'s own SDK copy');

    // 1. What arrived at the receiver: the first export that carries our scope's points, exactly.
    const request = await Promise.race([receiver.waitForBody((r) => pointsOfOurScope(r).length > 0), crashed]);
    const points = pointsOfOurScope(request).sort(byMetricThenContainer);
    assert.deepEqual(points, EXPECTED_POINTS);

    // 2. sdk.shutdown() (on SIGTERM, as on ECS) leaves nothing of ours running. Every check runs and the
    //    cell fails with the whole list, so one run says everything that is left behind.
    app.signal('SIGTERM');
    const shutdown = await app.waitForEvent('shutdown');
    const shutdownSeenAt = performance.now();
    const problems: string[] = [];
    const active = shutdown.activeResources as string[];
    if (active.includes('Timeout')) problems.push(`a ref'd timer right after shutdown: ${active.join(', ')}`);
    const metadataPort = Number(new URL(endpoint.uri).port);
    const refdPorts = shutdown.refdSocketPorts as number[];
    if (refdPorts.includes(metadataPort)) problems.push(`a ref'd socket to the metadata endpoint right after shutdown`);
    // Others (the exporter's keep-alive socket to the receiver, say) are the SDK's: reported, not failed.
    const others = refdPorts.filter((p) => p !== metadataPort);
    if (others.length > 0) t.diagnostic(`ref'd sockets of others right after shutdown, remote ports: ${others.join(', ')} (receiver: ${new URL(receiver.url).port})`);
    await app.waitForEvent('linger-done');
    // A request that arrives a full sample interval after shutdown was started after it: a poller still
    // running. (One already in flight when shutdown resolved lands within milliseconds and is not counted.)
    const late = endpoint.requestsAfter(shutdownSeenAt + SAMPLE_INTERVAL_MILLIS);
    if (late.length > 0) {
      problems.push(`metadata endpoint polled ${late.length}x more than ${SAMPLE_INTERVAL_MILLIS} ms after shutdown (${late.join(' ')})`);
    }
    const open = endpoint.openConnections();
    if (open > 0) problems.push(`${open} connection(s) to the metadata endpoint still open ${LINGER_MILLIS} ms after shutdown`);
    const exit = await within('the app to exit by itself after linger-done', app.exited, 10_000);
    if (exit.code !== 0 || exit.signal !== null) problems.push(`app exit ${JSON.stringify(exit)}; stderr:\n${app.stderr()}`);
    assert.deepEqual(problems, [], `after sdk.shutdown():\n- ${problems.join('\n- ')}`);
    verdict = 'ok  ';
    t.diagnostic(`${receiver.bodies.length} OTLP requests, ${endpoint.requests.length} metadata requests`);
  });
}
