// Walks a folder for the files worth learning, honouring .gitignore files at every level (with the
// `ignore` package, which follows git's rules), .git/info/exclude, and exclude globs. Node only (no
// vscode): the extension host and the CLI share it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { DEFAULT_MAX_FILE_BYTES, skipByName, type SkipReason } from './fileFilter';

export interface WalkOptions {
  /** Globs relative to the root (picomatch syntax, as VS Code's files.exclude), e.g. `**\/dist/**`. */
  exclude?: string[];
  maxFileBytes?: number;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Stops the walk early. */
  signal?: AbortSignal;
  /** Told about every file left out, with the reason (for statistics and logs). */
  onSkip?: (relPath: string, reason: SkipReason) => void;
}

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root, with `/` separators. */
  rel: string;
  size: number;
  mtimeMs: number;
}

interface IgnoreScope {
  /** Folder of the .gitignore, relative to the root ('' for the root). */
  base: string;
  rules: Ignore;
}

/** Yields the learnable files under `root`, depth first, in sorted order (deterministic). */
export async function* walkWorkspace(root: string, options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const useGitignore = options.gitignore !== false;
  const rootScopes: IgnoreScope[] = [];
  if (useGitignore) {
    const infoExclude = await readIgnoreFile(path.join(root, '.git', 'info', 'exclude'));
    if (infoExclude) rootScopes.push({ base: '', rules: infoExclude });
  }
  const stack: Array<{ rel: string; scopes: IgnoreScope[] }> = [{ rel: '', scopes: rootScopes }];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const { rel, scopes: parentScopes } = stack.pop()!;
    const dir = rel ? path.join(root, rel) : root;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // vanished or unreadable folder: nothing to learn there
    }
    let scopes = parentScopes;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const rules = await readIgnoreFile(path.join(dir, '.gitignore'));
      if (rules) scopes = [...parentScopes, { base: rel, rules }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === '.git' || excluded(childRel) || isIgnored(scopes, childRel, true)) continue;
        subfolders.push(childRel);
      } else if (entry.isFile()) {
        if (excluded(childRel) || isIgnored(scopes, childRel, false)) continue;
        const file = await statFile(path.join(dir, entry.name), childRel);
        if (!file) continue;
        const reason = skipByName(childRel, file.size, maxBytes);
        if (reason) options.onSkip?.(childRel, reason);
        else yield file;
      } // symbolic links and special files are never followed
    }
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push({ rel: subfolders[i], scopes });
  }
}

/** True when a path relative to the walk root is excluded by the globs or an applicable .gitignore. */
function isIgnored(scopes: IgnoreScope[], rel: string, isDirectory: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.base ? rel.slice(scope.base.length + 1) : rel;
    if (scope.rules.ignores(isDirectory ? `${local}/` : local)) return true;
  }
  return false;
}

async function readIgnoreFile(file: string): Promise<Ignore | undefined> {
  try {
    return ignore().add(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function statFile(absolute: string, rel: string): Promise<WalkedFile | undefined> {
  try {
    const stat = await fs.stat(absolute);
    return { path: absolute, rel, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Builds a matcher for "is this relative path excluded" from globs (files.exclude style). */
export function excludeMatcher(globs: string[]): (relPath: string) => boolean {
  return globs.length ? picomatch(globs, { dot: true }) : () => false;
}

/** Parsed ignore files by path (null when a folder has none), shared between single-file checks. */
export type IgnoreCache = Map<string, Ignore | null>;

/**
 * Whether .gitignore files (and .git/info/exclude) leave out one file (for live updates). Pass a
 * cache to read each folder's .gitignore once across many checks (clear it when one changes).
 */
export async function isGitIgnored(root: string, rel: string, cache: IgnoreCache = new Map()): Promise<boolean> {
  const parts = rel.split('/');
  const scopes: IgnoreScope[] = [];
  const infoExclude = await cachedIgnoreFile(path.join(root, '.git', 'info', 'exclude'), cache);
  if (infoExclude) scopes.push({ base: '', rules: infoExclude });
  for (let depth = 0; depth < parts.length; depth++) {
    const base = parts.slice(0, depth).join('/');
    if (base && (parts[depth - 1] === '.git' || isIgnored(scopes, base, true))) return true;
    const rules = await cachedIgnoreFile(path.join(root, base, '.gitignore'), cache);
    if (rules) scopes.push({ base, rules });
  }
  return isIgnored(scopes, rel, false);
}

async function cachedIgnoreFile(file: string, cache: IgnoreCache): Promise<Ignore | undefined> {
  if (cache.has(file)) return cache.get(file) ?? undefined;
  const rules = await readIgnoreFile(file);
  cache.set(file, rules ?? null);
  return rules;
}
