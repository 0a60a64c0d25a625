import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './fake-metadata-endpoint';

/**
 * Misbehaving answers for FakeMetadataEndpoint routes, written at the socket level where HTTP cannot express
 * them (a reset, a body cut short). Each factory returns the route and what the server saw.
 */

/** What the server side saw of the requests a faulty route answered. */
export class ServerSide {
  /** Requests the route received. */
  requests = 0;
  /** Sockets of those requests that the client closed (or that the route closed itself). */
  socketsClosed = 0;
  /** Body bytes the route handed to the socket, all requests together. */
  bytesWritten = 0;
  /** Responses the route finished sending in full (for endless routes: never). */
  completed = 0;
  private _waiters: Array<() => void> = [];

  /** Counts a request and, later, the close of its socket. */
  track(req: IncomingMessage): void {
    this.requests++;
    req.socket.once('close', () => {
      this.socketsClosed++;
      if (this.socketsClosed < this.requests) return;
      const waiters = this._waiters;
      this._waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Resolves once the sockets of every request so far are closed (the client may close a moment later). */
  everySocketClosed(): Promise<void> {
    if (this.socketsClosed >= this.requests) return Promise.resolve();
    return new Promise((resolve) => this._waiters.push(resolve));
  }
}

/** Reads the request and never answers. */
export function hangingRoute(): { route: Route; side: ServerSide } {
  const side = new ServerSide();
  return { side, route: (req) => side.track(req) };
}

/** Announces `body.length` bytes, sends the first half, then closes the connection (a FIN, not a reset). */
export function closedMidBodyRoute(body: string): { route: Route; side: ServerSide } {
  const side = new ServerSide();
  const route = (req: IncomingMessage): void => {
    side.track(req);
    const half = body.slice(0, Math.floor(body.length / 2));
    side.bytesWritten += Buffer.byteLength(half);
    req.socket.end(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${half}`,
    );
  };
  return { side, route };
}

/** Resets the connection (TCP RST) as soon as the request has arrived. */
export function resetRoute(): { route: Route; side: ServerSide } {
  const side = new ServerSide();
  const route = (req: IncomingMessage): void => {
    side.track(req);
    req.socket.resetAndDestroy();
  };
  return { side, route };
}

/**
 * Streams a JSON-looking body of `totalBytes` in `chunkBytes` chunks, one every `everyMillis`, chunked (no
 * content-length), with `status` (default 200), and stops writing as soon as the client closes the socket.
 */
export function streamingRoute(options: { totalBytes: number; chunkBytes: number; everyMillis: number; status?: number }): {
  route: Route;
  side: ServerSide;
} {
  const side = new ServerSide();
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    side.track(req);
    res.writeHead(options.status ?? 200, { 'content-type': 'application/json' });
    let sent = 0;
    const chunk = Buffer.alloc(options.chunkBytes, 0x61); // 'a'
    const timer = setInterval(() => {
      if (res.destroyed || sent >= options.totalBytes) {
        clearInterval(timer);
        if (!res.destroyed) {
          side.completed++;
          res.end();
        }
        return;
      }
      const piece = sent === 0 ? Buffer.concat([Buffer.from('{"x":"'), chunk]) : chunk;
      sent += piece.length;
      side.bytesWritten += piece.length;
      res.write(piece);
    }, options.everyMillis);
    res.once('close', () => clearInterval(timer));
  };
  return { side, route };
}
