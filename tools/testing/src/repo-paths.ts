/**
 * Paths of the repository's files (the fixtures, collector-config.yaml, deploy/, the built CLI), from wherever
 * the kit runs: compiled in build/tools/testing/src/, or loaded by the demo. The root is the nearest directory
 * above whose package.json names the package, so that no caller counts `..`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'otel-ecs-task-stats') return dir;
    if (dirname(dir) === dir) throw new Error(`no otel-ecs-task-stats repository above ${from}`);
  }
}

/** The repository root (where package.json, collector-config.yaml and test/ are). */
export const REPO_ROOT = findRepoRoot(__dirname);

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
