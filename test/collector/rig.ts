// The pieces every real-collector test sets up: a task metadata endpoint serving a fixture pair (and the
// container's own metadata), a fake CloudWatch Logs, and the collector with a config from the repository.
// Test helper: not a test file.
import { CollectorProcess, FakeCloudWatchLogs, FakeMetadataEndpoint, fixtureText, loadFixture, type StoredLogEvent } from '../../tools/testing/src';

/** A /task + /task/stats fixture pair (FIXTURE_PAIRS of the test kit, tools/testing). */
export interface FixturePair {
  readonly task: string;
  readonly stats: string;
}

/** What resourcedetection/ecs makes of a TaskARN: its last `/` segment (ecs.go parseTaskARN). */
export function taskIdOf(pair: FixturePair): string {
  return String(loadFixture(pair.task).TaskARN).split('/').at(-1)!;
}

/**
 * A metadata endpoint serving a fixture pair. `${URI}` itself answers with the first container of `/task`:
 * the container's own metadata, which resourcedetection/ecs reads after `/task` (without it, contrib
 * v0.152.0 fails to start the pipeline after 5 s of retries; v0.158.0 starts without `aws.log.*`).
 */
export async function fixtureEndpoint(pair: FixturePair): Promise<FakeMetadataEndpoint> {
  const endpoint = await new FakeMetadataEndpoint().start();
  const task = loadFixture(pair.task);
  endpoint.route('/', { body: task.Containers[0] });
  // Byte for byte: a JSON round trip in JavaScript would turn 9223372036854771712 into 9223372036854772000.
  endpoint.route('/task', { body: fixtureText(pair.task) });
  endpoint.route('/task/stats', { body: fixtureText(pair.stats) });
  return endpoint;
}

/** The collector between a metadata endpoint and a fake CloudWatch Logs; `close()` ends what it started. */
export class CollectorRig {
  private _collector: CollectorProcess | undefined;

  private constructor(
    readonly configPath: string,
    readonly endpoint: FakeMetadataEndpoint,
    readonly cloudWatchLogs: FakeCloudWatchLogs,
  ) {}

  /**
   * Starts the fake CloudWatch Logs and, unless `startCollector` is false, the collector on `configPath`
   * (unchanged), pointed at both. The rig owns `endpoint` from here on: `close()` closes it, and so does a
   * failed start.
   */
  static async start(configPath: string, endpoint: FakeMetadataEndpoint, options: { startCollector?: boolean } = {}): Promise<CollectorRig> {
    const rig = new CollectorRig(configPath, endpoint, await new FakeCloudWatchLogs().start());
    try {
      if (options.startCollector !== false) await rig.startCollector();
      return rig;
    } catch (error) {
      await rig.close();
      throw error;
    }
  }

  /** The collector process running now (a new one after each `startCollector()`). */
  get collector(): CollectorProcess {
    if (this._collector === undefined) throw new Error('no collector started');
    return this._collector;
  }

  /** Starts a collector process on the config and servers (the previous one must have been stopped). */
  async startCollector(): Promise<CollectorProcess> {
    if (this._collector?.exit === undefined && this._collector !== undefined) throw new Error('a collector is still running');
    this._collector = await CollectorProcess.start(this.configPath, { metadataUri: this.endpoint.uri, cloudWatchLogsUrl: this.cloudWatchLogs.url });
    return this._collector;
  }

  /** Stops the collector (SIGTERM, then SIGKILL), the servers stay up. */
  async stopCollector(): Promise<void> {
    await this._collector?.stop();
  }

  /** Stops the collector, then the fake servers. */
  async close(): Promise<void> {
    try {
      await this.stopCollector();
    } finally {
      await this.cloudWatchLogs.close();
      await this.endpoint.close();
    }
  }
}

/** One CloudWatch metric an EMF event declares: `name|dimension=value,...|unit|value`. */
export function declaredMetrics(event: StoredLogEvent): string[] {
  const emf = event.emf ?? {};
  const lines: string[] = [];
  for (const directive of emf._aws?.CloudWatchMetrics ?? []) {
    for (const set of directive.Dimensions as string[][]) {
      const dims = [...set].sort().map((d) => `${d}=${String(emf[d])}`).join(',');
      for (const metric of directive.Metrics as Array<{ Name: string; Unit: string }>) {
        lines.push(`${directive.Namespace as string}|${metric.Name}|${dims}|${metric.Unit}|${String(emf[metric.Name])}`);
      }
    }
  }
  return lines;
}
