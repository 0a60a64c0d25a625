/**
 * Files for the page-cache workload. A page is charged to the cgroup that first brings it into the page cache,
 * so a file the test process wrote the ordinary way would already be cached, and charged to the test process:
 * a container reading it would add nothing. `dd oflag=direct` writes past the page cache, so the container's
 * first read is what caches (and charges) every page.
 */
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CGROUP_NAME_PREFIX, isAlive } from './memory-cgroup';

const MIB = 1024 * 1024;
let written = 0;

/** Writes `bytes` (a whole number of MiB) of zeros to a new file in `dir` with O_DIRECT; returns its path. */
export async function writeUncachedFile(dir: string, bytes: number): Promise<string> {
  if (!Number.isInteger(bytes / MIB) || bytes <= 0) throw new RangeError(`bytes must be a positive whole number of MiB; got ${bytes}`);
  const path = join(dir, `${CGROUP_NAME_PREFIX}${process.pid}-${++written}.bin`);
  await promisify(execFile)('dd', ['if=/dev/zero', `of=${path}`, `bs=${MIB}`, `count=${bytes / MIB}`, 'oflag=direct']);
  return path;
}

/** Removes the files a previous run left in `dir` (this kit's prefix, owning process gone). */
export function sweepLeftoverFiles(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const owner = /^otel-ecs-kt-(\d+)-\d+\.bin$/.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}
