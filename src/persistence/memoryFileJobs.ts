// The heavy half of keeping the workspace memory, meant for a worker thread: reading and validating
// the saved file (converting one the previous version wrote), building the local memory's index
// again from the documents it keeps and those learned since (a rebuild), and encoding, checksumming
// and writing the file.
//
// The local memory's index crosses threads as its sections (indexedCodec.ts) on shared memory: the
// host views them in place (memoryFromSections) and hands them back for saving, so hundreds of MB
// are never copied between threads. The file keeps a team section for its format, always empty now:
// the team memory is collaborators' text, rebuilt from the saved team log at start (the extension's
// ShareController), and a team trie an older file holds is not read.
import { promises as fs } from 'node:fs';
import { encodeSections, indexedSections, memoryFromSectionsInSteps, readIndexedSections, type ReadAt } from '../memory/indexedCodec';
import { IndexedMemoryBuilder, type IndexedMemory } from '../memory/indexedMemory';
import { addSnapshot, prepareIndex, type PreparedIndex, type RebuildSnapshot } from '../memory/liveMemory';
import { Memory } from '../memory/memory';
import { MemoryFormatError } from '../memory/types';
import { writeFileAtomic } from './atomicFile';
import { packStrings, unpackStrings, type PackedStrings } from './snapshotTransfer';
import { encodeSavedHead, readSavedHead, readSavedMemory, type Manifest } from './savedMemory';
import { runSteps } from '../memory/steps';

export type LoadOutcome =
  | { kind: 'loaded'; manifest: Manifest; local: Uint8Array[]; bytes: number; ms: number; converted: boolean }
  | { kind: 'missing' }
  /** The file is there but is not an intact memory (set it aside and retrain). */
  | { kind: 'corrupt'; reason: string }
  /** The file could not be read at all (permissions, I/O error). */
  | { kind: 'unreadable'; reason: string };

/** Sections on shared memory, 8-byte aligned, so another thread views them where they are. */
function sharedBytes(bytes: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(bytes));
}

function shareSections(sections: Uint8Array[]): Uint8Array[] {
  return sections.map((s) => {
    if (s.buffer instanceof SharedArrayBuffer && s.byteOffset === 0) return s;
    const copy = new Uint8Array(new SharedArrayBuffer(Math.ceil(s.length / 8) * 8), 0, s.length);
    copy.set(s);
    return copy;
  });
}

/** The sections of a memory built or converted here, on shared memory. */
export function sectionsOf(memory: IndexedMemory): Uint8Array[] {
  return shareSections(indexedSections(memory));
}

