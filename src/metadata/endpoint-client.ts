import { context, createContextKey } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import { Client } from 'undici';
import { quoteForLog } from '../log-text';
import { parseRetryAfterMillis, type FetchFailureKind, type FetchResult } from './fetch-result';

/** Options of {@link MetadataEndpointClient}; validated by the instrumentation's config resolution. */
export interface MetadataEndpointClientOptions {
  /** `ECS_CONTAINER_METADATA_URI_V4`, e.g. `http://169.254.170.2/v4/<id>`. */
  readonly metadataUri: URL;
  /** Bound on the whole request, connection to last body byte. */
  readonly requestTimeoutMillis: number;
  /** Bodies larger than this are aborted (undici `maxResponseSize`). */
  readonly maxResponseBytes: number;
}

// `suppressTracing` lives in @opentelemetry/core, which is tied to one SDK line. The API's context keys are
// `Symbol.for(description)`, so the same key can be made from @opentelemetry/api alone: the SDK's tracer then
// records no span for our own polling (as AwsEcsDetector does for its metadata calls).
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * GETs JSON from the task metadata endpoint over one keep-alive connection. Never throws and never rejects:
 * every failure is a {@link FetchResult} with a stable kind. Follows no redirects, sends no credentials or
 * cookies, and caps the body size. undici unrefs idle sockets, so the client never keeps the process alive.
 */
export class MetadataEndpointClient {
  private readonly _client: Client;
  private readonly _basePath: string;
  private readonly _timeoutMillis: number;

  constructor(options: MetadataEndpointClientOptions) {
    this._basePath = options.metadataUri.pathname.replace(/\/+$/, '');
    this._timeoutMillis = options.requestTimeoutMillis;
    this._client = new Client(options.metadataUri.origin, {
      headersTimeout: options.requestTimeoutMillis,
      bodyTimeout: options.requestTimeoutMillis,
      connect: { timeout: options.requestTimeoutMillis },
      maxResponseSize: options.maxResponseBytes,
      pipelining: 1,
    });
  }

  /** GET `<metadataUri><path>` (path like `/task/stats`) and parse the body as JSON. */
  getJson(path: string): Promise<FetchResult> {
    return context.with(context.active().setValue(SUPPRESS_TRACING_KEY, true), () => this._getJson(path));
  }

  /** Closes the connection; requests in flight fail as 'connection'. Never rejects. */
  async close(): Promise<void> {
    try {
      await this._client.destroy();
    } catch {
      // Already destroyed: nothing to release.
    }
  }

  private async _getJson(path: string): Promise<FetchResult> {
    // headersTimeout/bodyTimeout bound each phase; this timer bounds the whole request, a slow drip included.
    // It is cleared when the request ends and aborts through an EventEmitter, which undici accepts as `signal`:
    // AbortSignal.timeout() stayed pending after every request and then built a DOMException, and an
    // AbortController (an EventTarget) cost ~10% of a 1-container sample (issue 6, `npm run bench`).
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, this._timeoutMillis);
    timer.unref();
    let text: string;
    try {
      const response = await this._client.request({
        method: 'GET',
        path: this._basePath + path,
        headers: { accept: 'application/json' },
        signal: abort,
      });
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump().catch(() => undefined);
        const message = `GET ${path} answered HTTP ${response.statusCode}`;
        if (response.statusCode === 429) {
          const retryAfterMillis = parseRetryAfterMillis(response.headers['retry-after'], Date.now());
          return { ok: false, kind: 'rate-limited', message, retryAfterMillis };
        }
        return { ok: false, kind: 'http-status', message };
      }
      text = await response.body.text();
    } catch (error) {
      if (timedOut) {
        return { ok: false, kind: 'timeout', message: `GET ${path} failed: no complete answer within requestTimeoutMillis (${this._timeoutMillis} ms)` };
      }
      return { ok: false, kind: classifyRequestError(error), message: `GET ${path} failed: ${describe(error)}` };
    } finally {
      clearTimeout(timer);
    }
    if (text.trim() === '') return { ok: false, kind: 'empty-body', message: `GET ${path} answered an empty body` };
    try {
      return { ok: true, payload: JSON.parse(text) as unknown };
    } catch (error) {
      return { ok: false, kind: 'invalid-json', message: `GET ${path} answered invalid JSON: ${describe(error)}` };
    }
  }
}

/** Maps undici and socket errors to a failure kind by their stable codes and names. */
function classifyRequestError(error: unknown): FetchFailureKind {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too-large';
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_ABORTED' ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  ) {
    return 'timeout';
  }
  return 'connection';
}

/**
 * The error's message (and code), quoted for a log line: what went wrong talking to the endpoint may carry its
 * bytes (JSON.parse copies the body around the bad token), so it is treated as untrusted text.
 */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return quoteForLog(typeof code === 'string' ? `${error.message} (${code})` : error.message);
  }
  return quoteForLog(String(error));
}
