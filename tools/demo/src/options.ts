/**
 * The demo's command-line options (`npm start -- [options]`). Invalid input throws a DemoUsageError whose message
 * says what to change; the CLI prints it with the usage text and exits 2.
 */
import { parseArgs } from 'node:util';
import { MAX_TIMER_MILLIS } from 'otel-ecs-task-stats';
import { KERNEL_DEFAULT_DURATION_SECONDS, KERNEL_EXPORT_EVERY_SECONDS, KERNEL_MAX_DURATION_SECONDS, KERNEL_MIN_DURATION_SECONDS, KERNEL_REFRESH_SECONDS } from './kernel-incident';
import { exportEveryBounds, MAX_DURATION_SECONDS, MAX_SPEED, MIN_SPEED } from './real-time';
import { FARGATE_REFRESH_SECONDS } from './scenario-source';
import { SCENARIO_IDS, type ScenarioId } from './scenarios';

/** Validated options of one demo run. */
export interface DemoOptions {
  scenario: ScenarioId;
  /** Simulated seconds to run; undefined = the scenario's own length (replay: 120 s; --real-kernel: 60 s). */
  durationSeconds: number | undefined;
  /** Simulated seconds per real second (1 with --real-kernel: real time). */
  speed: number;
  /** Run the incident on real processes in real memory cgroups of this machine, in real time. */
  realKernel: boolean;
  /** With realKernel: the job finally grows past its limit and the kernel's OOM killer ends it. */
  oom: boolean;
  /** Simulated seconds between two exports of the package. */
  exportEverySeconds: number;
  /** A saved `/task` body and `/task/stats` body to serve instead of a scenario. */
  replay: { taskPath: string; statsPath: string } | undefined;
  /** Relay every export to this OTLP/HTTP metrics URL (a real collector) instead of previewing it. */
  collectorUrl: string | undefined;
  /** collector-config.yaml for the EMF preview; undefined = the one shipped with the package. */
  collectorConfigPath: string | undefined;
  /** Where to write the picture. */
  outputPath: string;
  help: boolean;
}

/** A usage error: the message says what to change. */
export class DemoUsageError extends Error {}

/** The help text. */
export const DEMO_USAGE = `Usage: npm start -- [options]   (from a clone of the repository)

Runs a simulated ECS task on 127.0.0.1 (task metadata endpoint v4), the package itself with its real OTLP/HTTP
exporter, and a stand-in collector that shows what CloudWatch would store (through collector-config.yaml).
With --real-kernel the task is real processes in real memory cgroups, and every figure is the kernel's.

Options:
  --scenario <id>            incident (default: Fargate, 16 GiB, cgroup v1) | cgroup-v2 (Managed Instances)
  --duration <seconds>       simulated seconds to run (default: the scenario's length, 480; at most ${MAX_DURATION_SECONDS})
  --speed <factor>           simulated seconds per real second (default 8: 480 s run in 60 s; ${ceil3(MIN_SPEED)} to ${MAX_SPEED})
  --export-every <seconds>   simulated seconds between exports (default 20; 1 ms to ${MAX_TIMER_MILLIS} ms real)
  --replay <task.json> <stats.json>
                             serve a saved /task and /task/stats pair instead of a scenario
  --collector-url <url>      relay the exports to a real collector (OTLP/HTTP JSON), e.g.
                             http://127.0.0.1:4318/v1/metrics, instead of the built-in preview
  --collector-config <path>  collector config for the preview (default: the repository's collector-config.yaml)
  --out <file.svg>           where to write the picture (default demo-output/ecs-task-stats-demo.svg)
  --real-kernel              the incident on real processes in real cgroup v1 memory cgroups of this machine
                             (Linux, root), in real time, with the kernel's own figures: a 512 MiB task whose
                             job reads a data set (page cache) and spikes near its limit, beside a sidecar.
                             --duration is real seconds (default ${KERNEL_DEFAULT_DURATION_SECONDS}, ${KERNEL_MIN_DURATION_SECONDS} to ${KERNEL_MAX_DURATION_SECONDS}), --export-every too (default ${KERNEL_EXPORT_EVERY_SECONDS});
                             not with --scenario, --replay or --speed. Writes the kernel's readings beside the picture
  --oom                      with --real-kernel: at the end the job grows past its limit and the kernel OOM-kills it
  -h, --help                 this text`;

function positive(name: string, text: string | undefined, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new DemoUsageError(`--${name} must be a positive number, got "${text}"`);
  return n;
}

/** `value` rounded to 3 significant digits, upwards: a lower bound shown this way is itself accepted. */
function ceil3(value: number): number {
  const scale = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Number((Math.ceil(value / scale) * scale).toPrecision(3));
}

/**
 * Checks the options against what the demo can run (real-time.ts). `text` is what the user typed,
 * undefined for a default.
 */
