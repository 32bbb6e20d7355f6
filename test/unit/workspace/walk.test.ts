import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isGitIgnored, walkWorkspace } from '../../../src/workspace/walk';

describe('workspace/walk', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ln-walk-'));
    const files: Record<string, string> = {
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/b.md': '# Notes\n',
      'src/.gitignore': 'private.ts\n',
      'src/private.ts': 'x',
      'src/deep/c.py': 'print(1)\n',
      'build/out.js': 'x',
      'debug.log': 'x',
      'keep.log': 'kept\n',
      '.env': 'SECRET=1',
      'node_modules/pkg/index.js': 'x',
      'logo.png': 'x',
      'docs/guide.txt': 'text\n',
      'docs/skip/ignored.txt': 'x',
      '.git/config': 'x',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('honours .gitignore at every level, exclude globs, and skips secrets and binaries', async () => {
    const skipped: string[] = [];
    const found: string[] = [];
    for await (const file of walkWorkspace(root, { exclude: ['**/node_modules/**', 'docs/skip/**'], onSkip: (rel, why) => skipped.push(`${rel}:${why}`) })) {
      found.push(file.rel);
      assert.ok(file.size > 0 && file.mtimeMs > 0);
    }
    assert.deepEqual(found.sort(), ['.gitignore', 'docs/guide.txt', 'keep.log', 'src/.gitignore', 'src/a.ts', 'src/b.md', 'src/deep/c.py']);
    assert.ok(skipped.includes('.env:secret-file'));
    assert.ok(skipped.includes('logo.png:binary'));
  });

  it('can be stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    const found = [];
    for await (const file of walkWorkspace(root, { signal: controller.signal })) found.push(file);
    assert.equal(found.length, 0);
  });

  it('answers for a single file', async () => {
    assert.equal(await isGitIgnored(root, 'build/out.js'), true);
    assert.equal(await isGitIgnored(root, 'src/private.ts'), true);
    assert.equal(await isGitIgnored(root, 'debug.log'), true);
    assert.equal(await isGitIgnored(root, 'keep.log'), false);
    assert.equal(await isGitIgnored(root, 'src/a.ts'), false);
    assert.equal(await isGitIgnored(root, 'src/deep/c.py'), false);
  });

  it('reads each ignore file once with a cache, with the same answers', async () => {
    const cache = new Map();
    for (const rel of ['build/out.js', 'src/private.ts', 'keep.log', 'src/a.ts', 'src/deep/c.py']) {
      assert.equal(await isGitIgnored(root, rel, cache), await isGitIgnored(root, rel));
    }
    assert.ok(cache.size >= 3 && cache.size <= 6, String(cache.size));
  });
});
