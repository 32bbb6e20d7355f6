import assert from 'node:assert/strict';
import { FileRecord, WorkspaceManifest } from '../../../../src/extension/core/workspaceManifest';
import { emptyManifest } from '../../../../src/persistence/savedMemory';

describe('WorkspaceManifest', () => {
  it('records a file learned, then skipped, then learned again, each replacing the other', () => {
    const manifest = new WorkspaceManifest();
    const files = manifest.fileRecord;
    files.learned('a.ts', [1, 10]);
    assert.ok(files.isLearnedAt('a.ts', [1, 10]));
    assert.ok(!files.isLearnedAt('a.ts', [2, 10]));
    files.skipped('a.ts', [2, 20]);
    assert.ok(!files.isLearnedAt('a.ts', [1, 10]));
    assert.ok(files.wasSkippedAt('a.ts', [2, 20]));
    files.learned('a.ts', [3, 30]);
    assert.ok(!files.wasSkippedAt('a.ts', [2, 20]));
    assert.deepEqual(manifest.toManifest(), { ...emptyManifest(), files: { 'a.ts': [3, 30] } });
  });

  it('gives unsaved editor text no fingerprint, so the next start reads the disk again', () => {
    const manifest = new WorkspaceManifest();
    manifest.fileRecord.skipped('a.md', [1, 5]);
    manifest.fileRecord.learnedUnsaved('a.md');
    assert.deepEqual(manifest.toManifest().files, {});
    assert.deepEqual(manifest.toManifest().skipped, {});
  });

  it('moves and removes whole folders, not their namesakes', () => {
    const manifest = new WorkspaceManifest();
    const files = manifest.fileRecord;
    files.learned('src/a.ts', [1, 1]);
    files.skipped('src/b.min.js', [2, 2]);
    files.learned('src2/c.ts', [3, 3]);
    files.learned('src', [4, 4]);
    files.renamedTree('src', 'lib');
    assert.deepEqual(manifest.toManifest().files, { 'lib/a.ts': [1, 1], 'src2/c.ts': [3, 3], lib: [4, 4] });
    assert.deepEqual(manifest.toManifest().skipped, { 'lib/b.min.js': [2, 2] });
    files.removedTree('lib');
    assert.deepEqual(manifest.toManifest().files, { 'src2/c.ts': [3, 3] });
    assert.deepEqual(manifest.toManifest().skipped, {});
  });

  it('keeps only what a complete walk saw', () => {
    const manifest = new WorkspaceManifest();
    manifest.fileRecord.learned('a', [1, 1]);
    manifest.fileRecord.learned('b', [1, 1]);
    manifest.fileRecord.skipped('c', [1, 1]);
    manifest.fileRecord.keepOnly(new Set(['b']));
    assert.deepEqual(manifest.toManifest().files, { b: [1, 1] });
    assert.deepEqual(manifest.toManifest().skipped, {});
  });

  it('forgets a file for good, through a reset, and keeps forgotten words words', () => {
    const manifest = new WorkspaceManifest();
    manifest.load({ trained: true, files: { 'a.ts': [1, 1], 'b.ts': [2, 2] }, skipped: {}, forgottenFiles: [], forgottenWords: ['secret', '\n', '.'] });
    assert.deepEqual([...manifest.words], ['secret']);
    manifest.forgetFile('a.ts');
    assert.ok(manifest.files.has('a.ts'));
    assert.deepEqual(manifest.toManifest().files, { 'b.ts': [2, 2] });
    manifest.forgetWord('token');
    manifest.reset();
    assert.deepEqual(manifest.toManifest(), { trained: false, files: {}, skipped: {}, forgottenFiles: ['a.ts'], forgottenWords: ['secret', 'token'] });
  });

  it('edits a saved copy in place, the way it edits its own', () => {
    const copy = emptyManifest();
    const record = new FileRecord(copy);
    record.learned('a', [1, 2]);
    record.markTrained();
    assert.deepEqual(copy, { ...emptyManifest(), trained: true, files: { a: [1, 2] } });
  });

  it('hands out copies: changing one does not change the owner', () => {
    const manifest = new WorkspaceManifest();
    manifest.fileRecord.learned('a', [1, 1]);
    const saved = manifest.toManifest();
    saved.files.b = [2, 2];
    saved.forgottenFiles.push('x');
    assert.deepEqual(manifest.toManifest().files, { a: [1, 1] });
    assert.equal(manifest.files.size, 0);
  });
});
