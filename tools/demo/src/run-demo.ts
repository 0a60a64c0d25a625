/**
 * One demo run, front to back: the task's endpoint (simulated, or the kernel-backed task's) → the package
 * (public one-call setup, real OTLP/HTTP exporter) → the demo's collector (EMF preview of collector-config.yaml,
 * or a relay to a real collector) → per-export tables → summary and picture.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ATTR_CONTAINER_NAME, startEcsTaskStats } from 'otel-ecs-task-stats';
import { otlpPoints, type OtlpExportMetricsServiceRequest } from '../../emf-preview/src';
import { OtlpReceiver, repoPath } from '../../testing/src';
import { ContainerInsightsFigures } from './container-insights';
import { emfPreviewView, ecsResourceAttributes, readCollectorConfig, type CloudWatchView } from './cloudwatch-view';
import { startSimulatedTask, type DemoTask } from './demo-task';
import { startKernelTask } from './kernel-demo-task';
import type { DemoOptions } from './options';
import { relayExport } from './collector-relay';
import { exportIntervalMillis as realExportIntervalMillis, sampleIntervalMillis as realSampleIntervalMillis } from './real-time';
import { RunRecorder, ciLine, type ContainerRecord } from './run-record';
import { formatSimTime, sleep } from './sim-clock';
import { renderRunSvg } from './svg-chart';
import type { SampleSource } from './task-source';
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

/** How many different `/task/stats` bodies were served (a replay serves one, however long it runs). */
function distinctSamples(source: SampleSource, lastIndex: number): number {
  const bodies = new Set<string>();
  for (let k = 0; k <= lastIndex; k++) bodies.add(source.sample(k).text);
  return bodies.size;
}

/**
 * Runs the demo to the end (or until `io.signal` aborts). Never leaves a server, timer, process or cgroup behind:
 * the task is closed on every path out, errors included.
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  // The collector config first: a bad --collector-config is a usage error before anything starts.
  const configPath = options.collectorUrl === undefined ? resolve(options.collectorConfigPath ?? repoPath('collector-config.yaml')) : undefined;
  const collectorConfig = configPath !== undefined ? readCollectorConfig(configPath) : undefined;
  const task = options.realKernel ? await startKernelTask(options) : await startSimulatedTask(options);
  let run: RunOutcome;
  try {
    run = await runAgainst(task, options, io, configPath !== undefined ? emfPreviewView(configPath, collectorConfig!, ecsResourceAttributes(task.taskText)) : undefined);
  } finally {
    await task.close();
  }
  return finish(task, options, io, run);
}

/** What the package exported during a run, before the summary. */
interface RunOutcome {
  recorder: RunRecorder;
  ciFigures: ContainerInsightsFigures;
  errors: string[];
  interrupted: boolean;
  /** Seconds on the task's clock when the run ended (at most its duration). */
  endSeconds: number;
}

