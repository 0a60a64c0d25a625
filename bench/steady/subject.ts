/**
 * One subject of the steady-state run, alone in its process, as a task's application process would run it:
 * - `floor`: the OpenTelemetry SDK and the OTLP/HTTP exporter only, built as startEcsTaskStats() builds them
 *   (delta temporality, 60 s export), with no instrument: the price of having OpenTelemetry at all;
 * - `host-metrics`: the floor plus @opentelemetry/host-metrics at its defaults, the in-process reference;
 * - `package`: `startEcsTaskStats()` from the given build of the package, with its defaults but
 *   `sampleIntervalMillis`, against ECS_CONTAINER_METADATA_URI_V4.
 * It idles through a warm-up, then reports its CPU (user + system) and RSS over the window as one IPC message.
 */
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { defaultResource, detectResources, envDetector } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** What the parent asks of this process (argv[2], JSON). */
export interface SubjectSpec {
  readonly kind: 'floor' | 'host-metrics' | 'package';
  /** `package`: the folder of the build to require (its index.js). */
  readonly packageDir?: string;
  readonly sampleIntervalMillis?: number;
  readonly otlpUrl: string;
  readonly warmupMillis: number;
  readonly windowMillis: number;
}

/** What it reports. */
export interface SubjectReport {
  readonly cpuMicros: number;
  readonly windowMillis: number;
  readonly rssBytes: number;
  readonly maxRssBytes: number;
}

const EXPORT_INTERVAL_MILLIS = 60_000;

function sdkOnly(url: string): MeterProvider {
  return new MeterProvider({
    resource: defaultResource().merge(detectResources({ detectors: [envDetector] })),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA }),
        exportIntervalMillis: EXPORT_INTERVAL_MILLIS,
      }),
    ],
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as SubjectSpec;
  if (spec.kind === 'floor') sdkOnly(spec.otlpUrl);
  else if (spec.kind === 'host-metrics') new HostMetrics({ meterProvider: sdkOnly(spec.otlpUrl) }).start();
  else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build under test, base or change
    const pkg = require(spec.packageDir!) as typeof import('../../src');
    pkg.startEcsTaskStats({ url: spec.otlpUrl, sampleIntervalMillis: spec.sampleIntervalMillis });
  }
  await sleep(spec.warmupMillis);
  const start = process.cpuUsage();
  const wallStart = performance.now();
  await sleep(spec.windowMillis);
  const cpu = process.cpuUsage(start);
  const report: SubjectReport = {
    cpuMicros: cpu.user + cpu.system,
    windowMillis: performance.now() - wallStart,
    rssBytes: process.memoryUsage().rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.(report);
  process.disconnect?.();
  process.exit(0);
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

if (require.main === module) void main();
