// loadCollectorConfig / parseCollectorConfig: what the collector refuses at start, the loader refuses too.
// The same broken configs run on the real collector in test/collector/refused-configs.collector.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCollectorConfig } from '../../tools/emf-preview/src';

/** A minimal valid config; `extra` is appended as more YAML. */
function config(extra = '', processors = '[batch]'): string {
  return [
    'receivers:', '  otlp:', '    protocols:', '      http:',
    'processors:', '  batch:',
    'exporters:', '  awsemf:', '    namespace: ECS/Container',
    extra,
    'service:', '  pipelines:', '    metrics:', '      receivers: [otlp]', `      processors: ${processors}`, '      exporters: [awsemf]',
  ].join('\n');
}

describe('parseCollectorConfig', () => {
  it('accepts a minimal config and returns its awsemf exporter', () => {
    const parsed = parseCollectorConfig(config());
    assert.equal(parsed.awsemfExporterId, 'awsemf');
    assert.equal(parsed.awsemf.namespace, 'ECS/Container');
  });

  it('refuses a component used by a pipeline but not defined', () => {
    assert.throws(() => parseCollectorConfig(config('', '[batch, resourcedetection/ecs]')), /processors "resourcedetection\/ecs" is used but not defined/);
  });

  it('refuses a defined component of a type ADOT does not ship, even when no pipeline uses it (regression)', () => {
    // The collector builds every component of a section at start: `transform` alone stops it
    // ("unknown type"). The loader used to check only the components the service uses.
    assert.throws(() => parseCollectorConfig(config().replace('  batch:', '  batch:\n  transform:')), /processors type "transform" is not in the ADOT collector/);
  });

  it('refuses an unknown top-level key (regression)', () => {
    assert.throws(() => parseCollectorConfig(config('exporter:\n  debug:')), /unknown top-level key "exporter"/);
  });
});
