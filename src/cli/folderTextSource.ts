// `light-network mcp`'s TextSource: learned files' current text from disk, under the folder they
// were learned in, read as training reads them (the one safe reader: regular files whose real path
// lies inside the folder, no links out, no devices or FIFOs, at most the size limit, no binaries),
// never a secret file by its name, line ends as learned. A path that climbs out of the folder is
// refused before touching the disk.
//
// Files are read with synchronous calls (readLearnableFileSync): a question reads up to a few dozen
// files, and the asynchronous reader's dozen trips through the thread pool per file made most of
// find's time, and on a busy machine its slowest answers (each trip may wait for a thread to run).
//
// Texts read are kept (up to a bound) with the file's identity and times; a later question checks
// them with one lstat instead of reading again (ten syscalls and the read): the same device, inode,
// size, modification and change times mean the same bytes that the safe reader read.
import { lstatSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../workspace/fileFilter';
import { readLearnableFileSync } from '../workspace/learnableFile';
import { isSecretFileName } from '../workspace/secrets';
import { normalizeLineEnds } from './corpus';
import type { TextSource } from '../ask/askable';

/**
 * Bytes of file text kept between questions, as UTF-8 outside the JavaScript heap and decoded again
 * when used: kept strings would survive each young-generation collection and be copied by it, and
 * with megabytes of them those pauses were the slowest finds; decoding a file again takes microseconds.
 */
const KEPT_BYTES = 8 * 1024 * 1024;

interface Kept {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** The text as read (line ends normalized), UTF-8. */
  bytes: Buffer;
}

export class FolderTextSource implements TextSource {
  readonly root: string;
  /** Most recently used last. */
  private readonly kept = new Map<string, Kept>();
  private keptBytes = 0;

  constructor(root: string, private readonly maxBytes = DEFAULT_MAX_FILE_BYTES) {
    this.root = path.resolve(root);
  }

  async read(file: string): Promise<string | undefined> {
    return this.readNow(file);
  }

  private readNow(file: string): string | undefined {
    if (file.includes('\u0000') || path.isAbsolute(file) || isSecretFileName(file)) return undefined;
    const full = path.resolve(this.root, file);
    const rel = path.relative(this.root, full);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    let stat: Stats | undefined;
    try {
      stat = lstatSync(full);
    } catch {
      stat = undefined;
    }
    const before = this.kept.get(file);
    if (before) this.forget(file, before);
    if (!stat?.isFile()) return undefined;
    if (before && sameFile(before, stat)) {
      this.keep(file, before);
      return before.bytes.toString('utf8');
    }
    const read = readLearnableFileSync(full, this.root, this.maxBytes);
    if (!('text' in read)) return undefined;
    const text = normalizeLineEnds(read.text);
    // Kept with the times seen before reading: a change since shows as a difference next time.
    // (The text came from decoding bytes, so it holds no lone surrogate: UTF-8 gives it back exactly.)
    if (text.length <= KEPT_BYTES / 4) this.keep(file, { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, bytes: Buffer.from(text, 'utf8') });
    return text;
  }

  private keep(file: string, kept: Kept): void {
    if (kept.bytes.length > KEPT_BYTES / 4) return;
    this.kept.set(file, kept);
    this.keptBytes += kept.bytes.length;
    for (const [oldest, k] of this.kept) {
      if (this.keptBytes <= KEPT_BYTES) break;
      this.forget(oldest, k);
    }
  }

  private forget(file: string, kept: Kept): void {
    this.kept.delete(file);
    this.keptBytes -= kept.bytes.length;
  }
}

function sameFile(kept: Kept, stat: Stats): boolean {
  return kept.dev === stat.dev && kept.ino === stat.ino && kept.size === stat.size && kept.mtimeMs === stat.mtimeMs && kept.ctimeMs === stat.ctimeMs;
}
