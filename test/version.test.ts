import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src';
import { readRepoJson } from '../tools/testing/src';

it('PACKAGE_NAME and PACKAGE_VERSION match package.json', () => {
  const pkg = readRepoJson<{ name: string; version: string }>('package.json');
  assert.equal(PACKAGE_NAME, pkg.name);
  assert.equal(PACKAGE_VERSION, pkg.version);
});
