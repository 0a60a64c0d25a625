/* global require, process, console, setInterval, clearInterval, setTimeout, setImmediate */
// An application as users write it, in CommonJS: require() is the point here, not a style slip.
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
// The application of the compatibility matrix (scripts/compat.sh copies it next to each fixture's
// node_modules, where `otel-ecs-task-stats` is installed from an `npm pack` tarball, as users get it).
// The lines between the snippet markers are the README's "Supported versions" snippet, verbatim (the
// matrix test checks that). Everything else is the probe the test reads: JSON lines on stdout.
//
// Env: ECS_CONTAINER_METADATA_URI_V4 (fake endpoint), OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (receiver),
//      COMPAT_LINGER_MILLIS (how long to stay alive after shutdown, so a leftover poller would show).

// --- snippet:start
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const { EcsTaskStatsInstrumentation } = require('otel-ecs-task-stats');

const sdk = new NodeSDK({
  metricReaders: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT }),
      exportIntervalMillis: 1000,
    }),
  ],
  instrumentations: [
    new EcsTaskStatsInstrumentation({
      metadataUri: process.env.ECS_CONTAINER_METADATA_URI_V4,
      sampleIntervalMillis: 1000, // the minimum; the default is 5000
    }),
  ],
});
sdk.start();

process.once('SIGTERM', () => {
  sdk.shutdown().then(afterShutdown, (err) => {
    console.error(err);
    process.exitCode = 1;
  });
});
// --- snippet:end

/** @param {Record<string, unknown>} event */
function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

// The application's own work; SDK and instrumentation timers are unref()'d and must not be what keeps us up.
const work = setInterval(() => {}, 60_000);
process.once('SIGTERM', () => clearInterval(work));

// Modules loaded from the package's private node_modules (its own SDK 2.x copy, when npm could not share
// the application's): the instrumentation path must load none.
const privateModules = Object.keys(require.cache).filter((file) =>
  file.includes('/node_modules/otel-ecs-task-stats/node_modules/'),
);
emit({ event: 'started', node: process.version, privateModules });

function afterShutdown() {
  // setImmediate: let close callbacks of sockets destroyed during shutdown run before looking.
  setImmediate(() => {
    emit({ event: 'shutdown', activeResources: process.getActiveResourcesInfo(), refdSocketPorts: refdSocketPorts() });
    // Stay up a while with one ref'd timer of our own: a poller left running would hit the fake endpoint,
    // and a pooled keep-alive socket would still be open at the fake endpoint when 'linger-done' is read.
    setTimeout(() => {
      emit({ event: 'linger-done', activeResources: process.getActiveResourcesInfo(), refdSocketPorts: refdSocketPorts() });
      // No process.exit(): the process must end by itself now.
    }, Number(process.env.COMPAT_LINGER_MILLIS ?? 3000));
  });
}

/**
 * Remote ports of the sockets that keep the process alive, so the test can tell ours (to the metadata
 * endpoint) from the exporter's (to the receiver). getActiveResourcesInfo() only names types; the
 * undocumented _getActiveHandles() lists the same ref'd handles as objects (Node 20 and 24 alike).
 * @returns {number[]}
 */
function refdSocketPorts() {
  const handles = typeof process._getActiveHandles === 'function' ? process._getActiveHandles() : [];
  return handles.filter((h) => typeof h.remotePort === 'number').map((h) => h.remotePort);
}
