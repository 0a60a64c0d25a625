/**
 * The program a "container" of the kernel-backed task runs (`node --expose-gc`), already inside its memory
 * cgroup. It reads one JSON command per line on stdin and answers one JSON line on stdout:
 *
 * - `{"op":"hold","bytes":n}`: allocate n bytes, touch every page, keep them;
 * - `{"op":"release"}`: drop what `hold` kept and collect it;
 * - `{"op":"spike","bytes":n}`: allocate n bytes, touch every page, drop them and collect, in one go, and answer
 *   once the memory is back with the kernel (V8 frees collected buffers on a background thread, tens of ms later);
 * - `{"op":"read","path":p,"times":k}`: read the file k times (a second read moves its pages to the active list);
 * - `{"op":"grow","chunkBytes":n}`: allocate and touch until the kernel kills the process; never answers.
 *
 * It exits when stdin closes, so a test process that dies leaves no container behind.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';

const CHUNK_BYTES = 8 * 1024 * 1024;
/** How long a spike waits for its memory to leave the process's RSS before answering anyway. */
const RELEASE_WAIT_MILLIS = 2000;
const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024);
let held: Buffer[] = [];

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Allocates `bytes` outside the V8 heap and writes every page, so the kernel charges all of it. */
function allocate(bytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let left = bytes; left > 0; left -= CHUNK_BYTES) chunks.push(Buffer.allocUnsafeSlow(Math.min(left, CHUNK_BYTES)).fill(0x5a));
  return chunks;
}

function readFile(path: string): number {
  const fd = openSync(path, 'r');
  let total = 0;
  try {
    for (let n; (n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, null)) > 0; ) total += n;
  } finally {
    closeSync(fd);
  }
  return total;
}

/**
 * Resolves once the process's resident memory is below `rssBytes` (or after RELEASE_WAIT_MILLIS); with how long
 * that took.
 */
async function releasedBelow(rssBytes: number): Promise<number> {
  const start = performance.now();
  while (process.memoryUsage.rss() >= rssBytes && performance.now() - start < RELEASE_WAIT_MILLIS) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Math.round(performance.now() - start);
}

async function run(command: { op: string; bytes?: number; path?: string; times?: number; chunkBytes?: number }): Promise<object> {
  switch (command.op) {
    case 'hold':
      held.push(...allocate(command.bytes!));
      return { heldBytes: held.reduce((sum, b) => sum + b.length, 0) };
    case 'release':
      held = [];
      collect();
      return {};
    case 'spike': {
      const rssBefore = process.memoryUsage.rss();
      let spike: Buffer[] | undefined = allocate(command.bytes!);
      const allocatedBytes = spike.reduce((sum, b) => sum + b.length, 0);
      spike = undefined;
      collect();
      // Back to within an eighth of the spike of where it started: the rest is V8's and the allocator's slack.
      const releasedAfterMillis = await releasedBelow(rssBefore + command.bytes! / 8);
      return { allocatedBytes, releasedAfterMillis };
    }
    case 'read': {
      let bytesRead = 0;
      for (let i = 0; i < (command.times ?? 1); i++) bytesRead += readFile(command.path!);
      return { bytesRead };
    }
    case 'grow':
      for (;;) held.push(...allocate(command.chunkBytes!));
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

// One command at a time, answered in order (a spike answers asynchronously).
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let reply: object;
    try {
      reply = { ok: true, ...(await run(JSON.parse(line))) };
    } catch (error) {
      reply = { ok: false, error: String(error) };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  });
});
lines.on('close', () => process.exit(0));
process.stdout.write('{"ready":true}\n');
