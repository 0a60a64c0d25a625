import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoPath } from '../../tools/testing/src';

const BENCH_ENTRY = repoPath('build', 'bench', 'main.js');

// Keeps `npm run bench` from rotting: the quick run must finish and print its JSON line with every figure.
// No figure is compared with a time or a target (a shared machine makes those noise); only the shape and
// what the fake endpoint saw (fresh connections for the naive port, keep-alive for the others) are asserted.
describe('npm run bench -- --quick', () => {
  it('prints the tables and a final JSON line with every figure', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', BENCH_ENTRY, '--quick'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trimEnd().split('\n');
    const result = JSON.parse(lines[lines.length - 1]);
    assert.ok(lines.some((line) => line.startsWith('| containers | subject')), 'the per-sample table is printed');

    assert.equal(result.quick, true);
    assert.deepEqual(Object.keys(result).sort(), ['collection', 'eventLoopDelay', 'machine', 'perSample', 'quick', 'retainedHeap', 'targets']);
    assert.deepEqual(result.perSample.map((s: any) => s.containers), [1, 3, 10, 100]);
    for (const size of result.perSample) {
      assert.deepEqual(Object.keys(size.subjects).sort(), ['floor', 'naive', 'package', 'packageDuplicate']);
      for (const subject of Object.values<any>(size.subjects)) {
        assert.ok(subject.cpuMicros > 0 && subject.wallMicros > 0, JSON.stringify(subject));
      }
      assert.equal(size.subjects.naive.connectionsPerSample, 1, 'the naive port opens a connection per sample');
      // Not exactly 0: undici closes a connection idle for 4 s, and a loaded machine can pause that long.
      assert.ok(size.subjects.floor.connectionsPerSample < 0.5, 'the floor reuses its keep-alive connection');
      assert.ok(size.subjects.package.connectionsPerSample < 0.5, 'the package reuses its keep-alive connection');
      for (const ratio of ['cpuPackageOverFloor', 'cpuPackageOverNaive', 'wallPackageOverFloor', 'wallPackageOverNaive']) {
        assert.ok(Number.isFinite(size[ratio]), ratio);
      }
    }
    assert.equal(result.collection.points, 50, '10 containers × 5 gauges');
    for (const key of ['collectCpuMicros', 'emptyCollectCpuMicros', 'callbackCpuMicros']) assert.ok(result.collection[key] > 0, key);
    for (const key of ['addedP50Micros', 'addedP99Micros', 'addedMaxMicros']) assert.ok(Number.isFinite(result.eventLoopDelay[key]), key);
    assert.ok(result.eventLoopDelay.samplesTaken >= 1);
    assert.equal(result.retainedHeap.lateSamples, 1000);
    assert.ok(Number.isFinite(result.retainedHeap.growthBytes));
    assert.deepEqual(
      result.targets.map((t: any) => t.name),
      ['cpuPackageOverFloor', 'cpuNaiveOverPackage', 'collect10ContainersMicros', 'addedP99EventLoopDelayMicros', 'retainedHeapGrowthBytes'],
    );
  });
});
