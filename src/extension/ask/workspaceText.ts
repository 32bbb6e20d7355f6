// Where the learned files' text comes from when the memory is asked: the open editor's text when the
// file is open (unsaved edits count: the memory learned them too), otherwise the disk through the
// safe reader (regular files inside the workspace only, size-capped, never binary). Files that may
// not be learned are never read: LearnableFiles decides, as for training and live updates
// (forgotten files; lightNetwork.exclude, files.exclude and .gitignore; secret, generated and
// over-size names), and generated or minified text is refused once read. What is returned is
// blanked as learning blanks it (secrets, forgotten words), so nothing secret can be found or shown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { skipByContent } from '../../workspace/fileFilter';
import { readLearnableFile } from '../../workspace/learnableFile';
import { trainingSettings } from '../config';
import { LearnableFiles } from '../core/learnableFiles';
import type { ForgottenRecord } from '../core/workspaceManifest';
import { learnedText, type LearnedText } from './learnedText';

/** A file key (workspace-relative, `<folder name>/` first with several folders) resolved on disk. */
export interface WorkspaceFile {
  folder: vscode.WorkspaceFolder;
  rel: string;
  uri: vscode.Uri;
}

/** The file a key names, or undefined when it names nothing inside a workspace folder. */
export function fileOfKey(key: string): WorkspaceFile | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0 || key.length === 0) return undefined;
  let folder = folders[0];
  let rel = key;
  if (folders.length > 1) {
    const cut = key.indexOf('/');
    const named = cut > 0 ? folders.find((f) => f.name === key.slice(0, cut)) : undefined;
    if (!named) return undefined;
    folder = named;
    rel = key.slice(cut + 1);
  }
  const parts = rel.split('/');
  // Keys are made by keyForUri; anything else (a peer, a damaged manifest) must not lead outside.
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\u0000')) || path.isAbsolute(rel)) return undefined;
  return { folder, rel, uri: vscode.Uri.joinPath(folder.uri, ...parts) };
}

/** Files whose prepared text is kept between questions (a phrase typed letter by letter asks again). */
const KEPT_FILES = 64;
const KEPT_CHARS = 16 * 1024 * 1024;

export class WorkspaceText {
  /** The rules of what may be learned, read again for each question (see clearCaches). */
  private readonly learnable: LearnableFiles;
  /**
   * The last prepared text of recently asked files, reused only for the very same text and
   * forgotten words (blanking and cutting cost ~80 ms per MB on the host's thread; comparing two
   * strings costs far less). Least recently used first.
   */
  private readonly kept = new Map<string, { raw: string; forgotten: string; learned: LearnedText }>();
  private keptChars = 0;

  constructor(private readonly forgotten: ForgottenRecord) {
    this.learnable = new LearnableFiles(forgotten);
  }

  /** Reads the .gitignore files again at the next question (they may have changed since the last). */
  clearCaches(): void {
    this.learnable.ignoreFilesChanged();
  }

  /** The file's text now as learning would see it, or undefined when it may not or cannot be read. */
  async read(key: string): Promise<LearnedText | undefined> {
    const file = fileOfKey(key);
    if (!file || this.forgotten.files.has(key)) return undefined;
    const settings = trainingSettings();
    let text: string;
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === file.uri.toString());
    if (open) {
      // The editor's text is only that file's when the path is a regular file really inside the
      // workspace (as live updates check before learning it).
      if ((await this.learnable.editorFileAt(file.uri))?.key !== key) return undefined;
      text = open.getText();
      if (text.length > settings.maxFileBytes) return undefined;
    } else {
      if ((await this.learnable.fileAt(file.uri))?.key !== key) return undefined;
      const read = await readLearnableFile(file.uri.fsPath, file.folder.uri.fsPath, settings.maxFileBytes);
      if ('skip' in read) return undefined;
      text = read.text;
    }
    if (skipByContent(text)) return undefined;
    // Forgetting may have happened while the file was read.
    if (this.forgotten.files.has(key)) return undefined;
    return this.prepared(key, text);
  }

  private prepared(key: string, raw: string): LearnedText {
    const forgotten = [...this.forgotten.words].sort().join('\u0000');
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      this.keptChars -= kept.raw.length;
    }
    const learned = kept && kept.raw === raw && kept.forgotten === forgotten ? kept.learned : learnedText(raw, this.forgotten.words);
    if (raw.length <= KEPT_CHARS / 4) {
      this.kept.set(key, { raw, forgotten, learned });
      this.keptChars += raw.length;
      for (const [oldest, entry] of this.kept) {
        if (this.kept.size <= KEPT_FILES && this.keptChars <= KEPT_CHARS) break;
        this.kept.delete(oldest);
        this.keptChars -= entry.raw.length;
      }
    }
    return learned;
  }
}
