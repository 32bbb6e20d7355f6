// Throwaway folders for one test run. Web VS Code auto-saves, so tests always work on copies.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `light-network-${label.replace(/[^\w-]/g, '_')}-`));
}

/** A fresh copy of `source` (e.g. demo/) in a scratch folder; returns the copy's path. */
export function copyWorkspace(source: string, label = 'workspace'): string {
  const target = join(scratchDir(label), 'workspace');
  cpSync(source, target, { recursive: true });
  return target;
}

/** Writes `files` (relative path → content) into a new scratch workspace; returns its path. */
export function makeWorkspace(files: Record<string, string>, label = 'workspace'): string {
  const root = join(scratchDir(label), 'workspace');
  mkdirSync(root, { recursive: true });
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Deletes a workspace made by copyWorkspace/makeWorkspace together with its scratch folder. */
export function removeWorkspace(workspace: string): void {
  removeDir(dirname(workspace));
}
