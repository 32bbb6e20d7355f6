// Keeps the memory current after training: unsaved edits (debounced), saves, and files created,
// changed, renamed or deleted on disk (a git checkout, say). Every change replaces that file's
// contribution exactly (content-addressed chunks), and a file that goes is removed.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { skipByName } from '../../workspace/fileFilter';
import { isInsideRoot, pathProblem } from '../../workspace/learnableFile';
import { excludeMatcher, isGitIgnored, walkWorkspace, type IgnoreCache } from '../../workspace/walk';
import { filesExcludeGlobs, trainingSettings } from '../config';
import { keyForRelative, keyForUri, type KeyedFile } from '../core/documentKeys';
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
  private readonly ignoredCache = new Map<string, boolean>();
  private readonly gitignoreCache: IgnoreCache = new Map();
  private active = false;
  /** Files whose unsaved editor contents are learned: the editor, not the disk, speaks for them. */
  private readonly editorTexts = new Set<string>();

  constructor(
    private readonly core: LearningServices,
    private readonly pool: () => WorkerPool,
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
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lightNetwork.exclude') || e.affectsConfiguration('lightNetwork.training') || e.affectsConfiguration('files.exclude')) this.clearIgnoreCaches();
      }),
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
    const file = await this.eligible(document.uri);
    // The editor's text is learned under the file's path: only for a regular file really inside
    // the workspace (not one opened through a linked folder that leads out of it).
    if (!file || (await pathProblem(document.uri.fsPath, file.folder.uri.fsPath))) return;
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
    if (path.basename(uri.fsPath) === '.gitignore') this.clearIgnoreCaches();
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
      const file = keyForUri(uri);
      if (!file) continue;
      let stat;
      try {
        stat = await fs.lstat(uri.fsPath); // a link is never followed: to a folder, it is no folder of ours
      } catch {
        removals.push(file.key); // gone again before we looked
        continue;
      }
      if (stat.isDirectory()) {
        await this.collectFolder(file, inputs);
        continue;
      }
      if (this.editorTexts.has(file.key)) continue;
      if (await this.eligible(uri)) inputs.push({ key: file.key, path: uri.fsPath, root: file.folder.uri.fsPath });
      else removals.push(file.key); // now excluded, or never learnable
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

  /** A folder appeared (restored by git, moved in): learn what it holds. */
  private async collectFolder(folder: KeyedFile, inputs: PrepareInput[]): Promise<void> {
    const settings = trainingSettings();
    const root = folder.folder.uri.fsPath;
    const exclude = [...settings.exclude, ...filesExcludeGlobs(folder.folder.uri)];
    if ((await this.isExcluded(folder.folder, folder.rel)) || !(await isInsideRoot(path.join(root, folder.rel), root))) return;
    for await (const file of walkWorkspace(path.join(root, folder.rel), { exclude, maxFileBytes: settings.maxFileBytes, gitignore: true })) {
      const rel = `${folder.rel}/${file.rel}`;
      const key = keyForRelative(folder.folder, rel);
      if (this.core.forgotten.files.has(key) || (await this.isExcluded(folder.folder, rel))) continue;
      inputs.push({ key, path: file.path, root });
    }
  }

  /** The file's key when it is learnable by name and not excluded or forgotten. */
  private async eligible(uri: vscode.Uri): Promise<KeyedFile | undefined> {
    const file = keyForUri(uri);
    if (!file || this.core.forgotten.files.has(file.key)) return undefined;
    if (skipByName(file.rel, 0)) return undefined;
    if (await this.isExcluded(file.folder, file.rel)) return undefined;
    return file;
  }

  private async isExcluded(folder: vscode.WorkspaceFolder, rel: string): Promise<boolean> {
    const cacheKey = `${folder.index}:${rel}`;
    const cached = this.ignoredCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const globs = [...trainingSettings().exclude, ...filesExcludeGlobs(folder.uri)];
    const excluded = excludeMatcher(globs)(rel) || (await isGitIgnored(folder.uri.fsPath, rel, this.gitignoreCache));
    if (this.ignoredCache.size > 5000) this.ignoredCache.clear();
    this.ignoredCache.set(cacheKey, excluded);
    return excluded;
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

  private clearIgnoreCaches(): void {
    this.ignoredCache.clear();
    this.gitignoreCache.clear();
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
