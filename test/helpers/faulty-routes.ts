import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './fake-metadata-endpoint';

/**
 * Misbehaving answers for FakeMetadataEndpoint routes, written at the socket level where HTTP cannot express
 * them (a reset, a body cut short). Each factory returns the route and what the server saw.
 */

/** What the server side saw of the requests a faulty route answered. */
export interface ServerSide {
  /** Requests the route received. */
  requests: number;
  /** Sockets of those requests that the client closed (or that the route closed itself). */
  socketsClosed: number;
  /** Body bytes the route handed to the socket, all requests together. */
  bytesWritten: number;
  /** Responses the route finished sending in full (for endless routes: never). */
  completed: number;
}

function serverSide(): ServerSide {
  return { requests: 0, socketsClosed: 0, bytesWritten: 0, completed: 0 };
}

function track(side: ServerSide, req: IncomingMessage): void {
  side.requests++;
  req.socket.once('close', () => side.socketsClosed++);
}

/** Reads the request and never answers. */
export function hangingRoute(): { route: Route; side: ServerSide } {
  const side = serverSide();
  return { side, route: (req) => track(side, req) };
}

/** Announces `body.length` bytes, sends the first half, then closes the connection (a FIN, not a reset). */
export function closedMidBodyRoute(body: string): { route: Route; side: ServerSide } {
  const side = serverSide();
  const route = (req: IncomingMessage): void => {
    track(side, req);
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
  const side = serverSide();
  const route = (req: IncomingMessage): void => {
    track(side, req);
    req.socket.resetAndDestroy();
  };
  return { side, route };
}

/**
 * Streams a JSON-looking body of `totalBytes` in `chunkBytes` chunks, one every `everyMillis`, chunked (no
 * content-length), and stops writing as soon as the client closes the socket.
 */
export function streamingRoute(options: { totalBytes: number; chunkBytes: number; everyMillis: number }): {
  route: Route;
  side: ServerSide;
} {
  const side = serverSide();
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    track(side, req);
    res.writeHead(200, { 'content-type': 'application/json' });
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
