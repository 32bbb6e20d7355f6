// What the host knows about the workspace's files beside the memory itself, saved with it: the
// fingerprint of each file's learned disk contents and of each file read and skipped (so a start
// re-reads only what changed), and the files and words the user forgot. This module owns those
// rules: training and live updates record what they did through `FileRecord`, never by editing the
// saved manifest's fields, so a file learned, skipped, renamed or removed is recorded the same way
// whoever noticed it.
//
// No vscode import: unit tests use it as it is.
import { isForgettableWord } from '../../protocol/forgettableWord';
import { emptyManifest, type Manifest } from '../../persistence/savedMemory';

/** [mtimeMs, size] of a file's disk contents when it was read. */
export type Fingerprint = [mtimeMs: number, size: number];

/**
 * The fingerprints of learned and skipped files, as training and live updates record them. Works
 * in place on a manifest's fields, so it edits the host's manifest and the copy a rebuild saves alike.
 */
export class FileRecord {
  constructor(private readonly manifest: Pick<Manifest, 'trained' | 'files' | 'skipped'>) {}

  /** True once a full training completed (a reset memory is not caught up at start). */
  get trained(): boolean {
    return this.manifest.trained;
  }

  markTrained(): void {
    this.manifest.trained = true;
  }

  /** The file's disk contents, with this fingerprint, are what the memory holds of it. */
  learned(key: string, fingerprint: Fingerprint): void {
    this.manifest.files[key] = [fingerprint[0], fingerprint[1]];
    delete this.manifest.skipped[key];
  }

  /**
   * The memory holds text of the file that is not its disk contents (an editor's unsaved text):
   * no fingerprint, so the next start reads the disk again.
   */
  learnedUnsaved(key: string): void {
    delete this.manifest.files[key];
    delete this.manifest.skipped[key];
  }

  /** The file was read and left out (binary, minified…): not read again while it keeps this fingerprint. */
  skipped(key: string, fingerprint: Fingerprint): void {
    delete this.manifest.files[key];
    this.manifest.skipped[key] = [fingerprint[0], fingerprint[1]];
  }

  /** The file left the memory (deleted, excluded, unreadable): nothing is known of it. */
  removed(key: string): void {
    delete this.manifest.files[key];
    delete this.manifest.skipped[key];
  }

  /** `key` was a file or a folder that went: it and everything under it are removed. */
  removedTree(key: string): void {
    this.removed(key);
    const prefix = `${key}/`;
    for (const record of [this.manifest.files, this.manifest.skipped]) {
      for (const name of Object.keys(record)) if (name.startsWith(prefix)) delete record[name];
    }
  }

  /** A file or folder was renamed: its records (and those under it) follow it. */
  renamedTree(from: string, to: string): void {
    for (const record of [this.manifest.files, this.manifest.skipped]) {
      const moved: Array<[string, Fingerprint]> = [];
      const prefix = `${from}/`;
      for (const [name, fingerprint] of Object.entries(record)) {
        if (name === from) moved.push([to, fingerprint]);
        else if (name.startsWith(prefix)) moved.push([`${to}/${name.slice(prefix.length)}`, fingerprint]);
        else continue;
        delete record[name];
      }
      for (const [name, fingerprint] of moved) record[name] = fingerprint;
    }
  }

  /** After a complete walk of the workspace: records of files not seen are dropped. */
  keepOnly(seen: ReadonlySet<string>): void {
    for (const record of [this.manifest.files, this.manifest.skipped]) {
      for (const name of Object.keys(record)) if (!seen.has(name)) delete record[name];
    }
  }

  /** True when the memory holds the file's disk contents as they are now. */
  isLearnedAt(key: string, fingerprint: Fingerprint): boolean {
    return same(this.manifest.files[key], fingerprint);
  }

  /** True when the file was read and skipped as it is now. */
  wasSkippedAt(key: string, fingerprint: Fingerprint): boolean {
    return same(this.manifest.skipped[key], fingerprint);
  }
}

/** The files and words the user forgot: never learned again in this workspace. */
export interface ForgottenRecord {
  readonly files: ReadonlySet<string>;
  readonly words: ReadonlySet<string>;
}

/** The one owner of the workspace's manifest (see the header). */
export class WorkspaceManifest implements ForgottenRecord {
  private data: Manifest = emptyManifest();
  private record = new FileRecord(this.data);
  private forgottenFiles = new Set<string>();
  private forgottenWords = new Set<string>();

  /** Learned and skipped files' fingerprints. */
  get fileRecord(): FileRecord {
    return this.record;
  }

  get files(): ReadonlySet<string> {
    return this.forgottenFiles;
  }

  get words(): ReadonlySet<string> {
    return this.forgottenWords;
  }

  /** Never learns the file again; what is recorded of it goes. */
  forgetFile(key: string): void {
    this.forgottenFiles.add(key);
    this.record.removed(key);
  }

  forgetWord(word: string): void {
    this.forgottenWords.add(word);
  }

  /** Takes the manifest saved with a memory just loaded. */
  load(saved: Manifest): void {
    this.data = { trained: saved.trained, files: { ...saved.files }, skipped: { ...saved.skipped }, forgottenFiles: [], forgottenWords: [] };
    this.record = new FileRecord(this.data);
    this.forgottenFiles = new Set(saved.forgottenFiles);
    // Older versions could forget "\n" or punctuation (which flattened every file): words only.
    this.forgottenWords = new Set(saved.forgottenWords.filter(isForgettableWord));
  }

  /** The memory was emptied: nothing is learned or trained any more; what was forgotten stays so. */
  reset(): void {
    this.data = emptyManifest();
    this.record = new FileRecord(this.data);
  }

  /** A copy to save (what the memory holds at this moment of the queue). */
  toManifest(): Manifest {
    return {
      trained: this.data.trained,
      files: { ...this.data.files },
      skipped: { ...this.data.skipped },
      forgottenFiles: [...this.forgottenFiles],
      forgottenWords: [...this.forgottenWords],
    };
  }
}

function same(recorded: Fingerprint | undefined, now: Fingerprint): boolean {
  return recorded !== undefined && recorded[0] === now[0] && recorded[1] === now[1];
}
