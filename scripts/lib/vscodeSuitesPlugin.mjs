// esbuild plugin: the virtual module `light-network:vscode-suites` lists every suite file under
// test/vscode/suites/ (**/*.test.ts) with a lazy loader, so the in-extension-host runner
// (test/vscode/index.ts) bundles them all without a hand-kept list. New suite files are picked up
// by the next build (and by --watch, which watches the folder).
import { readdirSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const MODULE = 'light-network:vscode-suites';
const NAMESPACE = 'light-network-vscode-suites';

function findSuites(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSuites(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

export function vscodeSuites(root = process.cwd()) {
  const suitesDir = resolve(root, 'test/vscode/suites');
  return {
    name: 'light-network-vscode-suites',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${MODULE}$`) }, () => ({ path: MODULE, namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => {
        const files = findSuites(suitesDir).sort();
        const entries = files.map(
          (file) => `  { file: ${JSON.stringify(relative(root, file))}, load: () => import(${JSON.stringify(file)}) },`,
        );
        return {
          contents: `export const suites = [\n${entries.join('\n')}\n];\n`,
          loader: 'js',
          resolveDir: root,
          watchDirs: [suitesDir, ...new Set(files.map((f) => join(f, '..')))],
        };
      });
    },
  };
}
