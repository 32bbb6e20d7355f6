// Exits 0 when node_modules matches package-lock.json, 1 when `npm ci` is needed.
// npm keeps a hidden lockfile (node_modules/.package-lock.json) describing what is installed; every
// package the lockfile wants must be there at the same version. Optional packages for other
// platforms are never installed, so a missing optional entry is fine.
import { existsSync, readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
const hiddenPath = 'node_modules/.package-lock.json';
if (!existsSync(hiddenPath)) {
  console.log('node_modules is missing or was not installed by npm');
  process.exit(1);
}
const installed = JSON.parse(readFileSync(hiddenPath, 'utf8')).packages ?? {};
for (const [path, entry] of Object.entries(wanted)) {
  if (!path.startsWith('node_modules/') || entry.link) continue;
  const have = installed[path];
  if (!have) {
    if (entry.optional) continue;
    console.log(`${path} is not installed`);
    process.exit(1);
  }
  if (have.version !== entry.version) {
    console.log(`${path} is ${have.version}, the lockfile wants ${entry.version}`);
    process.exit(1);
  }
}
