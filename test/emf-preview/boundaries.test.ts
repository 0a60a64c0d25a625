// The EMF preview must not pull in the instrumentation code, and only its config loader may load `yaml`.
// Read from the sources' import lines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { repoPath } from '../../tools/testing/src';

const dir = repoPath('tools', 'emf-preview', 'src');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const importsOf = (file: string): string[] =>
  [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|require\('([^']+)'\)/gm)].map((m) => m[1] ?? m[2]);

describe('tools/emf-preview boundaries', () => {
  it('has sources to check', () => {
    assert.ok(files.includes('preview.ts') && files.includes('index.ts'));
  });

  it('imports only its own files, node: built-ins and yaml', () => {
    for (const file of files) {
      for (const spec of importsOf(file)) {
        assert.ok(/^\.\/[\w-]+$/.test(spec) || spec.startsWith('node:') || spec === 'yaml', `${file} imports ${spec}`);
      }
    }
  });

  it('loads yaml only in the config loader', () => {
    assert.deepEqual(files.filter((f) => importsOf(f).includes('yaml')), ['collector-config.ts']);
  });

  it('is not reachable from the package entry point (so the instrumentation never loads yaml)', () => {
    const index = readFileSync(repoPath('src', 'index.ts'), 'utf8');
    assert.doesNotMatch(index, /emf-preview/);
  });
});
