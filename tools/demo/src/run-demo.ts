/**
 * One demo run, front to back: simulated endpoint → the package (public one-call setup, real OTLP/HTTP
 * exporter) → the demo's collector (EMF preview of collector-config.yaml, or a relay to a real collector)
 * → per-export tables → summary and picture.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ATTR_CONTAINER_NAME, METRIC_MAX_MEMORY_USAGE, startEcsTaskStats } from 'otel-ecs-task-stats';
import { otlpPoints, type OtlpExportMetricsServiceRequest } from '../../emf-preview/src';
import { OtlpReceiver, repoPath } from '../../testing/src';
import { ContainerInsightsFigures } from './container-insights';
import { emfPreviewView, ecsResourceAttributes, type CloudWatchView } from './cloudwatch-view';
import type { DemoOptions } from './options';
import { relayExport } from './collector-relay';
import { exportIntervalMillis as realExportIntervalMillis, sampleIntervalMillis as realSampleIntervalMillis } from './real-time';
import { ReplaySource } from './replay-source';
import { RunRecorder, ciLine, type ContainerRecord } from './run-record';
import { ScenarioSource } from './scenario-source';
import { scenarioById } from './scenarios';
import { SimClock, formatSimTime } from './sim-clock';
import { startSimulatedEndpoint } from './simulated-endpoint';
import { renderRunSvg } from './svg-chart';
import { sampleIndexAt, type TaskSource } from './task-source';
import { neutraliseControls, renderExportTable, renderProgress, renderSummary, type CloudWatchRow } from './terminal';

/** Where the demo writes. */
export interface DemoIo {
  /** A finished line of output. */
  print(text: string): void;
  /** A transient progress line (only wired on a terminal). */
  progress?(text: string): void;
  /** Aborts the run early (Ctrl-C); the demo still flushes, summarises and draws what it has. */
  signal?: AbortSignal;
}

/** What a run produced. */
export interface DemoResult {
  records: ContainerRecord[];
  svgPath: string;
  exports: number;
  interrupted: boolean;
  errors: string[];
}

