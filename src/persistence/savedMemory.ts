// The file format of a saved workspace memory: a small header and manifest (which files are learned,
// with the fingerprint they had), then the memories, each in the engine's own versioned, checksummed
// format. Pure (no vscode) so it can be tested and reused.
//
// Version 2 (written now): header | manifest | team length u32 | team memory (snapshotCodec, the
// trie) | local memory (indexedCodec, engine v2) to the end of the file.
// Version 1 (read, to convert it): header | manifest | local length | local (trie) | team length |
// team (trie) | total length u32.
import { Memory } from '../memory/memory';
import { readSnapshot, type Snapshot } from '../memory/snapshotCodec';
import { MemoryFormatError } from '../memory/types';
import type { ReadAt } from '../memory/indexedCodec';

const MAGIC = 0x4d4e574c; // "LWNM" little endian
export const SAVED_MEMORY_VERSION = 2;
/** The previous version's format, whose local memory was a trie (engine v1). */
export const TRIE_MEMORY_VERSION = 1;
/** A manifest larger than this is not plausible (it lists file names and fingerprints). */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Where the parts of a version 2 file lie (version 1 files are read whole by readSavedMemory). */
export type SavedHead =
  | { version: typeof TRIE_MEMORY_VERSION }
  | { version: typeof SAVED_MEMORY_VERSION; manifest: Manifest; teamAt: number; teamLength: number; localAt: number };

/** Is this the start of a saved workspace memory (any version)? */
export function isWorkspaceMemory(head: Uint8Array): boolean {
  return head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === MAGIC;
}

/** The bytes before the team memory of a version 2 file. */
export function encodeSavedHead(manifest: Manifest, teamLength: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const head = new Uint8Array(16 + json.length + 4);
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, SAVED_MEMORY_VERSION, true);
  view.setUint32(8, json.length, true);
  view.setUint32(12, crc32(json), true);
  head.set(json, 16);
  view.setUint32(16 + json.length, teamLength, true);
  return head;
}

/** Reads and checks a saved memory's header (and a version 2 file's manifest). */
export async function readSavedHead(readAt: ReadAt, size: number): Promise<SavedHead> {
  const fixed = new Uint8Array(16);
  if (size < 16 || (await readAt(fixed, 0)) < 16) throw new MemoryFormatError('saved memory is truncated');
  const view = new DataView(fixed.buffer);
  if (view.getUint32(0, true) !== MAGIC) throw new MemoryFormatError('not a Light Network memory file');
  const version = view.getUint32(4, true);
  if (version === TRIE_MEMORY_VERSION) return { version };
  if (version !== SAVED_MEMORY_VERSION) throw new MemoryFormatError(`unsupported saved memory version ${version}`);
  const manifestLength = view.getUint32(8, true);
  if (manifestLength > MAX_MANIFEST_BYTES || 16 + manifestLength + 4 > size) throw new MemoryFormatError('saved memory is truncated');
  const rest = new Uint8Array(manifestLength + 4);
  let done = 0;
  while (done < rest.length) {
    const n = await readAt(rest.subarray(done), 16 + done);
    if (n <= 0) throw new MemoryFormatError('saved memory is truncated');
    done += n;
  }
  const json = rest.subarray(0, manifestLength);
  if (crc32(json) !== view.getUint32(12, true)) throw new MemoryFormatError('saved memory manifest is corrupted');
  const manifest = parseManifest(json);
  const teamAt = 16 + manifestLength + 4;
  const teamLength = new DataView(rest.buffer).getUint32(manifestLength, true);
  if (teamAt + teamLength > size) throw new MemoryFormatError('saved memory is truncated');
  return { version, manifest, teamAt, teamLength, localAt: teamAt + teamLength };
}

/** What the host knows about learned files, to catch up with changes made while it was closed. */
export interface Manifest {
  /** True once a full training ran (a reset memory is not caught up at start). */
  trained: boolean;
  /** file key -> [mtimeMs, size] of the disk contents that were learned. */
  files: Record<string, [number, number]>;
  /** file key -> [mtimeMs, size] of files read and skipped (binary, minified…): not read again while unchanged. */
  skipped: Record<string, [number, number]>;
  /** Files the user asked to forget (never learned again) and words forgotten. */
  forgottenFiles: string[];
  forgottenWords: string[];
}

export function emptyManifest(): Manifest {
  return { trained: false, files: {}, skipped: {}, forgottenFiles: [], forgottenWords: [] };
}

export interface SavedMemory {
  manifest: Manifest;
  local: Memory;
  team: Memory;
}

