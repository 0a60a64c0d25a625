/**
 * The demo's stand-in for the collector sidecar: an OTLP/HTTP receiver on 127.0.0.1 that accepts
 * `POST /v1/metrics` with a JSON body (what the package's exporter sends), hands each export to the demo,
 * and answers like a collector (200 with an empty ExportMetricsServiceResponse).
 * With `forwardUrl` it also relays every body unchanged to a real collector and answers with its status,
 * so the demo can still draw what was exported.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running receiver. */
export interface OtlpReceiver {
  /** URL to give the exporter (…/v1/metrics). */
  readonly url: string;
  close(): Promise<void>;
}

/** Called with each export's parsed body. Errors thrown here are reported, never sent back as 5xx. */
export type ExportHandler = (body: unknown) => void;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function forward(url: string, body: Buffer, contentType: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType }, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

/** Starts the receiver; `onError` gets handler and relay failures (the demo prints them). */
export async function startOtlpReceiver(
  onExport: ExportHandler,
  onError: (err: Error) => void,
  forwardUrl?: string,
): Promise<OtlpReceiver> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      const raw = await readBody(req);
      const contentType = req.headers['content-type'] ?? 'application/json';
      if (!contentType.includes('json')) {
        res.writeHead(415, { 'content-type': 'text/plain' }).end('the demo receiver reads OTLP/HTTP JSON only');
        return;
      }
      let status = 200;
      if (forwardUrl !== undefined) {
        try {
          status = await forward(forwardUrl, raw, contentType);
        } catch (err) {
          onError(new Error(`relay to ${forwardUrl} failed: ${(err as Error).message}`));
          status = 502;
        }
      }
      try {
        onExport(JSON.parse(raw.toString('utf8')));
      } catch (err) {
        onError(err as Error);
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    })().catch((err: Error) => {
      onError(err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
