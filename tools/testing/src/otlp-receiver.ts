import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One data point as it arrived over OTLP/HTTP JSON, flattened for assertions. */
export interface ReceivedPoint {
  readonly metric: string;
  readonly unit: string;
  readonly scope: string;
  readonly value: number;
  readonly attributes: Record<string, string>;
}

/**
 * An OTLP/HTTP JSON metrics receiver played by a real HTTP server on 127.0.0.1: it stores every
 * ExportMetricsServiceRequest body that @opentelemetry/exporter-metrics-otlp-http POSTs to /v1/metrics.
 */
export class OtlpReceiver {
  /** Every request body, parsed, in arrival order. */
  readonly bodies: any[] = [];
  /** The same bodies as text (JSON.parse turns an int64 above 2^53 into an approximation). */
  readonly texts: string[] = [];
  /** Holds each response this long after the body arrived: a slow collector, an export in progress. */
  responseDelayMillis = 0;
  private readonly _server: Server;
  private _waiters: Array<() => void> = [];

  constructor() {
    this._server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/metrics') {
          const text = Buffer.concat(chunks).toString('utf8');
          this.texts.push(text);
          this.bodies.push(JSON.parse(text));
          const respond = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          // Unref'd: a long hold must not keep the test process alive after the test is over.
          if (this.responseDelayMillis > 0) setTimeout(respond, this.responseDelayMillis).unref();
          else respond();
          const waiters = this._waiters;
          this._waiters = [];
          for (const wake of waiters) wake();
        } else {
          res.writeHead(404).end();
        }
      });
    });
  }

  /** Listens on 127.0.0.1: on `port`, or an ephemeral port by default (a restarted collector reuses its port). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1/metrics`;
  }

  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  /** Resolves once `predicate` holds for the bodies received so far. */
  async waitFor(predicate: (bodies: any[]) => boolean): Promise<void> {
    while (!predicate(this.bodies)) await new Promise<void>((resolve) => this._waiters.push(resolve));
  }

  async close(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}

/** Flattens OTLP JSON bodies to one entry per gauge data point. */
export function gaugePoints(bodies: readonly any[]): ReceivedPoint[] {
  const points: ReceivedPoint[] = [];
  for (const body of bodies) {
    for (const rm of body.resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          for (const dp of metric.gauge?.dataPoints ?? []) {
            const attributes: Record<string, string> = {};
            for (const attribute of dp.attributes ?? []) attributes[attribute.key] = attribute.value.stringValue;
            points.push({ metric: metric.name, unit: metric.unit, scope: sm.scope?.name, value: dp.asDouble ?? Number(dp.asInt), attributes });
          }
        }
      }
    }
  }
  return points;
}
