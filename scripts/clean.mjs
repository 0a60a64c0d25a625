// Removes build output before a build (`npm run build`, `npm run build:test`), so that a deleted source or
// test leaves no stale .js behind to be run. Usage: node scripts/clean.mjs <dir>...
import { rmSync } from 'node:fs';
import process from 'node:process';

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
