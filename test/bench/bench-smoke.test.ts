import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoPath } from '../../tools/testing/src';

const BENCH_ENTRY = repoPath('build', 'bench', 'main.js');

// Keeps `npm run bench` from rotting: the quick run must finish and print its JSON line with every figure.
// No figure is compared with a time or a target (a shared machine makes those noise); only the shape and
// what the fake endpoints saw (fresh connections for the naive port, keep-alive for the others back to back)
// are asserted.
describe('npm run bench -- --quick', () => {
  it('prints the tables and a final JSON line with every figure', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', BENCH_ENTRY, '--quick'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trimEnd().split('\n');
    const result = JSON.parse(lines[lines.length - 1]);
    assert.ok(lines.some((line) => line.startsWith('| containers | subject')), 'the per-sample table is printed');
    assert.ok(lines.some((line) => line.startsWith('| subject ')), 'the steady-state table is printed');

    assert.equal(result.quick, true);
    assert.deepEqual(Object.keys(result).sort(), [
      'builds',
      'collection',
      'importCost',
      'longestSlice',
      'machine',
      'perSample',
      'perSampleAtInterval',
      'quick',
      'retainedHeap',
      'steadyState',
      'targets',
    ]);
    assert.deepEqual(result.builds.map((b: any) => b.name), ['change'], 'no --base: this checkout only');

    // The floor, host-metrics, then the package at 5 s and 1 s for 1, 10 and 100 containers.
    assert.deepEqual(
      result.steadyState.map((r: any) => [r.subject, r.sampleIntervalMillis ?? null, r.containers ?? null]),
      [['floor', null, null], ['host-metrics', null, null], ...[5000, 1000].flatMap((i) => [1, 10, 100].map((n) => ['package', i, n]))],
    );
    for (const row of result.steadyState) {
      assert.ok(row.cpuPercent >= 0 && row.rssMiB > 0, JSON.stringify(row));
      if (row.subject === 'package') assert.ok(row.statsRequestsPerMinute >= 0 && row.connectionsPerMinute >= 0, JSON.stringify(row));
    }
    assert.deepEqual(result.importCost.map((i: any) => i.module), ['undici', 'package (change)']);
    assert.deepEqual(result.longestSlice.map((s: any) => s.containers), [1, 10, 100]);
    for (const slice of result.longestSlice) assert.ok(slice.perSampleMaxMillis > 0 && slice.perCollectionMaxMillis > 0, JSON.stringify(slice));

    for (const table of [result.perSample, result.perSampleAtInterval]) {
      assert.deepEqual(table.map((s: any) => s.containers), [1, 3, 10, 100]);
      for (const size of table) {
        assert.deepEqual(Object.keys(size.subjects).sort(), ['floor', 'naive', 'package', 'packageDuplicate']);
        for (const subject of Object.values<any>(size.subjects)) {
          assert.ok(subject.cpuMicros > 0 && subject.wallMicros > 0, JSON.stringify(subject));
        }
        assert.equal(size.subjects.naive.connectionsPerSample, 1, 'the naive port opens a connection per sample');
        for (const ratio of ['cpuPackageOverFloor', 'cpuPackageOverNaive', 'wallPackageOverFloor', 'wallPackageOverNaive']) {
          assert.ok(Number.isFinite(size[ratio]), ratio);
        }
      }
    }
    for (const size of result.perSample) {
      // Not exactly 0: undici closes a connection idle for 4 s, and a loaded machine can pause that long.
      assert.ok(size.subjects.floor.connectionsPerSample < 0.5, 'the floor reuses its keep-alive connection');
      assert.ok(size.subjects.package.connectionsPerSample < 0.5, 'the package reuses its keep-alive connection');
    }
    assert.equal(result.collection.points, 50, '10 containers × 5 gauges');
    for (const key of ['collectCpuMicros', 'emptyCollectCpuMicros', 'callbackCpuMicros']) assert.ok(result.collection[key] > 0, key);
    assert.equal(result.retainedHeap.lateSamples, 1000);
    assert.ok(Number.isFinite(result.retainedHeap.growthBytes));
    assert.deepEqual(
      result.targets.map((t: any) => t.name),
      [
        'addedCpuAtDefaultsVsHostMetrics',
        'requestsAt1s(1)',
        'addedCpuAt1s(1)',
        'requestsAt1s(10)',
        'addedCpuAt1s(10)',
        'importOffEcs',
        'longestSlicePerSample10',
        'cpuPackageOverFloor',
        'cpuNaiveOverPackage',
        'collect10ContainersMicros',
        'retainedHeapGrowthBytes',
      ],
    );
  });
});
