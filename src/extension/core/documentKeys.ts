// Names files in the memory by their path inside the workspace (portable across machines and
// stable across reloads): `src/a.ts` with one root folder, `<folder name>/src/a.ts` with several.
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface KeyedFile {
  key: string;
  folder: vscode.WorkspaceFolder;
  /** Path relative to its root folder, `/`-separated. */
  rel: string;
}

export function folderPrefix(folder: vscode.WorkspaceFolder): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length > 1 ? `${folder.name}/` : '';
}

export function keyForRelative(folder: vscode.WorkspaceFolder, rel: string): string {
  return folderPrefix(folder) + rel;
}

/** The key of a file on disk inside a workspace folder; undefined outside the workspace. */
export function keyForUri(uri: vscode.Uri): KeyedFile | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
  if (!rel || rel.startsWith('..')) return undefined;
  return { key: keyForRelative(folder, rel), folder, rel };
}
