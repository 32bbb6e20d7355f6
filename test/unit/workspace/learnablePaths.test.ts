import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LearnablePaths } from '../../../src/workspace/learnablePaths';

describe('workspace/learnablePaths', () => {
  let root: string;
  let outside: string;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ln-learnable-'));
    outside = mkdtempSync(path.join(tmpdir(), 'ln-learnable-out-'));
    writeFileSync(path.join(outside, 'far.ts'), 'far away\n');
    const files: Record<string, string> = {
      '.gitignore': 'tmp/\n*.log\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/gen/.gitignore': 'x.ts\n',
      'src/gen/x.ts': 'ignored below\n',
      'src/gen/y.ts': 'kept\n',
      'src/vendor/v.ts': 'vendored\n',
      'src/tmp/t.ts': 'under an ignored folder name\n',
      'tmp/t.ts': 'ignored\n',
      'notes.log': 'ignored\n',
      '.env': 'SECRET=1',
      'big.txt': 'x'.repeat(2000),
    };
    for (const [rel, text] of Object.entries(files)) write(rel, text);
    symlinkSync(outside, path.join(root, 'linked'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const rules = () => new LearnablePaths(root, { exclude: ['**/vendor/**'], maxFileBytes: 1000 });

  it('lists what a whole walk allows, and says why the rest is left out', async () => {
    const skipped: string[] = [];
    const found: string[] = [];
    for await (const file of rules().list('', { onSkip: (rel, why) => skipped.push(`${rel}:${why}`) })) found.push(file.rel);
    assert.deepEqual(found, ['.gitignore', 'src/a.ts', 'src/gen/.gitignore', 'src/gen/y.ts']);
    assert.deepEqual(skipped.sort(), ['.env:secret-file', 'big.txt:too-large']);
  });

  it('decides a single path as the walk does', async () => {
    const paths = rules();
    assert.equal(await paths.problem('src/a.ts'), undefined);
    assert.equal(await paths.problem('src/gen/y.ts'), undefined);
    assert.equal(await paths.problem('src/gen/x.ts'), 'excluded');
    assert.equal(await paths.problem('src/vendor/v.ts'), 'excluded');
    assert.equal(await paths.problem('src/tmp/t.ts'), 'excluded');
    assert.equal(await paths.problem('notes.log'), 'excluded');
    assert.equal(await paths.problem('.env'), 'secret-file');
    assert.equal(await paths.problem('package-lock.json'), 'generated');
  });

  it('lists a folder that appeared with the rules above it applied, keyed from the root', async () => {
    const paths = rules();
    const list = async (under: string) => {
      const found: string[] = [];
      for await (const file of paths.list(under)) found.push(file.rel);
      return found;
    };
    assert.deepEqual(await list('src/gen'), ['src/gen/.gitignore', 'src/gen/y.ts']);
    assert.deepEqual(await list('tmp'), [], 'an ignored folder');
    assert.deepEqual(await list('src/vendor'), [], 'an excluded folder');
    assert.deepEqual(await list('linked'), [], 'a folder linked in from outside');
  });

  it('reads .gitignore files again when told they changed', async () => {
    const paths = rules();
    assert.equal(await paths.problem('src/a.ts'), undefined);
    write('src/.gitignore', 'a.ts\n');
    try {
      assert.equal(await paths.problem('src/a.ts'), undefined, 'kept until told');
      paths.forgetIgnoreFiles();
      assert.equal(await paths.problem('src/a.ts'), 'excluded');
    } finally {
      rmSync(path.join(root, 'src/.gitignore'));
    }
  });
});
