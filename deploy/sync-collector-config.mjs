/* global console, Buffer */
// Copies collector-config.yaml into the SSM parameter of deploy/cloudformation.yaml (the block under
// "CollectorConfigParameter ... Value: |"). Run after editing collector-config.yaml; test/deploy checks it.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const templatePath = join(root, 'deploy', 'cloudformation.yaml');
const config = readFileSync(join(root, 'collector-config.yaml'), 'utf8');
const lines = readFileSync(templatePath, 'utf8').split('\n');

const resource = lines.indexOf('  CollectorConfigParameter:');
const value = lines.findIndex((line, i) => i > resource && line === '      Value: |');
if (resource < 0 || value < 0) throw new Error('CollectorConfigParameter Value block not found');
let end = value + 1;
while (end < lines.length && (lines[end] === '' || lines[end].startsWith('        '))) end += 1;
// keep one blank line before the next top-level key
while (end > value + 1 && lines[end - 1] === '') end -= 1;

const block = config.replace(/\n$/, '').split('\n').map((line) => (line === '' ? '' : `        ${line}`));
lines.splice(value + 1, end - value - 1, ...block);
writeFileSync(templatePath, lines.join('\n'));
console.log(`synced ${Buffer.byteLength(config)} bytes into ${templatePath}`);
