/**
 * The three ways of taking one sample that the benchmark compares. Each `sample()` does one complete sample
 * and keeps its result reachable (in `sink`) so that no work is optimised away.
 */
import { Client } from 'undici';
import { TaskStatsSampler } from '../src/sampler/sampler';

/** One way of taking a sample. */
export interface Subject {
  readonly sample: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Results are kept here so the JIT cannot drop the work that produced them. */
export const sink: { last: unknown } = { last: undefined };

/**
 * The floor: the least any implementation must do per sample. One GET on an already open keep-alive undici
 * connection, and JSON.parse of the whole body. No validation, no figures.
 */
export function floorSubject(metadataUri: string): Subject {
  const url = new URL(`${metadataUri}/task/stats`);
  const client = new Client(url.origin, { pipelining: 1 });
  return {
    sample: async () => {
      const response = await client.request({ method: 'GET', path: url.pathname });
      sink.last = JSON.parse(await response.body.text());
    },
    close: () => client.close(),
  };
}

const MIB = 1024 * 1024;

/**
 * The original Python script ported to Node as a first attempt would be (its bug of keeping only the last
 * container fixed): the global `fetch()` per sample, the whole payload parsed, the figures computed inline.
 *
 * Fresh connection: `connection: close`. The script sleeps 10 s before each read; undici's idle keep-alive
 * timeout is 4 s, so in the real script every sample opens a new TCP connection anyway. Asking for
 * `connection: close` reproduces that with the very `fetch()` call the port would make, instead of measuring
 * the construction of a new Agent (a second undici) per request, which the script would not do.
 */
export function naiveSubject(metadataUri: string): Subject {
  const url = `${metadataUri}/task/stats`;
  return {
    sample: async () => {
      const response = await fetch(url, { headers: { connection: 'close' } });
      const stats = (await response.json()) as Record<string, any>;
      const figures = [];
      for (const entry of Object.values(stats)) {
        const memory = entry?.memory_stats;
        if (memory?.usage === undefined) continue;
        figures.push({
          name: entry.name as string,
          usage: memory.usage / MIB,
          maxUsage: (memory.max_usage ?? memory.usage) / MIB,
          limit: (memory.stats?.hierarchical_memory_limit ?? memory.limit) / MIB,
        });
      }
      sink.last = figures;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The package: TaskStatsSampler.sampleNow(), one real sample over its keep-alive connection, with
 * validation, normalisation, limit resolution, peak tracking and the figures for the next collection.
 */
export function packageSubject(metadataUri: string): Subject & { readonly sampler: TaskStatsSampler } {
  const sampler = new TaskStatsSampler({
    metadataUri: new URL(metadataUri),
    sampleIntervalMillis: 1000,
    requestTimeoutMillis: 2000,
    maxResponseBytes: 1024 * 1024,
    staleAfterMillis: 30_000,
    includeContainer: () => true,
  });
  return {
    sampler,
    sample: async () => {
      await sampler.sampleNow();
      sink.last = sampler.current();
    },
    close: () => {
      sampler.stop();
      return Promise.resolve();
    },
  };
}
