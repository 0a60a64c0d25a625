import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoPath } from './repo-paths';

/** The binary `npm run collector:build` makes (scripts/collector-build.sh). */
export const COLLECTOR_BINARY = repoPath('.cache', 'otelcol', 'otelcol-ecs');

/** The line the collector logs once every pipeline and extension has started (otelcol collector.go). */
const READY_LINE = 'Everything is ready. Begin running and processing data.';

/** What the collector process sees of the world: the task metadata endpoint and CloudWatch Logs. */
export interface CollectorEnvironment {
  /** ECS_CONTAINER_METADATA_URI_V4, read by resourcedetection/ecs and awsecscontainermetrics. */
  metadataUri?: string;
  /** AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: where awsemf sends PutLogEvents (the shipped config stays unchanged). */
  cloudWatchLogsUrl?: string;
  /** More variables, for `${env:NAME}` in a test config. */
  extra?: Readonly<Record<string, string>>;
}

/** Fake static credentials and a region: awsemf refuses to start without a region, and signs every call. */
const AWS_TEST_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret-not-a-real-key',
  // Nothing else from the machine: no shared config or credentials files, no EC2 instance metadata lookups.
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const live = new Set<ChildProcess>();
// A test runner that dies between start and stop must not leave a collector behind: end ours, by pid.
process.on('exit', () => {
  for (const child of live) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

function collectorEnv(env: CollectorEnvironment): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...AWS_TEST_ENV, ...env.extra };
  if (env.metadataUri !== undefined) out.ECS_CONTAINER_METADATA_URI_V4 = env.metadataUri;
  if (env.cloudWatchLogsUrl !== undefined) out.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = env.cloudWatchLogsUrl;
  return out;
}

function requireBinary(): void {
  if (!existsSync(COLLECTOR_BINARY)) throw new Error(`${COLLECTOR_BINARY} is missing: run \`npm run collector:build\` first`);
}

/** How a collector process ended. */
export interface CollectorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real collector (the test build of the ADOT components) running one config, ended by pid in `stop()`. */
export class CollectorProcess {
  private _output = '';
  private readonly _exited: Promise<CollectorExit>;
  private _exit: CollectorExit | undefined;

  private constructor(private readonly _child: ChildProcess) {
    live.add(_child);
    const append = (chunk: Buffer): void => {
      this._output += chunk.toString('utf8');
    };
    _child.stdout?.on('data', append);
    _child.stderr?.on('data', append);
    this._exited = new Promise((resolve) => {
      _child.on('exit', (code, signal) => {
        live.delete(_child);
        this._exit = { code, signal };
        resolve(this._exit);
      });
    });
  }

  /**
   * Starts `otelcol-ecs --config=<configPath>` and resolves once it logs that it is ready; rejects with its
   * log if it exits first or is not ready within `readyBoundMillis`.
   */
  static async start(configPath: string, env: CollectorEnvironment, readyBoundMillis = 30_000): Promise<CollectorProcess> {
    requireBinary();
    const collector = new CollectorProcess(spawn(COLLECTOR_BINARY, [`--config=${configPath}`], { env: collectorEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
    const deadline = Date.now() + readyBoundMillis;
    while (!collector._output.includes(READY_LINE)) {
      if (collector._exit !== undefined) throw new Error(`collector exited (${JSON.stringify(collector._exit)}) before it was ready:\n${collector._output}`);
      if (Date.now() > deadline) {
        await collector.stop();
        throw new Error(`collector not ready after ${readyBoundMillis} ms:\n${collector._output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return collector;
  }

  /**
   * Runs the collector on a config it is expected to refuse: resolves with how it exited and what it said.
   * A collector that starts anyway is stopped after `boundMillis` (and reported with `ready: true`).
   */
  static async refuses(configPath: string, env: CollectorEnvironment, boundMillis = 15_000): Promise<CollectorExit & { output: string; ready: boolean }> {
    requireBinary();
    const collector = new CollectorProcess(spawn(COLLECTOR_BINARY, [`--config=${configPath}`], { env: collectorEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
    const timer = setTimeout(() => void collector.stop(), boundMillis);
    const exit = await collector._exited;
    clearTimeout(timer);
    return { ...exit, output: collector._output, ready: collector._output.includes(READY_LINE) };
  }

  /** Runs `otelcol-ecs <args>` to completion (e.g. `components`, `--version`). */
  static async run(args: string[], boundMillis = 15_000): Promise<CollectorExit & { output: string }> {
    requireBinary();
    const collector = new CollectorProcess(spawn(COLLECTOR_BINARY, args, { env: collectorEnv({}), stdio: ['ignore', 'pipe', 'pipe'] }));
    const timer = setTimeout(() => void collector.stop(), boundMillis);
    const exit = await collector._exited;
    clearTimeout(timer);
    return { ...exit, output: collector._output };
  }

  get pid(): number {
    return this._child.pid!;
  }

  /** Everything it wrote to stdout and stderr so far. */
  get output(): string {
    return this._output;
  }

  /** How it ended, once it has. */
  get exit(): CollectorExit | undefined {
    return this._exit;
  }

  /** SIGTERM (the collector flushes batch and awsemf), SIGKILL after `boundMillis`; resolves once it exited. */
  async stop(boundMillis = 15_000): Promise<CollectorExit> {
    if (this._exit !== undefined) return this._exit;
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this._exit === undefined) process.kill(this.pid, 'SIGKILL');
    }, boundMillis);
    const exit = await this._exited;
    clearTimeout(timer);
    return exit;
  }
}