const REPLAY_DURATION_SECONDS = 120;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise) => {
    if (signal?.aborted === true) return resolvePromise();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolvePromise();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How many different `/task/stats` bodies were served (a replay serves one, however long it runs). */
function distinctSamples(source: TaskSource, lastIndex: number): number {
  const bodies = new Set<string>();
  for (let k = 0; k <= lastIndex; k++) bodies.add(source.sample(k).text);
  return bodies.size;
}

/** Runs the demo to the end (or until `io.signal` aborts). Never leaves a server or timer behind. */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const clock = new SimClock(options.speed);
  const scenario = options.replay === undefined ? scenarioById(options.scenario) : undefined;
  const source: TaskSource =
    options.replay !== undefined
      ? new ReplaySource(options.replay.taskPath, options.replay.statsPath)
      : new ScenarioSource(scenario!, clock.startEpochMillis);
  const durationSeconds = options.durationSeconds ?? scenario?.durationSeconds ?? REPLAY_DURATION_SECONDS;
  const title = scenario?.title ?? `replay of ${options.replay!.taskPath} + ${options.replay!.statsPath}`;
  const taskText = source.taskText(0);
  const ciFigures = new ContainerInsightsFigures(source, JSON.parse(taskText));
  const errors: string[] = [];
  const report = (err: Error): void => {
    errors.push(err.message);
    io.print(`  ! ${neutraliseControls(err.message)}`);
  };

  let view: CloudWatchView | undefined;
  if (options.collectorUrl === undefined) {
    const configPath = options.collectorConfigPath ?? repoPath('collector-config.yaml');
    view = emfPreviewView(resolve(configPath), ecsResourceAttributes(taskText));
  }

  // The package samples at most once per real second (its own minimum); parseDemoArgs checked both fit a timer.
  const sampleIntervalMillis = realSampleIntervalMillis(options.speed, source.refreshSeconds);
  const exportIntervalMillis = realExportIntervalMillis(options.speed, options.exportEverySeconds);
  io.print(`otel-ecs-task-stats demo: ${title}`);
  io.print(
    `  ${formatSimTime(durationSeconds)} simulated at ${options.speed}x (≈${(clock.realMillis(durationSeconds) / 1000).toFixed(0)} s); endpoint refresh every ${source.refreshSeconds} s, ` +
      `package samples every ${sampleIntervalMillis} ms real and exports every ${options.exportEverySeconds} s simulated`,
  );
  if (options.collectorUrl !== undefined) io.print(`  exports are relayed to ${options.collectorUrl}; tables show the OTLP values sent`);
  if (clock.realMillis(source.refreshSeconds) < sampleIntervalMillis) {
    io.print(`  note: at this speed the package (≥ 1 s between samples) skips some of the endpoint's refreshes`);
  }

  const recorder = new RunRecorder();
  let lastDestination: string | undefined;
  const onExport = (body: OtlpExportMetricsServiceRequest): void => {
    const t = clock.nowSeconds();
    const points = otlpPoints(body);
    recorder.addExport(t, points);
    const ciLastMinute = new Map<string, number>();
    const lastFullMinuteEnd = Math.floor(t / 60) * 60;
    if (lastFullMinuteEnd > 0) {
      for (const name of recorder.containerNames()) {
        const minute = ciLine(source, ciFigures, name, sampleIndexAt(source, lastFullMinuteEnd - 1)).at(-1);
        if (minute !== undefined) ciLastMinute.set(name, minute.mean);
      }
    }
    let rows: CloudWatchRow[];
    if (view !== undefined) {
      const result = view.rows(body);
      rows = result.rows;
      if (result.destination !== undefined && result.destination !== lastDestination) {
        // The log stream and group may carry the task ARN or cluster from /task: payload text.
        io.print(`EMF preview of ${neutraliseControls(view.configPath)}: events go to ${neutraliseControls(result.destination)}`);
        lastDestination = result.destination;
      }
      for (const w of new Set(result.warnings)) io.print(`  ! ${neutraliseControls(w)}`);
    } else {
      rows = points.flatMap((p) => {
        const containerName = p.attributes[ATTR_CONTAINER_NAME];
        return containerName === undefined ? [] : [{ namespace: '(set by your collector)', metricName: p.metric, containerName, value: p.value, unit: p.unit }];
      });
    }
    io.print(renderExportTable(recorder.exportCount, t, rows, ciLastMinute));
  };

  const endpoint = await startSimulatedEndpoint(source, clock);
  // The stand-in collector: the test kit's OTLP receiver, relaying to a real collector with --collector-url.
  const collectorUrl = options.collectorUrl;
  const receiver = new OtlpReceiver({
    onExport: async ({ request, text, contentType }) => {
      let status = 200;
      if (collectorUrl !== undefined) {
        status = await relayExport(collectorUrl, text, contentType).catch((err: unknown) => {
          report(new Error(`relay to ${collectorUrl} failed: ${(err as Error).message}`));
          return 502;
        });
      }
      try {
        onExport(request);
      } catch (err) {
        report(err as Error);
      }
      return status;
    },
  });
  await receiver.start().catch(async (err: unknown) => {
    await endpoint.close();
    throw err;
  });
  let interrupted = false;
  try {
    const handle = startEcsTaskStats({
      metadataUri: endpoint.url,
      url: receiver.url,
      sampleIntervalMillis,
      exportIntervalMillis,
      handleSignals: false, // the demo owns Ctrl-C: it stops the run, then shuts the package down itself
    });
    const endReal = clock.realMillis(durationSeconds);
    const tick = Math.min(250, endReal);
    while (clock.realMillis(clock.nowSeconds()) < endReal && io.signal?.aborted !== true) {
      io.progress?.(renderProgress(clock.nowSeconds(), durationSeconds, recorder.exportCount, endpoint.lastServedSample() + 1));
      await sleep(Math.min(tick, endReal - clock.realMillis(clock.nowSeconds())), io.signal);
    }
    interrupted = io.signal?.aborted === true;
    io.progress?.('');
    if (interrupted) io.print(`interrupted at ${formatSimTime(clock.nowSeconds())}: final sample and export, then the summary`);
    await handle.shutdown(); // final sample + export, bounded by the package's shutdownTimeoutMillis
  } finally {
    await receiver.close();
    await endpoint.close();
  }

  const endSeconds = Math.min(clock.nowSeconds(), durationSeconds);
  // The CI-style line covers the samples taken before the end (no one-sample minute after it).
  const lastSampleBeforeEnd = Math.max(0, Math.ceil(endSeconds / source.refreshSeconds) - 1);
  const records = recorder.finish(source, ciFigures, lastSampleBeforeEnd);
  const svgPath = resolve(options.outputPath);
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(
    svgPath,
    renderRunSvg(records, {
      title: 'otel-ecs-task-stats demo: what the package exported vs a Container Insights-style view',
      subtitle: `${title} · ${formatSimTime(endSeconds)} simulated · exported every ${options.exportEverySeconds} s`,
      durationSeconds: endSeconds,
    }),
  );
  io.print('');
  io.print(
    renderSummary(
      records,
      `Summary: ${formatSimTime(endSeconds)} simulated, ${recorder.exportCount} exports, ${distinctSamples(source, endpoint.lastServedSample())} distinct endpoint samples`,
    ),
  );
  if (scenario?.cgroup === 2) {
    io.print(`  cgroup v2 has no kernel max_usage: ${METRIC_MAX_MEMORY_USAGE} is the highest usage the package sampled, so a spike`);
    io.print('  shorter than the 10 s refresh can fall between two samples (compare --scenario incident).');
  }
  io.print(`Picture: ${svgPath}`);
  return { records, svgPath, exports: recorder.exportCount, interrupted, errors };
}