export async function loadMemoryFile(file: string): Promise<LoadOutcome> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: `cannot read ${file}: ${(error as Error).message}` };
  }
  const started = performance.now();
  try {
    const size = (await handle.stat()).size;
    const readAt: ReadAt = async (into, position) => (await handle.read(into, 0, into.length, position)).bytesRead;
    const head = await readSavedHead(readAt, size);
    if (head.version === 1) {
      // Written by the previous version: its local memory is a trie, converted here exactly.
      const bytes = await handle.readFile();
      const saved = readSavedMemory(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), false, true);
      const builder = new IndexedMemoryBuilder({ order: saved.local.order });
      builder.keepTrie(Memory.fromSnapshot(saved.local));
      const local = sectionsOf(builder.build());
      return { kind: 'loaded', manifest: saved.manifest, local, bytes: size, ms: performance.now() - started, converted: true };
    }
    // The team section (head.teamAt, head.teamLength) is skipped: see the header.
    const { sections } = await readIndexedSections((into, position) => readAt(into, head.localAt + position), size - head.localAt, sharedBytes);
    return { kind: 'loaded', manifest: head.manifest, local: sections, bytes: size, ms: performance.now() - started, converted: false };
  } catch (error) {
    if (error instanceof MemoryFormatError) return { kind: 'corrupt', reason: error.message };
    if (error instanceof RangeError) return { kind: 'corrupt', reason: `the saved memory cannot be converted: ${error.message}` };
    return { kind: 'unreadable', reason: `cannot read ${file}: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** The loaded outcome for postMessage (its sections are shared memory: nothing to transfer). */
export function packLoaded(outcome: Extract<LoadOutcome, { kind: 'loaded' }>): { packed: PackedLoaded; transfer: ArrayBuffer[] } {
  const { manifest, local, bytes, ms, converted } = outcome;
  return { packed: { kind: 'loaded', manifest, local, bytes, ms, converted }, transfer: [] };
}

export interface PackedLoaded {
  kind: 'loaded';
  manifest: Manifest;
  /** The local memory's sections (shared memory), checked by the worker. */
  local: Uint8Array[];
  bytes: number;
  ms: number;
  /** Written by the previous version and converted. */
  converted: boolean;
}

export interface InstalledMemory {
  manifest: Manifest;
  /** The local memory's index, with the copies a live memory keeps made already. */
  local: PreparedIndex;
  localSections: Uint8Array[];
}

/** Installs the local memory, in steps of a few ms. */
export function* installLoaded(packed: PackedLoaded): Generator<void, InstalledMemory> {
  const local = yield* prepareIndex(yield* memoryFromSectionsInSteps(packed.local, true));
  return { manifest: packed.manifest, local, localSections: packed.local };
}

export interface SaveOutcome {
  bytes: number;
  encodeMs: number;
  writeMs: number;
}

/** The team section every file is written with now: an empty trie (see the header). */
let emptyTeam: Uint8Array | undefined;

/** Writes the memory atomically: the manifest, an empty team section, the local index's sections as they are. */
export async function saveMemoryFile(file: string, manifest: Manifest, local: readonly Uint8Array[]): Promise<SaveOutcome> {
  const started = performance.now();
  const teamBytes = (emptyTeam ??= new Memory().encode());
  const parts = [encodeSavedHead(manifest, teamBytes.length), teamBytes, ...encodeSections(local)];
  const encoded = performance.now();
  await writeFileAtomic(file, parts);
  return { bytes: parts.reduce((n, p) => n + p.length, 0), encodeMs: encoded - started, writeMs: performance.now() - encoded };
}

/** A rebuild's snapshot as it crosses threads: its words and document ids packed (see snapshotTransfer.ts). */
export interface PackedRebuildSnapshot {
  base: Omit<RebuildSnapshot['base'], 'vocab' | 'documents'> & { words: PackedStrings; documents: { ids: PackedStrings; starts: Float64Array; lengths: Int32Array } };
  without: PackedStrings;
  documents: Array<{ id: string; ids: Int32Array; bits: Uint8Array | undefined }>;
  words: PackedStrings;
}

export function packRebuildSnapshot(snapshot: RebuildSnapshot): PackedRebuildSnapshot {
  const { base } = snapshot;
  return {
    base: {
      order: base.order,
      words: packStrings(base.vocab.words as string[]),
      documents: { ids: packStrings(base.documents.ids), starts: base.documents.starts, lengths: base.documents.lengths },
      index: { tokens: base.index.tokens },
      spacedBits: base.spacedBits,
    },
    without: packStrings(snapshot.without),
    documents: snapshot.documents,
    words: packStrings(snapshot.words as string[]),
  };
}

function unpackRebuildSnapshot(packed: PackedRebuildSnapshot): RebuildSnapshot {
  const strings = (p: PackedStrings) => runSteps(unpackStrings(p, Infinity));
  const { base } = packed;
  return {
    base: {
      order: base.order,
      vocab: { words: strings(base.words) },
      documents: { ids: strings(base.documents.ids), starts: base.documents.starts, lengths: base.documents.lengths },
      index: base.index,
      spacedBits: base.spacedBits,
    },
    without: strings(packed.without),
    documents: packed.documents,
    words: strings(packed.words),
  };
}

/**
 * One rebuild of the local memory: documents learned here (a training's files, tokenized here),
 * those of the snapshot, less the ones dropped (older versions of relearned or vanished files).
 */
export class RebuildSession {
  private readonly snapshot: RebuildSnapshot;
  private readonly builder: IndexedMemoryBuilder;
  private readonly drop = new Set<string>();

  constructor(packed: PackedRebuildSnapshot) {
    this.snapshot = unpackRebuildSnapshot(packed);
    this.builder = new IndexedMemoryBuilder({ order: this.snapshot.base.order });
  }

  /** Learns documents (each text already redacted and chunked by the caller) and drops older ones. */
  add(documents: ReadonlyArray<{ id: string; text: string }>, drop: readonly string[]): void {
    for (const id of drop) this.drop.add(id);
    for (const doc of documents) if (!this.builder.hasDocument(doc.id)) this.builder.addDocument(doc.id, doc.text);
  }

  /** Builds the new index; its sections on shared memory. */
  finish(): { sections: Uint8Array[]; tokens: number } {
    addSnapshot(this.builder, this.snapshot, this.drop);
    const memory = this.builder.build();
    return { sections: sectionsOf(memory), tokens: memory.tokenTotal };
  }
}
