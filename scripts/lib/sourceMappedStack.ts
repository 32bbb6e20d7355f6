// Rewrites stack positions inside a bundle (e.g. dist/test/vscode/index.js:12386:16) to the source
// positions its source map names (test/vscode/suites/extension/x.test.ts:41:7). VS Code's
// extension host formats stacks itself, so the in-host runner cannot do this there.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

export function sourceMappedStack(bundle: string, root: string): (stack: string) => string {
  const mapFile = `${bundle}.map`;
  if (!existsSync(mapFile)) return (stack) => stack;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const bundleName = relative(root, bundle).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const position = new RegExp(`(?:${bundle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}|${bundleName}):(\\d+):(\\d+)`, 'g');
  return (stack) =>
    stack.replace(position, (whole, line: string, column: string) => {
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
        originalSource?: string;
        originalLine?: number;
        originalColumn?: number;
      };
      if (!entry?.originalSource) return whole;
      const source = relative(root, resolve(dirname(bundle), entry.originalSource.replace(/^file:\/\//, '')));
      return `${source}:${(entry.originalLine ?? 0) + 1}:${(entry.originalColumn ?? 0) + 1}`;
    });
}
