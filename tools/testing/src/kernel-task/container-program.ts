/**
 * The program a "container" of the kernel-backed task runs (`node --expose-gc`), already inside its memory
 * cgroup. It reads one JSON command per line on stdin and answers one JSON line on stdout:
 *
 * - `{"op":"hold","bytes":n}`: allocate n bytes, touch every page, keep them;
 * - `{"op":"release"}`: drop what `hold` kept and collect it;
 * - `{"op":"spike","bytes":n}`: allocate n bytes, touch every page, drop them and collect, in one go;
 * - `{"op":"read","path":p,"times":k}`: read the file k times (a second read moves its pages to the active list);
 * - `{"op":"grow","chunkBytes":n}`: allocate and touch until the kernel kills the process; never answers.
 *
 * It exits when stdin closes, so a test process that dies leaves no container behind.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';

const CHUNK_BYTES = 8 * 1024 * 1024;
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

function run(command: { op: string; bytes?: number; path?: string; times?: number; chunkBytes?: number }): object {
  switch (command.op) {
    case 'hold':
      held.push(...allocate(command.bytes!));
      return { heldBytes: held.reduce((sum, b) => sum + b.length, 0) };
    case 'release':
      held = [];
      collect();
      return {};
    case 'spike': {
      let spike: Buffer[] | undefined = allocate(command.bytes!);
      const allocatedBytes = spike.reduce((sum, b) => sum + b.length, 0);
      spike = undefined;
      collect();
      return { allocatedBytes };
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

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let reply: object;
  try {
    reply = { ok: true, ...run(JSON.parse(line)) };
  } catch (error) {
    reply = { ok: false, error: String(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});
lines.on('close', () => process.exit(0));
process.stdout.write('{"ready":true}\n');
