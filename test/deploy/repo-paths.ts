// Paths of the shipped files, from build/test/deploy/ (compiled tests) back to the repository root.
// Test helper: not a test file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Absolute path of a repository file. */
export function repoPath(...parts: string[]): string {
  return resolve(REPO_ROOT, ...parts);
}

/** A repository file as text. */
export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/** A repository JSON file, parsed (the caller states the shape it expects). */
export function readRepoJson<T>(...parts: string[]): T {
  return JSON.parse(readRepoFile(...parts)) as T;
}
