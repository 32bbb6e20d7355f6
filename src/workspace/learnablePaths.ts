// The one place that decides, before reading, which paths under a folder may be learned: .gitignore
// files at every level (and .git/info/exclude), exclude globs, and the checks on names and sizes of
// fileFilter.ts (secret files, binaries, lockfiles, generated and over-size files). Reading itself is
// decided by learnableFile.ts (regular files inside the folder, no binary content). The extension's
// training and live updates and the CLI all ask here, so a file is learnable the same way for each.
// Node only (no vscode).
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, skipByName, type SkipReason } from './fileFilter';
import { isInsideRoot } from './learnableFile';
import { excludeMatcher, isGitIgnored, walkWorkspace, type IgnoreCache, type WalkedFile } from './walk';

export interface LearnableRules {
  /** Globs relative to the folder (picomatch syntax, as VS Code's files.exclude). */
  exclude: string[];
  maxFileBytes?: number;
}

export interface ListOptions {
  /** Stops the walk early. */
  signal?: AbortSignal;
  /** Told about every file left out by name or size, with the reason. */
  onSkip?: (rel: string, reason: SkipReason) => void;
}

/** Verdicts on single paths kept at most (a checkout touches thousands; they are cheap to redo). */
const MAX_VERDICTS = 5000;

export class LearnablePaths {
  private readonly excluded: (rel: string) => boolean;
  private readonly ignoreFiles: IgnoreCache = new Map();
  private readonly verdicts = new Map<string, boolean>();

  constructor(
    /** The folder the rules apply to (a workspace folder, a folder given to the CLI). */
    readonly root: string,
    private readonly rules: LearnableRules,
  ) {
    this.excluded = excludeMatcher(rules.exclude);
  }

  get maxFileBytes(): number {
    return this.rules.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /**
   * The learnable files under the folder, or under its subfolder `under` (a path relative to it,
   * itself checked first), depth first in sorted order. `rel` is always relative to the folder.
   */
  async *list(under = '', options: ListOptions = {}): AsyncGenerator<WalkedFile> {
    const walk = { exclude: this.rules.exclude, maxFileBytes: this.maxFileBytes, gitignore: true, signal: options.signal };
    if (!under) {
      yield* walkWorkspace(this.root, { ...walk, onSkip: options.onSkip });
      return;
    }
    const start = path.join(this.root, under);
    // A folder that appeared inside: the rules above it apply too (its parents' .gitignore files,
    // globs on the whole path), and it must really lie inside the folder (not be linked in).
    if ((await this.isExcluded(under)) || !(await isInsideRoot(start, this.root))) return;
    for await (const file of walkWorkspace(start, { ...walk, onSkip: (rel, reason) => options.onSkip?.(`${under}/${rel}`, reason) })) {
      const rel = `${under}/${file.rel}`;
      if (!(await this.isExcluded(rel))) yield { ...file, rel };
    }
  }

  /** Why the file at `rel` (relative to the folder) must not be learned, by its path alone; undefined when it may. */
  async problem(rel: string): Promise<SkipReason | undefined> {
    return skipByName(rel, 0, this.maxFileBytes) ?? ((await this.isExcluded(rel)) ? 'excluded' : undefined);
  }

  /** A .gitignore changed: read them again. */
  forgetIgnoreFiles(): void {
    this.ignoreFiles.clear();
    this.verdicts.clear();
  }

  private async isExcluded(rel: string): Promise<boolean> {
    const known = this.verdicts.get(rel);
    if (known !== undefined) return known;
    const excluded = this.excluded(rel) || (await isGitIgnored(this.root, rel, this.ignoreFiles));
    if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
    this.verdicts.set(rel, excluded);
    return excluded;
  }
}
