import type { Meter, ObservableGauge } from '@opentelemetry/api';
import { MEMORY_METRICS, MEMORY_UNIT, type MemoryMetricName } from '../contract';

/** The observable gauges of the contract's metrics, by name, created together on one meter. */
export type MemoryGauges = Readonly<Record<MemoryMetricName, ObservableGauge>>;

/** Creates the gauges on a meter, with the contract's descriptions and unit. */
export function createMemoryGauges(meter: Meter): MemoryGauges {
  const gauges = {} as Record<MemoryMetricName, ObservableGauge>;
  for (const { name, description } of MEMORY_METRICS) {
    gauges[name] = meter.createObservableGauge(name, { description, unit: MEMORY_UNIT });
  }
  return gauges;
}

/** The gauges as a list, for addBatchObservableCallback/removeBatchObservableCallback. */
export function gaugeList(gauges: MemoryGauges): ObservableGauge[] {
  return MEMORY_METRICS.map(({ name }) => gauges[name]);
}
