// The documented config variants: each differs from collector-config.yaml only where it says, and the
// dimensions variant costs what its header says (metrics per container, counted by the preview).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCollectorConfig, previewEmf } from '../../tools/emf-preview/src';
import { gaugeRequest, type MetricSpec } from '../emf-preview/otlp-builders';
import { repoPath } from '../../tools/testing/src';
import {
  ATTR_CLUSTER_NAME,
  ATTR_CONTAINER_NAME,
  ATTR_TASK_DEFINITION_FAMILY,
  METRIC_MAX_MEMORY_USAGE,
  METRIC_MEMORY_LIMIT,
  METRIC_MEMORY_USAGE,
  METRIC_MEMORY_UTILIZED,
  METRIC_MEMORY_WORKING_SET,
} from '../../src';

/** Leaf path → JSON of the value, for every scalar and empty container in a parsed document. */
function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, path === '' ? key : `${path}.${key}`, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** The paths where two documents differ. */
function differingPaths(a: unknown, b: unknown): string[] {
  const fa = flatten(a);
  const fb = flatten(b);
  return [...new Set([...fa.keys(), ...fb.keys()])].filter((p) => fa.get(p) !== fb.get(p)).sort();
}

const base = loadCollectorConfig(repoPath('collector-config.yaml'));
const bridge = loadCollectorConfig(repoPath('deploy', 'variants', 'collector-config.ec2-bridge.yaml'));
const dims = loadCollectorConfig(repoPath('deploy', 'variants', 'collector-config.more-dimensions.yaml'));

const FIVE = [METRIC_MEMORY_USAGE, METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_WORKING_SET, METRIC_MEMORY_UTILIZED];
const attrs = { [ATTR_CONTAINER_NAME]: 'app', [ATTR_TASK_DEFINITION_FAMILY]: 'shop', [ATTR_CLUSTER_NAME]: 'prod' };
const oneContainer: MetricSpec[] = FIVE.map((name) => ({ name, points: [{ attrs, value: 1 }] }));

describe('EC2 bridge variant', () => {
  it('differs only in the OTLP receiver endpoint, which listens on all interfaces', () => {
    assert.deepEqual(differingPaths(base.document, bridge.document), ['receivers.otlp.protocols.http.endpoint']);
    assert.equal(flatten(bridge.document).get('receivers.otlp.protocols.http.endpoint'), '"0.0.0.0:4318"');
  });

  it('produces the same CloudWatch metrics as the Fargate config', () => {
    const request = gaugeRequest(oneContainer);
    assert.deepEqual(previewEmf(request, bridge.awsemf).metrics, previewEmf(request, base.awsemf).metrics);
  });
});

describe('more-dimensions variant', () => {
  it('differs only in the declaration\'s dimension sets', () => {
    const paths = differingPaths(base.document, dims.document);
    assert.ok(paths.length > 0);
    assert.deepEqual(paths.filter((p) => !p.startsWith('exporters.awsemf.metric_declarations.0.dimensions.')), []);
  });

  it('costs 15 metrics per container instead of 5: five per dimension set', () => {
    const request = gaugeRequest(oneContainer);
    assert.equal(previewEmf(request, base.awsemf).metrics.length, 5);
    const metrics = previewEmf(request, dims.awsemf).metrics;
    assert.equal(metrics.length, 15);
    const perSet = new Map<string, number>();
    for (const m of metrics) {
      const key = Object.keys(m.dimensions).join(',');
      perSet.set(key, (perSet.get(key) ?? 0) + 1);
    }
    const sets = [[ATTR_CLUSTER_NAME, ATTR_CONTAINER_NAME], [ATTR_CONTAINER_NAME], [ATTR_CONTAINER_NAME, ATTR_TASK_DEFINITION_FAMILY]];
    assert.deepEqual([...perSet].sort(), sets.map((set) => [set.join(','), 5]));
  });
});
