// The MCP server's view of the learned files: read through the safe reader, kept between questions
// as UTF-8 and given back exactly, read again when the file changed, never outside the folder.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FolderTextSource } from '../../../src/cli/folderTextSource';

describe('cli/FolderTextSource', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ln-folder-text-'));
    mkdirSync(path.join(root, 'src'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives a kept text back exactly (any characters), and the new text once the file changed', async () => {
    const file = path.join(root, 'src', 'a.ts');
    const text = 'const s = "héllo wörld ✓ 𝒳 中文";\r\nlet b = 2;\n';
    writeFileSync(file, text);
    const source = new FolderTextSource(root);
    const first = await source.read('src/a.ts');
    assert.equal(first, text.replace(/\r\n/g, '\n'));
    assert.equal(await source.read('src/a.ts'), first, 'the kept text, decoded again');
    writeFileSync(file, 'let changed = true;\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(await source.read('src/a.ts'), 'let changed = true;\n');
  });

  it('reads nothing outside the folder, through a link, or of a secret file', async function () {
    writeFileSync(path.join(root, '.env'), 'TOKEN=x\n');
    assert.equal(await new FolderTextSource(root).read('../outside.ts'), undefined);
    assert.equal(await new FolderTextSource(root).read('.env'), undefined);
    assert.equal(await new FolderTextSource(root).read('src/missing.ts'), undefined);
    if (process.platform === 'win32') this.skip();
    symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'link.ts'));
    assert.equal(await new FolderTextSource(root).read('link.ts'), undefined);
  });
});
