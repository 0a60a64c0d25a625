import assert from 'node:assert/strict';
import Module from 'node:module';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES, startEcsTaskStats } from '../../src';
import { FakeMetadataEndpoint, FIXTURE_PAIRS, loadFixture, UndiciRequests } from '../../tools/testing/src';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };

// Its own file: node --test runs each file in its own process, so the lazily loaded pipeline is not cached yet.
describe('startEcsTaskStats() without the SDK packages installed', () => {
  let endpoint: FakeMetadataEndpoint;
  const resolve = loader._resolveFilename;

  before(async () => {
    endpoint = await new FakeMetadataEndpoint().start();
    endpoint.route('/task', { body: loadFixture(FIXTURE_PAIRS.fargateV1.task) });
    endpoint.route('/task/stats', { body: loadFixture(FIXTURE_PAIRS.fargateV1.stats) });
    // As if the application had not installed @opentelemetry/sdk-metrics (an optional peer dependency).
    loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
      if (request === '@opentelemetry/sdk-metrics') {
        throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
      }
      return resolve.call(this, request, ...rest);
    };
  });
  after(async () => {
    loader._resolveFilename = resolve;
    await endpoint.close();
  });

  it('throws an error naming the packages to install, and leaves no sampler polling behind', (t) => {
    const requests = new UndiciRequests();
    t.after(() => requests.dispose());
    assert.throws(() => startEcsTaskStats({ metadataUri: endpoint.uri, handleSignals: false }), {
      name: 'Error',
      code: ERROR_CODES.MISSING_SDK,
      message: /needs the OpenTelemetry SDK packages @opentelemetry\/sdk-metrics, @opentelemetry\/exporter-metrics-otlp-http, @opentelemetry\/resources/,
    });
    // A sampler started at construction makes its first request at once, synchronously (undici's
    // diagnostics channel sees it as it is created): there is nothing to wait for.
    assert.deepEqual(requests.urls, []);
  });
});
