/**
 * The export pipeline of the one-call setup. The only module that imports SDK packages; `start.ts` loads it
 * lazily, so an application that only uses the instrumentation (with its own SDK, 2.x or 3.x) never loads
 * this package's SDK copy.
 */
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { defaultResource, detectResources, envDetector } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ResolvedExportOptions } from './options';

/**
 * A MeterProvider exporting over OTLP/HTTP, or, when `exporting` is false (off ECS), one with no reader:
 * nothing to export, so no timer and no connection. The resource honours OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES.
 *
 * Gauges are exported with delta temporality: a container that stops disappears from the next export,
 * where under cumulative temporality the SDK would export its last value for ever (opentelemetry-js#4096).
 *
 * @public Used through the lazy `require('./pipeline')` in start.ts, which static analysis does not follow.
 */
export function createMeterProvider(options: ResolvedExportOptions, exporting: boolean): MeterProvider {
  const readers = exporting
    ? [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({
            url: options.url,
            temporalityPreference: AggregationTemporalityPreference.DELTA,
            timeoutMillis: options.exportTimeoutMillis,
          }),
          exportIntervalMillis: options.exportIntervalMillis,
          exportTimeoutMillis: options.exportTimeoutMillis,
        }),
      ]
    : [];
  return new MeterProvider({
    resource: defaultResource().merge(detectResources({ detectors: [envDetector] })),
    readers,
  });
}
