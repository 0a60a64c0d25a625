import { MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR_CONTAINER_NAME } from '../../../src/contract';

/** A pull reader for in-process assertions: `collect()` runs the observable callbacks synchronously. */
export class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Flattens one collection to `metric → [ContainerName, value]`, sorted, for assertions. */
export function pointsByMetric(resourceMetrics: ResourceMetrics): Record<string, Array<[string, number]>> {
  const out: Record<string, Array<[string, number]>> = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = metric.dataPoints.map((dp) => [String(dp.attributes[ATTR_CONTAINER_NAME]), dp.value as number] as [string, number]);
      if (points.length > 0) out[metric.descriptor.name] = points.sort((a, b) => a[0].localeCompare(b[0]));
    }
  }
  return out;
}