function checkBounds(
  speed: number,
  exportEverySeconds: number,
  durationSeconds: number | undefined,
  text: { speed?: string; duration?: string; 'export-every'?: string; 'real-kernel'?: boolean },
): void {
  if (speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new DemoUsageError(
      `--speed must be between ${ceil3(MIN_SPEED)} and ${MAX_SPEED} (simulated seconds per real second), got "${text['speed']}": ` +
        `above ${MAX_SPEED} a ${FARGATE_REFRESH_SECONDS}-second refresh would last less than 1 ms real, the resolution of timers; ` +
        `below ${ceil3(MIN_SPEED)} the package's sampling (every half refresh) would exceed the longest Node.js timer (${MAX_TIMER_MILLIS} ms)`,
    );
  }
  const exportEvery = exportEveryBounds(speed);
  if (exportEverySeconds < exportEvery.min || exportEverySeconds > exportEvery.max) {
    throw new DemoUsageError(
      `--export-every must be between ${exportEvery.min} and ${exportEvery.max} ${text['real-kernel'] === true ? 'seconds (real time)' : `simulated seconds at --speed ${speed}`}, ` +
        `got "${text['export-every'] ?? exportEverySeconds}": one export every 1 ms to ${MAX_TIMER_MILLIS} ms real, the range of a Node.js timer`,
    );
  }
  if (durationSeconds !== undefined && durationSeconds > MAX_DURATION_SECONDS) {
    throw new DemoUsageError(
      `--duration must be between 0 (excluded) and ${MAX_DURATION_SECONDS} simulated seconds, got "${text['duration']}": ` +
        `the demo keeps every ${FARGATE_REFRESH_SECONDS}-second refresh it served, ${MAX_DURATION_SECONDS / FARGATE_REFRESH_SECONDS} at most`,
    );
  }
}

/** --real-kernel: real time on its own task, so the options that choose or pace a simulation do not apply. */
function checkRealKernel(values: { scenario?: string; replay?: string; speed?: string; duration?: string }, durationSeconds: number | undefined): void {
  for (const option of ['scenario', 'replay', 'speed'] as const) {
    if (values[option] !== undefined) {
      throw new DemoUsageError(`--${option} does not apply with --real-kernel: it runs its own task of real processes, in real time`);
    }
  }
  if (durationSeconds !== undefined && (durationSeconds < KERNEL_MIN_DURATION_SECONDS || durationSeconds > KERNEL_MAX_DURATION_SECONDS)) {
    throw new DemoUsageError(
      `--duration must be between ${KERNEL_MIN_DURATION_SECONDS} and ${KERNEL_MAX_DURATION_SECONDS} seconds with --real-kernel, got "${values.duration}": ` +
        `the incident needs ${KERNEL_MIN_DURATION_SECONDS} s (a data set read, a spike between two ${KERNEL_REFRESH_SECONDS} s refreshes, exports), ` +
        `and the demo keeps every refresh it served`,
    );
  }
}

/** Parses the arguments after `demo`. */
export function parseDemoArgs(args: readonly string[]): DemoOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        scenario: { type: 'string' },
        duration: { type: 'string' },
        speed: { type: 'string' },
        'export-every': { type: 'string' },
        replay: { type: 'string' },
        'collector-url': { type: 'string' },
        'collector-config': { type: 'string' },
        out: { type: 'string' },
        'real-kernel': { type: 'boolean' },
        oom: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new DemoUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const scenario = values.scenario ?? 'incident';
  if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) {
    throw new DemoUsageError(`--scenario must be one of ${SCENARIO_IDS.join(', ')}, got "${scenario}"`);
  }
  let replay: DemoOptions['replay'];
  const rest = [...positionals];
  if (values.replay !== undefined) {
    // `--replay task.json stats.json`: the second file arrives as a positional.
    const statsPath = rest.shift();
    if (statsPath === undefined) throw new DemoUsageError('--replay needs two files: <task.json> <stats.json>');
    replay = { taskPath: values.replay, statsPath };
  }
  if (rest.length > 0) throw new DemoUsageError(`unexpected argument "${rest[0]}"`);
  const collectorUrl = values['collector-url'];
  if (collectorUrl !== undefined && !/^https?:\/\/[^/]/.test(collectorUrl)) {
    throw new DemoUsageError(`--collector-url must be an http(s) URL, got "${collectorUrl}"`);
  }
  const realKernel = values['real-kernel'] ?? false;
  const oom = values.oom ?? false;
  if (oom && !realKernel) throw new DemoUsageError('--oom needs --real-kernel: the out-of-memory kill is the real kernel\'s');
  const durationSeconds = positive('duration', values.duration, undefined);
  const speed = realKernel ? 1 : positive('speed', values.speed, 8)!;
  const exportEverySeconds = positive('export-every', values['export-every'], realKernel ? KERNEL_EXPORT_EVERY_SECONDS : 20)!;
  if (realKernel) checkRealKernel(values, durationSeconds);
  checkBounds(speed, exportEverySeconds, durationSeconds, values);
  return {
    scenario: scenario as ScenarioId,
    durationSeconds,
    speed,
    realKernel,
    oom,
    exportEverySeconds,
    replay,
    collectorUrl,
    collectorConfigPath: values['collector-config'],
    outputPath: values.out ?? 'demo-output/ecs-task-stats-demo.svg',
    help: values.help ?? false,
  };
}
