/**
 * The OTLP/HTTP metrics receiver of the kit, played by a real HTTP server on 127.0.0.1: what the package's
 * exporter (@opentelemetry/exporter-metrics-otlp-http, JSON encoding) talks to in the tests, the compatibility
 * matrix, the benchmarks, and in the demo as its stand-in collector. It answers like a collector (200 with an
 * empty ExportMetricsServiceResponse) and never throws on what a client sends: a body that is not JSON is
 * answered 415, one that does not parse (or gunzip) 400, any other path 404, and each refusal is kept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { otlpPoints, type OtlpExportMetricsServiceRequest, type OtlpPoint } from '../../emf-preview/src';

/** One accepted export: the parsed request, its exact text, and its content type. */
export interface ReceivedExport {
  readonly request: OtlpExportMetricsServiceRequest;
  /** The body as text (JSON.parse turns an int64 above 2^53 into an approximation). */
  readonly text: string;
  readonly contentType: string;
}

/** A request the receiver refused, and why. */
export interface RefusedRequest {
  readonly status: 400 | 404 | 415;
  readonly reason: string;
}

export interface OtlpReceiverOptions {
  /**
   * Called with each accepted export before it is answered. What it returns is the HTTP status of the answer
   * (default 200): the demo relays each export to a real collector and answers with that collector's status.
   */
  readonly onExport?: (received: ReceivedExport) => number | void | Promise<number | void>;
}

export class OtlpReceiver {
  /** Every accepted request body, parsed, in arrival order. */
  readonly bodies: OtlpExportMetricsServiceRequest[] = [];
  /** The same bodies as text. */
  readonly texts: string[] = [];
  /** Every refused request, in arrival order. */
  readonly refused: RefusedRequest[] = [];
  /** Holds each response this long after the body arrived: a slow collector, an export in progress. */
  responseDelayMillis = 0;
  private readonly _server: Server;
  private _waiters: Array<() => void> = [];

  constructor(private readonly _options: OtlpReceiverOptions = {}) {
    this._server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void this._handle(req, res, Buffer.concat(chunks)));
    });
  }

  /** Listens on 127.0.0.1: on `port`, or an ephemeral port by default (a restarted collector reuses its port). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this._server.once('error', reject);
      this._server.listen(port, '127.0.0.1', () => {
        this._server.off('error', reject);
        resolve();
      });
    });
    return this;
  }

  /** The URL to give the exporter (…/v1/metrics). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1/metrics`;
  }

  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  /** Every data point of every body received so far, flattened (the EMF preview's OTLP/JSON reader). */
  points(): OtlpPoint[] {
    return this.bodies.flatMap((body) => otlpPoints(body));
  }

  /** Resolves once `predicate` holds for the bodies received so far. */
  async waitFor(predicate: (bodies: readonly OtlpExportMetricsServiceRequest[]) => boolean): Promise<void> {
    while (!predicate(this.bodies)) await new Promise<void>((resolve) => this._waiters.push(resolve));
  }

  /** Resolves with the first body (already received or to come) that `accept` takes. */
  async waitForBody(accept: (body: OtlpExportMetricsServiceRequest) => boolean): Promise<OtlpExportMetricsServiceRequest> {
    let found: OtlpExportMetricsServiceRequest | undefined;
    await this.waitFor((bodies) => (found = bodies.find(accept)) !== undefined);
    return found!;
  }

  async close(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private async _handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const refuse = (status: RefusedRequest['status'], reason: string): void => {
      this.refused.push({ status, reason });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
    };
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/v1/metrics') {
      refuse(404, `${req.method} ${req.url}: this receiver answers POST /v1/metrics only`);
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) {
      refuse(415, `content-type ${JSON.stringify(contentType)}: this receiver reads OTLP/HTTP JSON only`);
      return;
    }
    let text: string;
    let request: OtlpExportMetricsServiceRequest;
    try {
      text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      request = JSON.parse(text) as OtlpExportMetricsServiceRequest;
      if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new Error('not a JSON object');
    } catch (error) {
      refuse(400, `not an OTLP/JSON request: ${(error as Error).message}`);
      return;
    }
    this.texts.push(text);
    this.bodies.push(request);
    let status = 200;
    try {
      status = (await this._options.onExport?.({ request, text, contentType })) ?? 200;
    } catch {
      status = 500; // the handler's own failure: the exporter sees an error, the receiver carries on
    }
    const respond = (): void => void res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    // Unref'd: a long hold must not keep the test process alive after the test is over.
    if (this.responseDelayMillis > 0) setTimeout(respond, this.responseDelayMillis).unref();
    else respond();
    const waiters = this._waiters;
    this._waiters = [];
    for (const wake of waiters) wake();
  }
}
