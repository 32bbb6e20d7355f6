// The record `train` writes beside a memory file (`<memory>.origins.json`): the folder it was run in
// (the root every learned path is relative to) and, for each document (a chunk of a file), the line
// and column where its text began. With it `find` goes from an occurrence (document, token offset)
// straight to the line it is on by tokenizing one chunk of the current file, instead of the whole
// file; the record is only a hint, since every location is checked against the file as it is now.
//
// It is a separate file, not a section of the memory: the memory's format (LNIX) is the engine's,
// and a memory without this record still completes (only `find` needs it). Read as untrusted input.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../persistence/atomicFile';
import { chunkDocumentId, CHUNK_SEPARATOR } from '../workspace/chunks';
import type { DocumentOrigin } from './askable';
import type { OriginLookup } from './indexedAskable';

const FORMAT = 'light-network-origins';
const VERSION = 1;
/** A record larger than this is refused (about 40 bytes per chunk: tens of millions of chunks). */
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * The record's JSON: files by their key in the memory's document ids, each with [chunk id, line,
 * column] per document; `paths` gives the path relative to the root where it is not the key (a
 * file learned from outside the folder train ran in).
 */
interface OriginsJson {
  format: typeof FORMAT;
  version: number;
  root: string;
  files: Record<string, Array<[string, number, number]>>;
  paths?: Record<string, string>;
}

export class OriginsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OriginsFormatError';
  }
}

export class Origins implements OriginLookup {
  constructor(
    /** Absolute path of the folder the learned paths are relative to. */
    readonly root: string,
    private readonly byDocument: Map<string, DocumentOrigin>,
  ) {}

  get(document: string): DocumentOrigin | undefined {
    return this.byDocument.get(document);
  }

  get size(): number {
    return this.byDocument.size;
  }

  entries(): IterableIterator<[string, DocumentOrigin]> {
    return this.byDocument.entries();
  }
}

/** Where the record of `memoryFile` lives. */
export function originsFileOf(memoryFile: string): string {
  return `${memoryFile}.origins.json`;
}

export function encodeOrigins(origins: Origins): string {
  const files: OriginsJson['files'] = {};
  const paths: Record<string, string> = {};
  for (const [document, o] of origins.entries()) {
    const cut = document.indexOf(CHUNK_SEPARATOR);
    if (cut === -1) continue; // only chunk documents come from files
    const key = document.slice(0, cut);
    (files[key] ??= []).push([document.slice(cut + 1), o.line, o.column]);
    if (o.file !== key) paths[key] = o.file;
  }
  const json: OriginsJson = { format: FORMAT, version: VERSION, root: origins.root, files, paths };
  return JSON.stringify(json);
}

/** Reads a record, checking every field (it is a file anyone may have edited). */
export function decodeOrigins(text: string): Origins {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OriginsFormatError(`not JSON (${(error as Error).message})`);
  }
  const o = json as Partial<OriginsJson>;
  if (!o || typeof o !== 'object' || o.format !== FORMAT) throw new OriginsFormatError('not a Light Network origins record');
  if (o.version !== VERSION) throw new OriginsFormatError(`version ${String(o.version)} is not supported (expected ${VERSION})`);
  if (typeof o.root !== 'string' || !path.isAbsolute(o.root)) throw new OriginsFormatError('its root is not an absolute path');
  if (!o.files || typeof o.files !== 'object' || Array.isArray(o.files)) throw new OriginsFormatError('it lists no files');
  const paths = o.paths ?? {};
  if (typeof paths !== 'object' || Array.isArray(paths) || Object.values(paths).some((p) => typeof p !== 'string')) throw new OriginsFormatError('its paths are not strings');
  const byDocument = new Map<string, DocumentOrigin>();
  for (const [key, chunks] of Object.entries(o.files)) {
    if (!Array.isArray(chunks)) throw new OriginsFormatError(`the entry of ${key} is not a list`);
    const file = Object.hasOwn(paths, key) ? paths[key] : key;
    for (const c of chunks) {
      if (!Array.isArray(c) || c.length !== 3 || typeof c[0] !== 'string' || !isCount(c[1]) || !isCount(c[2])) {
        throw new OriginsFormatError(`an entry of ${key} is not [chunk, line, column]`);
      }
      byDocument.set(chunkDocumentId(key, c[0]), { file, line: c[1], column: c[2] });
    }
  }
  return new Origins(o.root, byDocument);
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** The record beside `memoryFile`, or undefined when there is none. Throws OriginsFormatError for a bad one. */
export async function loadOrigins(memoryFile: string): Promise<Origins | undefined> {
  const file = originsFileOf(memoryFile);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_BYTES) throw new OriginsFormatError(`${file} is larger than ${MAX_BYTES} bytes`);
    return decodeOrigins(await handle.readFile('utf8'));
  } finally {
    await handle.close();
  }
}

export async function saveOrigins(memoryFile: string, origins: Origins): Promise<void> {
  await writeFileAtomic(originsFileOf(memoryFile), new TextEncoder().encode(encodeOrigins(origins)));
}

/**
 * Where each chunk of a file began: line breaks before its start and the column on that line.
 * `starts` ascend (chunks in file order); `text` has the line breaks the chunks were cut from.
 */
export function chunkStarts(text: string, starts: readonly number[]): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  let line = 0;
  let lineStart = 0;
  let at = 0;
  for (const start of starts) {
    for (let i = text.indexOf('\n', at); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
      at = i + 1;
    }
    out.push({ line, column: start - lineStart });
  }
  return out;
}
