import { context, createContextKey } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import type { Client, Dispatcher } from 'undici';
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
 * How long an idle connection is kept for the next request. The agent (Go net/http with `ReadTimeout: 5s` and
 * no `IdleTimeout`, amazon-ecs-agent agent/handlers/task_server_setup.go) closes a connection idle for 5 s and
 * sends no `Keep-Alive` hint, so a socket kept longer is one the agent has closed or is about to close. 4 s
 * (undici's default, stated here because it is a choice) leaves a second for the close to cross the network
 * before we could send on it. Polls further apart than that open a new connection each: the agent's choice,
 * and cheaper than keeping one alive with extra requests.
 */
const KEEP_ALIVE_MILLIS = 4000;

/** Socket errors of a request that met a connection the server had closed (a FIN or a reset, before any answer). */
const CLOSED_SOCKET_CODES: ReadonlySet<unknown> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * GETs JSON from the task metadata endpoint, reusing a keep-alive connection while the agent keeps it. Never
 * throws and never rejects: every failure is a {@link FetchResult} with a stable kind. Follows no redirects,
 * sends no credentials or cookies, and caps the body size. undici unrefs idle sockets, so the client never
 * keeps the process alive. undici itself is loaded by the first client, not by importing the package: off
 * ECS, or before the first poll, it costs nothing.
 */
export class MetadataEndpointClient {
  private readonly _client: Client;
  private readonly _basePath: string;
  private readonly _timeoutMillis: number;
  /** True between undici's 'connect' and 'disconnect': the next request goes on a socket that already served one. */
  private _connected = false;

  constructor(options: MetadataEndpointClientOptions) {
    this._basePath = options.metadataUri.pathname.replace(/\/+$/, '');
    this._timeoutMillis = options.requestTimeoutMillis;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (issue 15)
    const undici = require('undici') as typeof import('undici');
    this._client = new undici.Client(options.metadataUri.origin, {
      headersTimeout: options.requestTimeoutMillis,
      bodyTimeout: options.requestTimeoutMillis,
      connect: { timeout: options.requestTimeoutMillis },
      maxResponseSize: options.maxResponseBytes,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MILLIS,
      // A server that does announce a timeout is believed, less a second, and never beyond our own bound.
      keepAliveMaxTimeout: KEEP_ALIVE_MILLIS,
      keepAliveTimeoutThreshold: 1000,
    });
    this._client.on('connect', () => {
      this._connected = true;
    });
    this._client.on('disconnect', () => {
      this._connected = false;
    });
  }

  /**
   * GET `<metadataUri><path>` (path like `/task/stats`) and parse the body as JSON. With `previousText`, a body
   * equal to it is not parsed again: the answer is `unchanged` (the endpoint served its cache once more).
   */
  getJson(path: string, previousText?: string): Promise<FetchResult> {
    return context.with(context.active().setValue(SUPPRESS_TRACING_KEY, true), () => this._getJson(path, previousText));
  }

  /** Closes the connection; requests in flight fail as 'connection'. Never rejects. */
  async close(): Promise<void> {
    try {
      await this._client.destroy();
    } catch {
      // Already destroyed: nothing to release.
    }
  }

  private async _getJson(path: string, previousText: string | undefined): Promise<FetchResult> {
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
      const response = await this._request(path, abort);
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
    if (text === previousText) return { ok: true, unchanged: true };
    if (text.trim() === '') return { ok: false, kind: 'empty-body', message: `GET ${path} answered an empty body` };
    try {
      return { ok: true, payload: JSON.parse(text) as unknown, text };
    } catch (error) {
      return { ok: false, kind: 'invalid-json', message: `GET ${path} answered invalid JSON: ${describe(error)}` };
    }
  }

  /**
   * Sends the GET; resolves on the response headers. A request sent on a connection kept from an earlier one
   * that fails before any answer met a socket the agent closed while idle (its 5 s can end at any moment, and
   * the close may still be on its way): it is sent once more, on a new connection, and is no failure. A new
   * connection that fails is the endpoint's failure and is not retried.
   */
  private async _request(path: string, signal: EventEmitter): Promise<Dispatcher.ResponseData> {
    const options = { method: 'GET' as const, path: this._basePath + path, headers: { accept: 'application/json' }, signal };
    const reused = this._connected;
    try {
      return await this._client.request(options);
    } catch (error) {
      if (!reused || !CLOSED_SOCKET_CODES.has((error as { code?: unknown } | null)?.code)) throw error;
      return this._client.request(options);
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
