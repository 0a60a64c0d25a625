import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';

/** One OTLP/HTTP JSON ExportMetricsServiceRequest, as parsed from the wire (shape checked by the reader). */
export type OtlpJsonRequest = { resourceMetrics?: unknown[] };

/** A minimal OTLP/HTTP metrics receiver (JSON encoding) on 127.0.0.1: it keeps every request body. */
export interface OtlpReceiver {
  /** Full URL of the metrics route, for OTEL_EXPORTER_OTLP_METRICS_ENDPOINT. */
  readonly url: string;
  readonly received: OtlpJsonRequest[];
  /** Resolves with the first received request (already received or future) for which `accept` is true. */
  waitFor(accept: (request: OtlpJsonRequest) => boolean): Promise<OtlpJsonRequest>;
  close(): Promise<void>;
}

/** Starts the receiver. It answers 200 `{}` (an empty ExportMetricsServiceResponse) to a POST /v1/metrics. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: OtlpJsonRequest[] = [];
  const waiters: { accept: (r: OtlpJsonRequest) => boolean; resolve: (r: OtlpJsonRequest) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = zlib.gunzipSync(raw);
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415, { 'content-type': 'text/plain' }).end('this receiver speaks OTLP/HTTP JSON only');
        return;
      }
      const request = JSON.parse(raw.toString('utf8')) as OtlpJsonRequest;
      received.push(request);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const waiter of [...waiters]) {
        if (waiter.accept(request)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(request);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    received,
    waitFor: (accept) =>
      new Promise((resolve) => {
        const already = received.find(accept);
        if (already) resolve(already);
        else waiters.push({ accept, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
