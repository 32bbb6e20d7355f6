import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, promises as fs, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { prepareInput } from '../../../src/extension/training/prepareFile';
import { isInsideRoot, isInsideRootSync, pathProblem, readLearnableFile, readLearnableFileSync } from '../../../src/workspace/learnableFile';
import { walkWorkspace } from '../../../src/workspace/walk';

const MiB = 1024 * 1024;
const unix = process.platform !== 'win32';

describe('workspace/learnableFile: what may be read, and how much', function () {
  let base: string;
  let root: string;
  let outside: string;
  before(function () {
    base = mkdtempSync(path.join(tmpdir(), 'ln-learnable-'));
    root = path.join(base, 'workspace');
    outside = path.join(base, 'home');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    mkdirSync(path.join(outside, '.kube'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(outside, '.kube', 'config'), 'token: outside-the-workspace\n');
    writeFileSync(path.join(outside, 'notes.txt'), 'outside the workspace\n');
    // Text for 16 KiB, then a PNG header: binary only after the first 8 KiB.
    writeFileSync(path.join(root, 'src', 'late-binary.ts'), Buffer.concat([Buffer.from('const a = 1;\n'.repeat(1300)), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])]));
    if (!unix) return;
    symlinkSync(outside, path.join(root, 'linked'));
    symlinkSync(path.join(outside, 'notes.txt'), path.join(root, 'notes-link.txt'));
    symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'a-link.ts'));
    symlinkSync('/dev/zero', path.join(root, 'zero.txt'));
    symlinkSync('/dev', path.join(root, 'devices'));
    execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('reads a regular file inside the root, all of it', async () => {
    const read = await readLearnableFile(path.join(root, 'src', 'a.ts'), root, MiB);
    assert.deepEqual('text' in read && read.text, 'export const a = 1;\n');
    assert.equal(read.bytesRead, 20);
    assert.equal(await pathProblem(path.join(root, 'src', 'a.ts'), root), undefined);
  });

  it('never follows a link: to a file outside, to a file inside, or through a linked folder', async function () {
    if (!unix) this.skip();
    for (const [rel, reason] of [
      ['notes-link.txt', 'not-regular'],
      ['a-link.ts', 'not-regular'], // the file itself is learned under its own path
      ['linked/.kube/config', 'outside-root'],
      ['linked/notes.txt', 'outside-root'],
    ] as const) {
      const read = await readLearnableFile(path.join(root, rel), root, MiB);
      assert.equal('skip' in read && read.skip, reason, rel);
      assert.equal(read.bytesRead, 0, rel);
      assert.equal(await pathProblem(path.join(root, rel), root), reason, rel);
    }
    assert.equal(await isInsideRoot(path.join(root, 'linked', '.kube'), root), false);
    assert.equal(await isInsideRoot(path.join(root, 'src'), root), true);
  });

  it('accepts a root named through a link (the real paths are compared)', async function () {
    if (!unix) this.skip();
    const alias = path.join(base, 'alias');
    symlinkSync(root, alias);
    const read = await readLearnableFile(path.join(alias, 'src', 'a.ts'), alias, MiB);
    assert.ok('text' in read);
  });

  it('never opens a device: a link to /dev/zero, or /dev/zero through a linked folder, reads 0 bytes', async function () {
    if (!unix) this.skip();
    for (const rel of ['zero.txt', 'devices/zero', 'devices/null']) {
      const read = await readLearnableFile(path.join(root, rel), root, MiB);
      assert.equal('skip' in read && read.skip, 'not-regular', rel);
      assert.equal(read.bytesRead, 0, rel);
    }
    // Even with the link check out of the way (a root that holds /dev), a device is not read.
    const direct = await readLearnableFile('/dev/zero', '/', MiB);
    assert.equal('skip' in direct && direct.skip, 'not-regular');
    assert.equal(direct.bytesRead, 0);
  });

  it('never waits on a FIFO: more FIFO reads than libuv has threads, and other reads still complete', async function () {
    if (!unix) this.skip();
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const reads = await Promise.all(Array.from({ length: threads * 2 }, () => readLearnableFile(path.join(root, 'pipe.txt'), root, MiB)));
    for (const read of reads) assert.equal('skip' in read && read.skip, 'not-regular');
    // Had any of them opened the FIFO, it would hold a pool thread until a writer came: these
    // unrelated reads (one per pool thread) would then never finish and the test would time out.
    const others = await Promise.all(Array.from({ length: threads }, () => fs.readFile(path.join(root, 'src', 'a.ts'), 'utf8')));
    assert.deepEqual(new Set(others), new Set(['export const a = 1;\n']));
  });

  it('checks all of what it read for binary content: text for 16 KiB, then binary', async () => {
    const read = await readLearnableFile(path.join(root, 'src', 'late-binary.ts'), root, MiB);
    assert.equal('skip' in read && read.skip, 'binary');
    assert.ok(read.bytesRead > 16 * 1024);
  });

  it('caps the bytes read, not the size the stat claimed: a file that grows after it was stat-ed', async () => {
    const file = path.join(root, 'src', 'growing.ts');
    writeFileSync(file, 'const a = 1;\n');
    const walked = [];
    for await (const f of walkWorkspace(root)) if (f.rel === 'src/growing.ts') walked.push(f);
    assert.equal(walked[0].size, 13); // planned as a small file
    appendFileSync(file, Buffer.alloc(2 * MiB, 0x61));
    const read = await readLearnableFile(file, root, MiB);
    assert.equal('skip' in read && read.skip, 'too-large');
    assert.ok(read.bytesRead <= MiB + 1, `read ${read.bytesRead} bytes`);
  });

  it('caps the bytes read when the size says nothing: a /proc file of size 0 holds more than the cap', async function () {
    if (process.platform !== 'linux') this.skip();
    const file = '/proc/self/maps';
    assert.equal((await fs.stat(file)).size, 0);
    const read = await readLearnableFile(file, '/proc/self', 256);
    assert.equal('skip' in read && read.skip, 'too-large');
    assert.equal(read.bytesRead, 257);
  });

  it('reads synchronously with the same decisions: text, links, devices, FIFOs, binary, caps', async function () {
    const cases = ['src/a.ts', 'src/late-binary.ts', 'src/missing.ts', ...(unix ? ['notes-link.txt', 'a-link.ts', 'linked/.kube/config', 'linked/notes.txt', 'zero.txt', 'devices/zero', 'pipe.txt'] : [])];
    for (const rel of cases) {
      const sync = readLearnableFileSync(path.join(root, rel), root, MiB);
      const async = await readLearnableFile(path.join(root, rel), root, MiB);
      assert.equal('skip' in sync ? sync.skip : sync.text, 'skip' in async ? async.skip : async.text, rel);
      assert.equal(sync.bytesRead, async.bytesRead, rel);
    }
    assert.equal(isInsideRootSync(path.join(root, 'src'), root), true);
    if (unix) assert.equal(isInsideRootSync(path.join(root, 'linked', '.kube'), root), false);
    const big = path.join(root, 'src', 'big.ts');
    writeFileSync(big, Buffer.alloc(2 * MiB, 0x61));
    const capped = readLearnableFileSync(big, root, MiB);
    assert.equal('skip' in capped && capped.skip, 'too-large');
    assert.ok(capped.bytesRead <= MiB + 1);
    if (process.platform === 'linux') {
      const proc = readLearnableFileSync('/proc/self/maps', '/proc/self', 256);
      assert.equal('skip' in proc && proc.skip, 'too-large');
      assert.equal(proc.bytesRead, 257);
    }
  });

  it('is what the training workers read through (live updates and the trainer send paths there)', async function () {
    if (!unix) this.skip();
    const input = (rel: string) => prepareInput({ key: rel, path: path.join(root, rel), root }, MiB, new Set());
    assert.equal(((await input('pipe.txt')) as { skip: string }).skip, 'not-regular');
    assert.equal(((await input('zero.txt')) as { skip: string }).skip, 'not-regular');
    assert.equal(((await input('linked/notes.txt')) as { skip: string }).skip, 'outside-root');
    assert.equal(((await input('src/late-binary.ts')) as { skip: string }).skip, 'binary');
    assert.ok('chunks' in (await input('src/a.ts')));
  });
});
