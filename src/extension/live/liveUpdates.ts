// Keeps the memory current after training: unsaved edits (debounced), saves, and files created,
// changed, renamed or deleted on disk (a git checkout, say). Every change replaces that file's
// contribution exactly (content-addressed chunks), and a file that goes is removed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trainingSettings } from '../config';
import { keyForUri } from '../core/documentKeys';
import type { LearnableFiles } from '../core/learnableFiles';
import type { LearningServices } from '../services';
import type { WorkerPool } from '../training/workerPool';
import type { PrepareInput, PreparedFile } from '../training/workerProtocol';

const EDIT_DEBOUNCE_MS = 400;
const DISK_DEBOUNCE_MS = 250;
const BATCH_FILES = 32;

export class LiveUpdates implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  private readonly diskPaths = new Map<string, vscode.Uri>();
  private diskTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private active = false;
  /** Files whose unsaved editor contents are learned: the editor, not the disk, speaks for them. */
  private readonly editorTexts = new Set<string>();

  constructor(
    private readonly core: LearningServices,
    private readonly pool: () => WorkerPool,
    private readonly learnable: LearnableFiles,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.onDiskDelete(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.onEdit(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => this.onSave(doc)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClose(doc)),
      vscode.workspace.onDidRenameFiles((e) => this.onRename(e.files)),
    );
  }

  /** Files whose unsaved editor text is what the memory holds (training leaves them alone). */
  get editorOwned(): ReadonlySet<string> {
    return this.editorTexts;
  }

  /** Starts applying changes (after the saved memory is loaded, so nothing lands in a memory about to be replaced). */
  start(): void {
    this.active = true;
  }

  /** Resolves when no edit or disk change is waiting or being prepared. */
  async whenSettled(): Promise<void> {
    while (this.editTimers.size > 0 || this.diskTimer || this.inFlight.size > 0) {
      if (this.editTimers.size > 0 || this.diskTimer) await delay(50);
      else await Promise.allSettled([...this.inFlight]);
    }
  }

  private onEdit(document: vscode.TextDocument): void {
    if (!this.active || document.uri.scheme !== 'file') return;
    const id = document.uri.toString();
    const existing = this.editTimers.get(id);
    if (existing) clearTimeout(existing);
    this.editTimers.set(
      id,
      setTimeout(() => {
        this.editTimers.delete(id);
        this.track(this.learnDocument(document).catch((error) => this.core.log.error(`Learning an edit failed: ${error}`)));
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private async learnDocument(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const file = await this.learnable.editorFileAt(document.uri);
    if (!file) return;
    if (document.isDirty) this.editorTexts.add(file.key);
    else this.editorTexts.delete(file.key);
    await this.prepareAndApply([{ key: file.key, text: document.getText() }], 'edit');
  }

  private onSave(document: vscode.TextDocument): void {
    const file = keyForUri(document.uri);
    if (!file) return;
    this.editorTexts.delete(file.key);
    const pending = this.editTimers.get(document.uri.toString());
    if (pending) clearTimeout(pending);
    this.editTimers.delete(document.uri.toString());
    this.queueDisk(document.uri);
  }

  /** A document closed with unsaved changes was reverted: the disk speaks for it again. */
  private onClose(document: vscode.TextDocument): void {
    const file = keyForUri(document.uri);
    if (!file || !this.editorTexts.has(file.key)) return;
    this.editorTexts.delete(file.key);
    this.queueDisk(document.uri);
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (path.basename(uri.fsPath) === '.gitignore') this.learnable.ignoreFilesChanged();
    const file = keyForUri(uri);
    if (!file || this.editorTexts.has(file.key)) return;
    this.queueDisk(uri);
  }

  private onDiskDelete(uri: vscode.Uri): void {
    if (!this.active) return;
    const file = keyForUri(uri);
    if (!file) return;
    this.diskPaths.delete(uri.toString());
    this.editorTexts.delete(file.key);
    this.core.queue.enqueue(() => {
      // The uri may have been a file or a whole folder.
      this.core.learner.removeFile(file.key);
      this.core.learner.removeFolder(file.key);
      this.core.fileRecord.removedTree(file.key);
      this.core.markChanged('file');
    });
  }

  private onRename(files: ReadonlyArray<{ oldUri: vscode.Uri; newUri: vscode.Uri }>): void {
    if (!this.active) return;
    for (const { oldUri, newUri } of files) {
      const from = keyForUri(oldUri);
      const to = keyForUri(newUri);
      if (!from) continue;
      this.core.queue.enqueue(() => {
        if (to) {
          this.core.learner.renameFile(from.key, to.key);
          this.core.learner.renameFolder(from.key, to.key);
          this.core.fileRecord.renamedTree(from.key, to.key);
        } else {
          this.core.learner.removeFile(from.key);
          this.core.learner.removeFolder(from.key);
          this.core.fileRecord.removedTree(from.key);
        }
        this.core.markChanged('file');
      });
      // The new place may be excluded, or be a folder of files: let the disk check settle it.
      this.queueDisk(newUri);
    }
  }

  private queueDisk(uri: vscode.Uri): void {
    if (!this.active) return;
    this.diskPaths.set(uri.toString(), uri);
    if (this.diskTimer) clearTimeout(this.diskTimer);
    this.diskTimer = setTimeout(() => {
      this.diskTimer = undefined;
      const uris = [...this.diskPaths.values()];
      this.diskPaths.clear();
      const work = this.learnFromDisk(uris).catch((error) => this.core.log.error(`Updating from disk failed: ${error}`));
      this.track(work);
    }, DISK_DEBOUNCE_MS);
  }

  private async learnFromDisk(uris: vscode.Uri[]): Promise<void> {
    const inputs: PrepareInput[] = [];
    const removals: string[] = [];
    for (const uri of uris) {
      const change = await this.learnable.diskChange(uri);
      if (!change) continue;
      if (change.kind === 'folder') inputs.push(...change.inputs);
      else if (change.kind === 'gone') removals.push(change.key);
      else if (this.editorTexts.has(change.key)) continue; // the unsaved editor text speaks for it
      else if (change.kind === 'excluded') removals.push(change.key);
      else inputs.push(change.input);
    }
    for (const key of removals) {
      this.core.queue.enqueue(() => {
        this.core.learner.removeFile(key);
        this.core.fileRecord.removed(key);
      });
    }
    if (inputs.length > 0) await this.prepareAndApply(inputs, 'file');
    else if (removals.length > 0) this.core.markChanged('file');
  }

  /** Prepares in batches (a checkout may touch thousands of files) and applies each as it comes. */
  private async prepareAndApply(inputs: PrepareInput[], source: 'edit' | 'file'): Promise<void> {
    const settings = trainingSettings();
    const forgotten = [...this.core.forgotten.words];
    for (let start = 0; start < inputs.length; start += BATCH_FILES) {
      const batch = inputs.slice(start, start + BATCH_FILES);
      const work = this.pool().prepare(batch, settings.maxFileBytes, forgotten);
      this.track(work);
      let files: PreparedFile[];
      try {
        files = await work;
      } catch (error) {
        this.core.log.error(`Preparing ${batch.length} file(s) failed: ${error}`);
        continue;
      }
      for (const file of files) this.apply(file, source);
    }
  }

  private apply(file: PreparedFile, source: 'edit' | 'file'): void {
    const core = this.core;
    if (core.forgotten.files.has(file.key)) return;
    if (source === 'file' && this.editorTexts.has(file.key)) return; // the unsaved editor text wins
    if ('skip' in file) {
      core.queue.enqueue(() => {
        core.learner.removeFile(file.key);
        if (source === 'file') core.fileRecord.skipped(file.key, [file.mtimeMs, file.size]);
        else core.fileRecord.learnedUnsaved(file.key);
        core.markChanged(source);
      });
      return;
    }
    for (const job of core.learner.planReplace(file.key, file.chunks)) core.queue.enqueue(job);
    core.queue.enqueue(() => {
      // Disk contents get a fingerprint; unsaved text does not, so the next start re-reads the disk.
      if (source === 'file') core.fileRecord.learned(file.key, [file.mtimeMs, file.size]);
      else core.fileRecord.learnedUnsaved(file.key);
      core.markChanged(source);
    });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  dispose(): void {
    for (const timer of this.editTimers.values()) clearTimeout(timer);
    if (this.diskTimer) clearTimeout(this.diskTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
