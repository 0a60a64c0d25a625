import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerRecord } from '../../tools/demo/src/run-record';
import { niceStep, renderRunSvg } from '../../tools/demo/src/svg-chart';
import { METRIC_MAX_MEMORY_USAGE, METRIC_MEMORY_LIMIT, METRIC_MEMORY_USAGE, METRIC_MEMORY_WORKING_SET } from '../../src';

/** data-series → data-last-mib of every series of one container in the SVG. */
export function lastValues(svg: string, container: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of svg.matchAll(/data-container="([^"]*)" data-series="([^"]*)" data-last-mib="([^"]*)"/g)) {
    if (m[1] === container) out.set(m[2], Number(m[3]));
  }
  return out;
}

const record: ContainerRecord = {
  containerName: 'job',
  exports: [
    { tSeconds: 20, values: { [METRIC_MEMORY_USAGE]: 1000, [METRIC_MAX_MEMORY_USAGE]: 1200, [METRIC_MEMORY_LIMIT]: 4096, [METRIC_MEMORY_WORKING_SET]: 600 } },
    { tSeconds: 40, values: { [METRIC_MEMORY_USAGE]: 3000.5, [METRIC_MAX_MEMORY_USAGE]: 3500.25, [METRIC_MEMORY_LIMIT]: 4096, [METRIC_MEMORY_WORKING_SET]: 900.75 } },
  ],
  ciMinutes: [{ startSeconds: 0, mean: 512, count: 6 }],
};

test('every series ends at the last exported value and the CI-style line at the last minute', () => {
  const svg = renderRunSvg([record], { title: 'T', subtitle: 'S', durationSeconds: 60 });
  const last = lastValues(svg, 'job');
  const final = record.exports[record.exports.length - 1].values;
  for (const name of Object.keys(final)) assert.equal(last.get(name), final[name], name);
  assert.equal(last.get('ContainerInsightsStyle'), record.ciMinutes[0].mean);
});

test('axes are labelled with quantity and unit', () => {
  const svg = renderRunSvg([record], { title: 'T', subtitle: 'S', durationSeconds: 60 });
  assert.match(svg, /Memory \(GiB\)/, 'values ≥ 2 GiB are shown in GiB');
  assert.match(svg, /Simulated time since task start \(minutes\)/);
  const small = renderRunSvg([{ ...record, exports: [{ tSeconds: 1, values: { [METRIC_MEMORY_USAGE]: 90, [METRIC_MEMORY_LIMIT]: 512 } }] }], {
    title: 'T',
    subtitle: 'S',
    durationSeconds: 60,
  });
  assert.match(small, /Memory \(MiB\)/);
});

test('--real-kernel: the time axis is real seconds, one tick every 5 s of a 30-second run (30 / 6 = 5)', () => {
  const inThirtySeconds = { ...record, exports: record.exports.map((e) => ({ ...e, tSeconds: e.tSeconds / 2 })) };
  const svg = renderRunSvg([inThirtySeconds], { title: 'T', subtitle: 'S', durationSeconds: 30, realTime: true });
  assert.match(svg, /Real time since task start \(seconds\)/);
  const ticks = [...svg.matchAll(/class="tick" text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(ticks, ['0', '5', '10', '15', '20', '25', '30']);
});

test('nice tick steps', () => {
  assert.equal(niceStep(20, 6), 5);
  assert.equal(niceStep(600, 6), 100);
  assert.equal(niceStep(1.2, 6), 0.2);
});

test('a container name with control characters keeps the picture well-formed XML: they are shown as escapes', () => {
  // XML 1.0 allows no C0 control but tab, LF and CR, not even as a character reference: one raw ESC and a
  // browser refuses the whole file. Markup characters are escaped as before.
  const svg = renderRunSvg([{ ...record, containerName: 'evil\u001b]0;x\u0007<b>&"' }], { title: 'T', subtitle: 'S', durationSeconds: 60 });
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  assert.doesNotMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  assert.match(svg, /data-panel="evil\\u001b\]0;x\\u0007&lt;b&gt;&amp;&quot;"/);
});
