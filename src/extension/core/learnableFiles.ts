// Which files of the open workspace may be learned, for training and live updates alike: a path
// inside a workspace folder, not forgotten by the user, and allowed by the folder's rules
// (workspace/learnablePaths.ts: .gitignore, `lightNetwork.exclude`, `files.exclude`, secret and
// generated names, the size limit). Each folder's rules are kept (with what they read of its
// .gitignore files) while the settings they come from stay the same.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { pathProblem } from '../../workspace/learnableFile';
import { LearnablePaths, type ListOptions } from '../../workspace/learnablePaths';
import { filesExcludeGlobs, trainingSettings } from '../config';
import type { PrepareInput } from '../training/workerProtocol';
import { keyForRelative, keyForUri, type KeyedFile } from './documentKeys';
import type { ForgottenRecord } from './workspaceManifest';

/** A learnable file found on disk: its key, where to read it and the folder it must lie in. */
export interface LearnableFile {
  key: string;
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
}

/** What a change on disk at a path means for the memory. */
export type DiskChange =
  /** A learnable file: read it. */
  | { kind: 'file'; key: string; input: PrepareInput }
  /** A folder appeared (restored by git, moved in): the learnable files it holds. */
  | { kind: 'folder'; inputs: PrepareInput[] }
  /** Gone from disk: whatever the memory holds of it goes. */
  | { kind: 'gone'; key: string }
  /** There, but excluded, forgotten or never learnable by its name. */
  | { kind: 'excluded'; key: string };

export class LearnableFiles {
  /** Each folder's rules, with the settings they were made from. */
  private readonly rules = new Map<string, { settings: string; rules: LearnablePaths }>();

  constructor(private readonly forgotten: ForgottenRecord) {}

  /** A .gitignore changed somewhere: every folder's rules read them again. */
  ignoreFilesChanged(): void {
    for (const { rules } of this.rules.values()) rules.forgetIgnoreFiles();
  }

  /** The learnable files of a workspace folder (or of its subfolder `under`), forgotten ones left out. */
  async *list(folder: vscode.WorkspaceFolder, under = '', options: ListOptions = {}): AsyncGenerator<LearnableFile> {
    const rules = this.rulesOf(folder);
    for await (const file of rules.list(under, options)) {
      const key = keyForRelative(folder, file.rel);
      if (this.forgotten.files.has(key)) continue;
      yield { key, path: file.path, root: rules.root, size: file.size, mtimeMs: file.mtimeMs };
    }
  }

  /** The file's key when a file at `uri` may be learned by its path (not yet read); undefined otherwise. */
  async fileAt(uri: vscode.Uri): Promise<KeyedFile | undefined> {
    const file = keyForUri(uri);
    if (!file || this.forgotten.files.has(file.key)) return undefined;
    return (await this.rulesOf(file.folder).problem(file.rel)) ? undefined : file;
  }

  /**
   * The file's key when an editor's text may be learned under `uri`: as `fileAt`, and only for a
   * regular file really inside its workspace folder (not one opened through a linked folder).
   */
  async editorFileAt(uri: vscode.Uri): Promise<KeyedFile | undefined> {
    const file = await this.fileAt(uri);
    return file && !(await pathProblem(uri.fsPath, file.folder.uri.fsPath)) ? file : undefined;
  }

  /** What a change on disk at `uri` means: a file to read, a folder of them, or a key to drop. */
  async diskChange(uri: vscode.Uri): Promise<DiskChange | undefined> {
    const file = keyForUri(uri);
    if (!file) return undefined;
    let stat;
    try {
      stat = await fs.lstat(uri.fsPath); // a link is never followed: to a folder, it is no folder of ours
    } catch {
      return { kind: 'gone', key: file.key }; // gone again before we looked
    }
    if (stat.isDirectory()) {
      const inputs: PrepareInput[] = [];
      for await (const found of this.list(file.folder, file.rel)) inputs.push({ key: found.key, path: found.path, root: found.root });
      return { kind: 'folder', inputs };
    }
    if (!(await this.fileAt(uri))) return { kind: 'excluded', key: file.key };
    return { kind: 'file', key: file.key, input: { key: file.key, path: uri.fsPath, root: file.folder.uri.fsPath } };
  }

  private rulesOf(folder: vscode.WorkspaceFolder): LearnablePaths {
    const { exclude, maxFileBytes } = trainingSettings();
    const rules = { exclude: [...exclude, ...filesExcludeGlobs(folder.uri)], maxFileBytes };
    const settings = JSON.stringify(rules);
    const id = folder.uri.toString();
    const kept = this.rules.get(id);
    if (kept?.settings === settings) return kept.rules;
    const made = new LearnablePaths(folder.uri.fsPath, rules);
    this.rules.set(id, { settings, rules: made });
    return made;
  }
}
