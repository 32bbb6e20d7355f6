// Reads the text files the commands learn from or evaluate on: folders are walked with the
// workspace walker (.gitignore honoured, sorted, binaries left out), single files are read as given.
// Either way a file is read as the extension reads one: a regular file (no link, device or FIFO)
// inside the folder named, at most the size limit.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES, skipByContent, type SkipReason } from '../workspace/fileFilter';
import { readLearnableFile } from '../workspace/learnableFile';
import { LearnablePaths } from '../workspace/learnablePaths';
import { CliFailure } from './command';

export interface CorpusFile {
  /** Stable id: the path relative to the current folder, `/`-separated, however it was named. */
  id: string;
  path: string;
  text: string;
}

export interface CorpusReadOptions {
  /**
   * 'workspace': the extension's filters (default excludes, size limit, minified and generated
   * files left out) for learning a real project; 'all': every non-binary file, for evaluation
   * corpora such as prose with one paragraph per line, which the minified check would drop.
   */
  filter: 'workspace' | 'all';
  maxFileBytes?: number;
}

export interface CorpusReadResult {
  files: CorpusFile[];
  skipped: Array<{ id: string; reason: SkipReason }>;
}

export async function readCorpus(inputs: string[], options: CorpusReadOptions): Promise<CorpusReadResult> {
  const result: CorpusReadResult = { files: [], skipped: [] };
  for await (const file of corpusFiles(inputs, options, result.skipped)) result.files.push(file);
  return result;
}

/**
 * The files of readCorpus one at a time, for a caller that learns each and lets its text go (a
 * large corpus never has to fit in memory as text). Skipped files are added to `skipped`.
 */
export async function* corpusFiles(inputs: string[], options: CorpusReadOptions, skipped: CorpusReadResult['skipped']): AsyncGenerator<CorpusFile> {
  for await (const entry of corpusEntries(inputs, options, skipped)) {
    const text = await readCorpusText(entry, options, skipped);
    if (text !== undefined) yield { ...entry, text };
  }
}

/** A file to read: its id, its path and the folder it must lie in. */
export interface CorpusEntry {
  id: string;
  path: string;
  root: string;
}

/** The files corpusFiles would read, unread (a caller may read them elsewhere, with readCorpusText). */
export async function* corpusEntries(inputs: string[], options: CorpusReadOptions, skipped: CorpusReadResult['skipped']): AsyncGenerator<CorpusEntry> {
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => undefined);
    if (!stat) throw new CliFailure(`no such file or folder: ${input}`);
    if (stat.isDirectory()) {
      const paths = new LearnablePaths(input, {
        exclude: options.filter === 'workspace' ? DEFAULT_EXCLUDES : ['**/node_modules/**'],
        maxFileBytes: maxFileBytes(options),
      });
      for await (const file of paths.list('', { onSkip: (id, reason) => skipped.push({ id, reason }) })) yield { id: documentId(file.path), path: file.path, root: input };
    } else {
      yield { id: documentId(input), path: input, root: path.dirname(path.resolve(input)) };
    }
  }
}

function maxFileBytes(options: CorpusReadOptions): number {
  return options.maxFileBytes ?? (options.filter === 'workspace' ? DEFAULT_MAX_FILE_BYTES : 256 * 1024 * 1024);
}

/** The text of a corpus file as learned (line ends normalized), or undefined when it is skipped. */
export async function readCorpusText(entry: CorpusEntry, options: CorpusReadOptions, skipped: CorpusReadResult['skipped']): Promise<string | undefined> {
  const skip = (reason: SkipReason): undefined => void skipped.push({ id: entry.id, reason });
  const read = await readLearnableFile(entry.path, entry.root, maxFileBytes(options));
  if ('skip' in read) return skip(read.skip);
  const reason = options.filter === 'workspace' ? skipByContent(read.text) : undefined;
  if (reason) return skip(reason);
  return normalizeLineEnds(read.text);
}

/** The same file gets the same id whether it was named alone or found in a folder. */
export function documentId(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
}

/** Editors show CRLF files with LF line ends; the typist replays what they see. */
export function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function describeSkipped(skipped: CorpusReadResult['skipped']): string {
  if (skipped.length === 0) return '';
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts.entries()].map(([reason, n]) => `${n} ${reason}`).join(', ');
}
