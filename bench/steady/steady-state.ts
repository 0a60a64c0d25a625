/**
 * Steady state: what a task pays. Every subject runs in its own process at the same time, idle but for what
 * it does on its own timers, for a warm-up and then a window of real time: the SDK-only floor, host-metrics at
 * its defaults, and `startEcsTaskStats()` of each build (this checkout, and `--base` if given) at each sampling
 * interval and task size, each against its own agent-like endpoint (10 s refreshes, see agent-endpoints.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { OtlpReceiver } from '../../tools/testing/src';
import type { AgentEndpointsMessage, EndpointCounters } from './agent-endpoints';
import type { SubjectReport, SubjectSpec } from './subject';

/** A build of the package: `change` is this checkout (build/src), `base` another revision's dist. */
export interface PackageBuild {
  readonly name: 'change' | 'base';
  readonly dir: string;
}

export interface SteadyStateSettings {
  readonly warmupMillis: number;
  readonly windowMillis: number;
  readonly sizes: readonly number[];
  readonly sampleIntervals: readonly number[];
}

/** One subject's figures over the window. */
export interface SteadyStateRow {
  readonly subject: 'floor' | 'host-metrics' | 'package';
  readonly build?: PackageBuild['name'];
  readonly sampleIntervalMillis?: number;
  readonly containers?: number;
  /** CPU (user + system) as a percentage of one core over the window. */
  readonly cpuPercent: number;
  /** cpuPercent minus the floor's. */
  readonly addedCpuPercent: number;
  readonly rssMiB: number;
  readonly maxRssMiB: number;
  /** Requests to `/task/stats` and new connections per minute, as the endpoint counted them (package only). */
  readonly statsRequestsPerMinute?: number;
  readonly connectionsPerMinute?: number;
}

interface Planned {
  readonly row: Pick<SteadyStateRow, 'subject' | 'build' | 'sampleIntervalMillis' | 'containers'>;
  readonly spec: SubjectSpec;
  readonly endpointIndex?: number;
}

/** Runs every subject at once; resolves with one row per subject, the floor first. */
export async function measureSteadyState(builds: readonly PackageBuild[], settings: SteadyStateSettings): Promise<SteadyStateRow[]> {
  const receiver = await new OtlpReceiver().start();
  const base = { otlpUrl: receiver.url, warmupMillis: settings.warmupMillis, windowMillis: settings.windowMillis };
  const planned: Planned[] = [
    { row: { subject: 'floor' }, spec: { kind: 'floor', ...base } },
    { row: { subject: 'host-metrics' }, spec: { kind: 'host-metrics', ...base } },
  ];
  const endpointSizes: number[] = [];
  for (const build of builds) {
    for (const sampleIntervalMillis of settings.sampleIntervals) {
      for (const containers of settings.sizes) {
        planned.push({
          row: { subject: 'package', build: build.name, sampleIntervalMillis, containers },
          spec: { kind: 'package', packageDir: build.dir, sampleIntervalMillis, ...base },
          endpointIndex: endpointSizes.push(containers) - 1,
        });
      }
    }
  }
  const endpoints = fork(join(__dirname, 'agent-endpoints.js'), [endpointSizes.join(',')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [listening] = (await once(endpoints, 'message')) as [AgentEndpointsMessage];
    if (listening.type !== 'listening') throw new Error(`endpoints said ${JSON.stringify(listening)}`);
    const children = planned.map((p) => startSubject(p.spec, p.endpointIndex === undefined ? undefined : listening.uris[p.endpointIndex]));
    // Count requests from the end of the warm-up (a second allowed for the processes to start) to the last report.
    await sleep(settings.warmupMillis + 1000);
    await counters(endpoints);
    const countedFrom = performance.now();
    const reports = await Promise.all(children);
    const counted = await counters(endpoints);
    const minutes = (performance.now() - countedFrom) / 60_000;
    const cpuPercent = (r: SubjectReport): number => (r.cpuMicros / 1000 / r.windowMillis) * 100;
    const floor = cpuPercent(reports[0]);
    return planned.map((p, i) => {
      const c: EndpointCounters | undefined = p.endpointIndex === undefined ? undefined : counted[p.endpointIndex];
      return {
        ...p.row,
        cpuPercent: cpuPercent(reports[i]),
        addedCpuPercent: cpuPercent(reports[i]) - floor,
        rssMiB: reports[i].rssBytes / 2 ** 20,
        maxRssMiB: reports[i].maxRssBytes / 2 ** 20,
        ...(c === undefined ? {} : { statsRequestsPerMinute: c.statsRequests / minutes, connectionsPerMinute: c.connections / minutes }),
      };
    });
  } finally {
    endpoints.disconnect();
    await receiver.close();
  }
}

function startSubject(spec: SubjectSpec, metadataUri: string | undefined): Promise<SubjectReport> {
  const env = { ...process.env };
  delete env.ECS_CONTAINER_METADATA_URI_V4;
  if (metadataUri !== undefined) env.ECS_CONTAINER_METADATA_URI_V4 = metadataUri;
  const child: ChildProcess = fork(join(__dirname, 'subject.js'), [JSON.stringify(spec)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (report) => resolve(report as SubjectReport));
    child.once('exit', (code) => reject(new Error(`steady-state subject ${spec.kind} exited with ${code} before reporting`)));
  });
}

async function counters(endpoints: ChildProcess): Promise<EndpointCounters[]> {
  const reply = once(endpoints, 'message') as Promise<[AgentEndpointsMessage]>;
  endpoints.send({ type: 'counters' });
  const [message] = await reply;
  if (message.type !== 'counters') throw new Error(`endpoints said ${JSON.stringify(message)}`);
  return message.counters;
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
