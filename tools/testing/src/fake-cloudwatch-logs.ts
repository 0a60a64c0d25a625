import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One API call as it arrived: operation, headers (lower-cased by Node) and the JSON body. */
export interface CloudWatchLogsCall {
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  /** The error type answered (`ResourceNotFoundException`...), undefined for a success. */
  readonly error?: string;
}

/** One log event stored by a successful PutLogEvents, with its message parsed when it is JSON (EMF). */
export interface StoredLogEvent {
  readonly logGroup: string;
  readonly logStream: string;
  readonly timestamp: number;
  readonly message: string;
  readonly emf: Record<string, any> | undefined;
}

type ErrorType = 'ResourceNotFoundException' | 'ResourceAlreadyExistsException' | 'InvalidParameterException' | 'ServiceUnavailableException';

const TARGET_PREFIX = 'Logs_20140328.';

/**
 * A CloudWatch Logs API played by a real HTTP server on 127.0.0.1, for the awsemf exporter of a real
 * collector (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`). AWS JSON 1.1: `POST /`, `X-Amz-Target: Logs_20140328.<Op>`.
 * Only what awsemf calls (contrib internal/aws/cwlogs cwlog_client.go): PutLogEvents, CreateLogStream,
 * CreateLogGroup, PutRetentionPolicy. Log groups and streams start out missing, as in a fresh account, so
 * the exporter's ResourceNotFoundException → CreateLogStream → CreateLogGroup path runs; a create of
 * something that exists answers ResourceAlreadyExistsException, which the exporter must take as success.
 * Requests are SigV4-signed by the SDK; the signature is recorded, not checked.
 */
export class FakeCloudWatchLogs {
  /** Every call, in arrival order. */
  readonly calls: CloudWatchLogsCall[] = [];
  /** Every event stored by PutLogEvents, in arrival order. */
  readonly events: StoredLogEvent[] = [];
  private readonly _streams = new Map<string, Set<string>>();
  private readonly _injected: Array<{ operation: string; error: ErrorType }> = [];
  private readonly _server: Server;
  private _sequence = 0;
  private _waiters: Array<() => void> = [];

  constructor() {
    this._server = createServer((req, res) => this._receive(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The value for AWS_ENDPOINT_URL_CLOUDWATCH_LOGS (plain http: the SDK accepts it). */
  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  /** Creates a group (and streams) up front, as an operator or CloudFormation would. */
  preCreate(logGroup: string, ...logStreams: string[]): this {
    const streams = this._streams.get(logGroup) ?? new Set<string>();
    for (const stream of logStreams) streams.add(stream);
    this._streams.set(logGroup, streams);
    return this;
  }

  /** Answers the next call of `operation` with `error`, whatever the state (one call per injection). */
  failNext(operation: string, error: ErrorType): this {
    this._injected.push({ operation, error });
    return this;
  }

  /** The operations called so far, in order. */
  operations(): string[] {
    return this.calls.map((c) => (c.error === undefined ? c.operation : `${c.operation}→${c.error}`));
  }

  /** The EMF events (JSON messages) stored so far. */
  emfEvents(): StoredLogEvent[] {
    return this.events.filter((e) => e.emf !== undefined);
  }

  /** Resolves once `predicate` holds; rejects after `boundMillis` with what arrived, so a test says why. */
  async waitFor(predicate: (events: readonly StoredLogEvent[]) => boolean, what: string, boundMillis = 30_000): Promise<void> {
    const deadline = Date.now() + boundMillis;
    while (!predicate(this.events)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake CloudWatch Logs: still waiting for ${what} after ${boundMillis} ms; calls: ${this.operations().join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this._waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Forgets calls and events (groups and streams stay, as in a real account). */
  clear(): void {
    this.calls.length = 0;
    this.events.length = 0;
  }

  async close(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        this._answerError(res, 'SerializationException', 'body is not JSON');
        return;
      }
      if (req.method !== 'POST' || req.url !== '/' || !target.startsWith(TARGET_PREFIX)) {
        this._answerError(res, 'UnknownOperationException', `unexpected ${req.method} ${req.url} target ${target}`);
        return;
      }
      const operation = target.slice(TARGET_PREFIX.length);
      const outcome = this._handle(operation, body);
      this.calls.push({ operation, headers: req.headers, body, error: outcome.error });
      if (outcome.error !== undefined) this._answerError(res, outcome.error, outcome.message ?? '');
      else this._answer(res, outcome.result ?? {});
      const waiters = this._waiters;
      this._waiters = [];
      for (const wake of waiters) wake();
    });
  }

  private _handle(operation: string, body: Record<string, unknown>): { error?: string; message?: string; result?: object } {
    const group = typeof body.logGroupName === 'string' ? body.logGroupName : '';
    const stream = typeof body.logStreamName === 'string' ? body.logStreamName : '';
    const injected = this._injected.findIndex((i) => i.operation === operation);
    if (injected >= 0) {
      const [{ error }] = this._injected.splice(injected, 1);
      return { error, message: 'injected by the test' };
    }
    const streams = this._streams.get(group);
    switch (operation) {
      case 'PutLogEvents': {
        if (streams === undefined) return { error: 'ResourceNotFoundException', message: 'The specified log group does not exist.' };
        if (!streams.has(stream)) return { error: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' };
        for (const event of (body.logEvents ?? []) as Array<{ timestamp: number; message: string }>) {
          this.events.push({ logGroup: group, logStream: stream, timestamp: event.timestamp, message: event.message, emf: parseJson(event.message) });
        }
        // Without a nextSequenceToken the exporter takes the call as failed and sends the batch again.
        this._sequence += 1;
        return { result: { nextSequenceToken: String(this._sequence).padStart(56, '0') } };
      }
      case 'CreateLogStream':
        if (streams === undefined) return { error: 'ResourceNotFoundException', message: 'The specified log group does not exist.' };
        if (streams.has(stream)) return { error: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' };
        streams.add(stream);
        return {};
      case 'CreateLogGroup':
        if (streams !== undefined) return { error: 'ResourceAlreadyExistsException', message: 'The specified log group already exists' };
        this._streams.set(group, new Set());
        return {};
      case 'PutRetentionPolicy':
        return {};
      default:
        return { error: 'UnknownOperationException', message: `operation ${operation} is not played by this fake` };
    }
  }

  private _answer(res: ServerResponse, result: object): void {
    const text = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `fake-${this.calls.length}` }).end(text);
  }

  /** AWS JSON 1.1 errors: HTTP 400, the type in X-Amzn-ErrorType and in the body's `__type`. */
  private _answerError(res: ServerResponse, type: string, message: string): void {
    const status = type === 'ServiceUnavailableException' ? 503 : 400;
    res
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type, 'x-amzn-requestid': `fake-${this.calls.length}` })
      .end(JSON.stringify({ __type: type, message }));
  }
}

function parseJson(text: string): Record<string, any> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}
