// Configs the real collector refuses must be refused by loadCollectorConfig too (the EMF preview's loader,
// which the demo and the deploy tests rely on where no Go toolchain exists). Each broken config is the
// shipped collector-config.yaml with one edit, written to a temporary file; both run on the same file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadCollectorConfig } from '../../tools/emf-preview/src';
import { CollectorProcess, readRepoFile } from '../../tools/testing/src';

const SHIPPED = readRepoFile('collector-config.yaml');

/** One edit of the shipped config, and what both sides must name in their error. */
interface Broken {
  what: string;
  from: string;
  to: string;
  /** Matched against the collector's output. */
  collectorSays: RegExp;
  /** Matched against loadCollectorConfig's error message. */
  loaderSays: RegExp;
}

const BROKEN: Broken[] = [
  {
    what: 'an awsemf key this awsemf does not have (disable_metric_extraction, from a newer fork)',
    from: '    namespace: ECS/Container\n',
    to: '    namespace: ECS/Container\n    disable_metric_extraction: true\n',
    collectorSays: /has invalid keys: disable_metric_extraction/,
    loaderSays: /unknown key "disable_metric_extraction"/,
  },
  {
    what: 'an awsemf key of the CloudWatch agent\'s fork (certificate_file_path)',
    from: '    namespace: ECS/Container\n',
    to: '    namespace: ECS/Container\n    certificate_file_path: /etc/ssl/ca.pem\n',
    collectorSays: /has invalid keys: certificate_file_path/,
    loaderSays: /unknown key "certificate_file_path"/,
  },
  {
    what: 'a misspelt key in a metric declaration (dimension for dimensions)',
    from: '      - dimensions: [[ContainerName]]\n',
    to: '      - dimension: [[ContainerName]]\n',
    collectorSays: /has invalid keys: dimension\b/,
    loaderSays: /unknown key "dimension"/,
  },
  {
    what: 'a pipeline processor that is not defined (resourcedetection/ecs renamed in processors only)',
    from: '  resourcedetection/ecs:\n',
    to: '  resourcedetection/task:\n',
    collectorSays: /references processor "resourcedetection\/ecs" which is not configured/,
    loaderSays: /processors "resourcedetection\/ecs" is used but not defined/,
  },
  {
    what: 'a component ADOT does not ship (the transform processor)',
    from: '  batch:\n',
    to: '  batch:\n  transform:\n',
    collectorSays: /unknown type: "transform"/,
    loaderSays: /processors type "transform" is not in the ADOT collector/,
  },
  {
    what: 'a misspelt top-level section (exporter for exporters)',
    from: '\nexporters:\n',
    to: '\nexporter:\n  debug:\nexporters:\n',
    collectorSays: /has invalid keys: exporter\b/,
    loaderSays: /unknown top-level key "exporter"/,
  },
  {
    what: 'an exporter ADOT removed (logging), in the pipeline',
    from: '      exporters: [awsemf]\n',
    to: '      exporters: [awsemf, logging]\n',
    collectorSays: /references exporter "logging" which is not configured|unknown type: "logging"/,
    loaderSays: /exporters type "logging" is not in the ADOT collector/,
  },
  {
    what: 'a metric name selector that is not a valid regex',
    from: '          - "^MemoryUsage$"\n',
    to: '          - "^MemoryUsage($"\n',
    collectorSays: /error parsing regexp: missing closing \)/,
    loaderSays: /is not a valid regex/,
  },
];

describe('broken configs: refused by the real collector and by loadCollectorConfig alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refused-configs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  BROKEN.forEach((broken, i) => {
    it(broken.what, async () => {
      assert.ok(SHIPPED.includes(broken.from), `the shipped config no longer contains ${JSON.stringify(broken.from)}: update this test`);
      const path = join(dir, `broken-${i}.yaml`);
      writeFileSync(path, SHIPPED.replace(broken.from, broken.to));

      const run = await CollectorProcess.refuses(path, {});
      assert.equal(run.ready, false, `the collector started on it:\n${run.output}`);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, broken.collectorSays);

      assert.throws(() => loadCollectorConfig(path), broken.loaderSays);
    });
  });
});
