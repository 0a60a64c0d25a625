import * as fs from 'node:fs';
import * as path from 'node:path';

/** One package directory found on disk under an application's node_modules tree. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** Path relative to the application directory, e.g. node_modules/x/node_modules/@s/y. */
  location: string;
}

/**
 * Every package installed under `appDir`/node_modules, nested copies included, read from disk (what
 * Node's resolver will actually find, whatever npm's lockfile says).
 */
export function listInstalledPackages(appDir: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visitNodeModules = (relDir: string): void => {
    const abs = path.join(appDir, relDir);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of fs.readdirSync(path.join(abs, entry))) visitPackage(path.join(relDir, entry, scoped));
      } else {
        visitPackage(path.join(relDir, entry));
      }
    }
  };
  const visitPackage = (relDir: string): void => {
    const manifest = path.join(appDir, relDir, 'package.json');
    if (!fs.existsSync(manifest)) return;
    const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string };
    found.push({ name, version, location: relDir.split(path.sep).join('/') });
    visitNodeModules(path.join(relDir, 'node_modules'));
  };
  visitNodeModules('node_modules');
  return found;
}
