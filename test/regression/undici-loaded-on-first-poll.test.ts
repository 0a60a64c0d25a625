/**
 * Issue 15: `require('otel-ecs-task-stats')` loaded undici (170–185 ms of CPU and 4.8 MiB of heap) even off ECS,
 * where the package never makes a request. The endpoint client now loads it when the first poll needs it.
 * Each case runs in a child process: require.cache is per process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture } from '../../tools/testing/src';

const PACKAGE_ENTRY = join(__dirname, '..', '..', 'src', 'index.js');

/** Runs `body` in a child that has required the package as `pkg`; resolves with the undici modules it then holds. */
async function undiciModulesAfter(body: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    const pkg = require(${JSON.stringify(PACKAGE_ENTRY)});
    (async () => {
      ${body}
      const undici = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(path));
      process.stdout.write(String(undici.length));
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env });
  return Number(stdout);
}

const withoutMetadataUri = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.ECS_CONTAINER_METADATA_URI_V4;
  return env;
};

describe('undici is loaded by the first poll, not by the import', () => {
  it('off ECS: require plus startEcsTaskStats() and its shutdown leave no undici module in require.cache', async () => {
    assert.equal(await undiciModulesAfter('const stats = pkg.startEcsTaskStats(); await stats.forceFlush(); await stats.shutdown();', withoutMetadataUri()), 0);
  });

  it('on ECS, before the first poll (enabled: false) none either; the first poll loads it', async (t) => {
    const endpoint = await new FakeMetadataEndpoint().start();
    t.after(() => endpoint.close());
    endpoint.route('/task', { body: loadFixture(FIXTURE_PAIRS.fargateV1.task) }).route('/task/stats', { body: loadFixture(FIXTURE_PAIRS.fargateV1.stats) });
    const env = { ...process.env, ECS_CONTAINER_METADATA_URI_V4: endpoint.uri };
    assert.equal(await undiciModulesAfter('new pkg.EcsTaskStatsInstrumentation({ enabled: false });', env), 0);
    const polled = 'const i = new pkg.EcsTaskStatsInstrumentation({ enabled: false }); i.enable(); await i.sampleNow(); i.disable();';
    assert.ok((await undiciModulesAfter(polled, env)) > 0, 'the poll loaded undici');
    assert.equal(endpoint.count('/task/stats'), 1);
  });
});
