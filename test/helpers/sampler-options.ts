import type { SamplerOptions } from '../../src/sampler/sampler';

/** Sampler options for tests: a manual clock, no jitter, every container included. */
export function samplerOptions(uri: string, overrides: Partial<SamplerOptions> = {}): SamplerOptions & { clock: () => number } {
  return {
    metadataUri: new URL(uri),
    sampleIntervalMillis: 1000,
    requestTimeoutMillis: 2000,
    maxResponseBytes: 1024 * 1024,
    staleAfterMillis: 30_000,
    includeContainer: () => true,
    clock: () => 0,
    random: () => 0.5,
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export class ManualClock {
  now = 0;
  readonly read = (): number => this.now;
}
