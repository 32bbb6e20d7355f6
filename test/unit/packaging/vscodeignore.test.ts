// The VSIX holds only what .vscodeignore lets through: every bundle the extension loads by file
// name at run time (workers, the share runtime, the webview) must be let through, or the packaged
// extension fails where the development one works.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('packaging', () => {
  it('lets every bundle the extension loads by name into the VSIX', () => {
    const allowed = new Set(readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim()));
    const loaded = new Set<string>();
    for (const file of sources(join(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Za-z]+\.js)'/g)) loaded.add(match[1]);
    }
    assert.ok(loaded.has('memoryFileWorker.js') && loaded.has('trainWorker.js'), [...loaded].join(', '));
    for (const bundle of loaded) assert.ok(allowed.has(`!dist/${bundle}`), `.vscodeignore lacks !dist/${bundle}`);
  });
});