/** The package against `task`'s endpoint until the end of the run; the task stays open. */
async function runAgainst(task: DemoTask, options: DemoOptions, io: DemoIo, view: CloudWatchView | undefined): Promise<RunOutcome> {
  const { clock, source, durationSeconds } = task;
  const ciFigures = new ContainerInsightsFigures(source, JSON.parse(task.taskText));
  const errors: string[] = [];
  const report = (err: Error): void => {
    errors.push(err.message);
    io.print(`  ! ${neutraliseControls(err.message)}`);
  };

  // The package samples at most once per real second (its own minimum); parseDemoArgs checked both fit a timer.
  const sampleIntervalMillis = realSampleIntervalMillis(options.speed, source.refreshSeconds);
  const exportIntervalMillis = realExportIntervalMillis(options.speed, options.exportEverySeconds);
  io.print(`otel-ecs-task-stats demo: ${task.title}`);
  if (task.kernelFigures) {
    io.print(
      `  kernel figures, real time: ${formatSimTime(durationSeconds)}; the endpoint re-reads the cgroups' files every ${source.refreshSeconds} s (as Docker does), ` +
        `package samples every ${sampleIntervalMillis} ms and exports every ${options.exportEverySeconds} s`,
    );
  } else {
    io.print(
      `  ${formatSimTime(durationSeconds)} simulated at ${options.speed}x (≈${(clock.realMillis(durationSeconds) / 1000).toFixed(0)} s); endpoint refresh every ${source.refreshSeconds} s, ` +
        `package samples every ${sampleIntervalMillis} ms real and exports every ${options.exportEverySeconds} s simulated`,
    );
  }
  for (const line of task.setupLines) io.print(line);
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
        const minute = ciLine(source, ciFigures, name, source.lastSampleBefore(lastFullMinuteEnd)).at(-1);
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
  await receiver.start();
  let interrupted = false;
  const end = new AbortController();
  const driveSignal = io.signal !== undefined ? AbortSignal.any([io.signal, end.signal]) : end.signal;
  let driving: Promise<void> = Promise.resolve();
  try {
    const handle = startEcsTaskStats({
      metadataUri: task.url,
      url: receiver.url,
      sampleIntervalMillis,
      exportIntervalMillis,
      handleSignals: false, // the demo owns Ctrl-C: it stops the run, then shuts the package down itself
    });
    driving = task.drive(driveSignal, (line) => io.print(neutraliseControls(line)));
    const endReal = clock.realMillis(durationSeconds);
    const tick = Math.min(250, endReal);
    while (clock.realMillis(clock.nowSeconds()) < endReal && io.signal?.aborted !== true) {
      io.progress?.(renderProgress(clock.nowSeconds(), durationSeconds, recorder.exportCount, task.lastServedSample() + 1, task.kernelFigures ? 'real time' : 'simulated'));
      await sleep(Math.min(tick, endReal - clock.realMillis(clock.nowSeconds())), io.signal);
    }
    interrupted = io.signal?.aborted === true;
    end.abort();
    await driving; // the step under way finishes (a second at most); the rest are skipped
    io.progress?.('');
    if (interrupted) io.print(`interrupted at ${formatSimTime(clock.nowSeconds())}: final sample and export, then the summary`);
    await handle.shutdown(); // final sample + export, bounded by the package's shutdownTimeoutMillis
  } finally {
    end.abort();
    await driving;
    await receiver.close();
  }
  return { recorder, ciFigures, errors, interrupted, endSeconds: Math.min(clock.nowSeconds(), durationSeconds) };
}

/** Summary, picture and the task's own closing lines, once the task is closed. */
function finish(task: DemoTask, options: DemoOptions, io: DemoIo, run: RunOutcome): DemoResult {
  const { recorder, ciFigures, errors, interrupted, endSeconds } = run;
  const { source } = task;
  // The CI-style line covers the samples taken before the end (no one-sample minute after it).
  const records = recorder.finish(source, ciFigures, source.lastSampleBefore(endSeconds));
  const svgPath = resolve(options.outputPath);
  mkdirSync(dirname(svgPath), { recursive: true });
  const clockText = task.kernelFigures ? `${formatSimTime(endSeconds)} real time` : `${formatSimTime(endSeconds)} simulated`;
  writeFileSync(
    svgPath,
    renderRunSvg(records, {
      title: task.kernelFigures
        ? 'Kernel figures: what otel-ecs-task-stats exported vs a Container Insights-style view'
        : 'otel-ecs-task-stats demo: what the package exported vs a Container Insights-style view',
      subtitle: `${task.title} · ${clockText} · exported every ${options.exportEverySeconds} s`,
      durationSeconds: endSeconds,
      realTime: task.kernelFigures,
    }),
  );
  io.print('');
  const samples = `${recorder.exportCount} exports, ${distinctSamples(source, task.lastServedSample())} distinct endpoint samples`;
  io.print(renderSummary(records, task.kernelFigures ? `Summary (kernel figures, real time): ${formatSimTime(endSeconds)}, ${samples}` : `Summary: ${clockText}, ${samples}`));
  for (const line of task.closingLines(records, svgPath)) io.print(neutraliseControls(line));
  io.print(`Picture: ${svgPath}`);
  return { records, svgPath, exports: recorder.exportCount, interrupted, errors };
}
