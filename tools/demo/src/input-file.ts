/**
 * Reads a file the user named on the command line (`--replay`, `--collector-config`) with a byte cap, and only
 * if it is a regular file: /dev/zero, a symlink to it, or a FIFO would otherwise be read without end or
 * block the CLI for ever (issue 14). Problems are usage errors that name the option.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DemoUsageError } from './options';

/** The cap: 1 MiB (the package's default cap on an endpoint response), far above any real body or config. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** The file's text (UTF-8). Throws a DemoUsageError unless `path` is a regular file of at most `maxBytes`. */
export function readInputFile(path: string, option: string, maxBytes: number = MAX_INPUT_FILE_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it changes nothing for a file.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new DemoUsageError(`${option} ${path}: cannot be read (${(error as { code?: string }).code ?? String(error)})`);
  }
  try {
    if (!fstatSync(fd).isFile()) {
      throw new DemoUsageError(`${option} ${path}: not a regular file (a device, FIFO, socket or directory); give a saved file`);
    }
    // Read up to one byte past the cap, whatever the size says: a file can grow while it is read.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new DemoUsageError(`${option} ${path}: larger than ${maxBytes} bytes, more than the demo reads`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