/** A version 1 file's bytes in order, as parts (how the previous version saved; tests make old files with it). */
export function encodeSavedMemoryParts(saved: { manifest: Manifest; local: Uint8Array; team: Uint8Array }): Uint8Array[] {
  const manifest = new TextEncoder().encode(JSON.stringify(saved.manifest));
  const total = 16 + manifest.length + 4 + 4 + saved.local.length + 4 + saved.team.length;
  const head = new Uint8Array(16 + manifest.length + 4);
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, TRIE_MEMORY_VERSION, true);
  view.setUint32(8, manifest.length, true);
  view.setUint32(12, crc32(manifest), true);
  head.set(manifest, 16);
  view.setUint32(16 + manifest.length, saved.local.length, true);
  return [head, saved.local, u32(saved.team.length), saved.team, u32(total)]; // the trailer catches a file cut short
}

export function encodeSavedMemory(saved: { manifest: Manifest; local: Uint8Array; team: Uint8Array }): Uint8Array {
  const parts = encodeSavedMemoryParts(saved);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

/** A saved memory read and validated but not yet installed: plain data another thread can send. */
export interface SavedSnapshots {
  manifest: Manifest;
  local: Snapshot;
  team: Snapshot;
}

/**
 * Decodes a version 1 file; throws MemoryFormatError for anything but an intact one. With `adopt`, the
 * memories keep views into `bytes` (no 100+ MB copy on load): the caller hands the bytes over.
 */
export function decodeSavedMemory(bytes: Uint8Array, options?: { adopt?: boolean }): SavedMemory {
  const read = readSavedMemory(bytes, options?.adopt === true);
  return { manifest: read.manifest, local: Memory.fromSnapshot(read.local), team: Memory.fromSnapshot(read.team) };
}

/**
 * Reads and validates a version 1 saved memory (see decodeSavedMemory) without building the memories;
 * `shared` as for readSnapshot.
 */
export function readSavedMemory(bytes: Uint8Array, adopt = false, shared = false): SavedSnapshots {
  if (bytes.length < 28) throw new MemoryFormatError('saved memory is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new MemoryFormatError('not a Light Network memory file');
  const version = view.getUint32(4, true);
  if (version !== TRIE_MEMORY_VERSION) throw new MemoryFormatError(`unsupported saved memory version ${version}`);
  if (view.getUint32(bytes.length - 4, true) !== bytes.length) throw new MemoryFormatError('saved memory is truncated');
  const manifestLength = view.getUint32(8, true);
  let at = 16;
  const manifestBytes = slice(bytes, at, manifestLength);
  if (crc32(manifestBytes) !== view.getUint32(12, true)) throw new MemoryFormatError('saved memory manifest is corrupted');
  at += manifestLength;
  const manifest = parseManifest(manifestBytes);
  const localLength = readLength(view, at, bytes.length);
  const local = readSnapshot(slice(bytes, (at += 4), localLength), adopt, shared);
  at += localLength;
  const teamLength = readLength(view, at, bytes.length);
  const team = readSnapshot(slice(bytes, (at += 4), teamLength), adopt, shared);
  at += teamLength;
  if (at + 4 !== bytes.length) throw new MemoryFormatError('saved memory has trailing bytes');
  return { manifest, local, team };
}

function readLength(view: DataView, at: number, total: number): number {
  if (at + 4 > total) throw new MemoryFormatError('saved memory is truncated');
  const length = view.getUint32(at, true);
  if (at + 4 + length > total) throw new MemoryFormatError('saved memory is truncated');
  return length;
}

function slice(bytes: Uint8Array, at: number, length: number): Uint8Array {
  if (at + length > bytes.length) throw new MemoryFormatError('saved memory is truncated');
  return bytes.subarray(at, at + length);
}

function parseManifest(bytes: Uint8Array): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new MemoryFormatError('saved memory manifest is not valid JSON');
  }
  const m = value as Partial<Manifest>;
  if (!m || typeof m !== 'object' || typeof m.trained !== 'boolean' || !m.files || typeof m.files !== 'object') {
    throw new MemoryFormatError('saved memory manifest has an unexpected shape');
  }
  const fingerprints = (v: unknown): Manifest['files'] => {
    const out: Manifest['files'] = {};
    if (!v || typeof v !== 'object') return out;
    for (const [key, fp] of Object.entries(v)) {
      if (Array.isArray(fp) && fp.length === 2 && typeof fp[0] === 'number' && typeof fp[1] === 'number') out[key] = [fp[0], fp[1]];
    }
    return out;
  };
  const files = fingerprints(m.files);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  return {
    trained: m.trained,
    files,
    skipped: fingerprints(m.skipped), // absent in files saved before it existed
    forgottenFiles: strings(m.forgottenFiles),
    forgottenWords: strings(m.forgottenWords),
  };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
