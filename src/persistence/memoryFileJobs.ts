// The heavy half of keeping the workspace memory, meant for a worker thread: reading and validating
// the saved file (converting one the previous version wrote), building the local memory's index
// again from the documents it keeps and those learned since (a rebuild), and encoding, checksumming
// and writing the file.
//
// The local memory's index crosses threads as its sections (indexedCodec.ts) on shared memory: the
// host views them in place (memoryFromSections) and hands them back for saving, so hundreds of MB
// are never copied between threads. The team memory (a trie) crosses packed (snapshotTransfer.ts).
import { promises as fs } from 'node:fs';
import { encodeSections, indexedSections, memoryFromSectionsInSteps, readIndexedSections, type ReadAt } from '../memory/indexedCodec';
import { IndexedMemoryBuilder, type IndexedMemory } from '../memory/indexedMemory';
import { addSnapshot, prepareIndex, type PreparedIndex, type RebuildSnapshot } from '../memory/liveMemory';
import { Memory } from '../memory/memory';
import { readSnapshot, tidyForSnapshot, writeSnapshot, type Snapshot, type SnapshotInput } from '../memory/snapshotCodec';
import { MemoryFormatError } from '../memory/types';
import { writeFileAtomic } from './atomicFile';
import { packSnapshot, packStrings, unpackSnapshotInSteps, unpackStrings, type PackedSnapshot, type PackedStrings } from './snapshotTransfer';
import { encodeSavedHead, readSavedHead, readSavedMemory, type Manifest } from './savedMemory';
import { runSteps } from '../memory/steps';

export type LoadOutcome =
  | { kind: 'loaded'; manifest: Manifest; local: Uint8Array[]; team: Snapshot; bytes: number; ms: number; converted: boolean }
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
      return { kind: 'loaded', manifest: saved.manifest, local, team: saved.team, bytes: size, ms: performance.now() - started, converted: true };
    }
    const teamBytes = new Uint8Array(head.teamLength);
    for (let done = 0; done < teamBytes.length; ) {
      const n = await readAt(teamBytes.subarray(done), head.teamAt + done);
      if (n <= 0) throw new MemoryFormatError('saved memory is truncated');
      done += n;
    }
    const team = readSnapshot(teamBytes, false, true);
    const { sections } = await readIndexedSections((into, position) => readAt(into, head.localAt + position), size - head.localAt, sharedBytes);
    return { kind: 'loaded', manifest: head.manifest, local: sections, team, bytes: size, ms: performance.now() - started, converted: false };
  } catch (error) {
    if (error instanceof MemoryFormatError) return { kind: 'corrupt', reason: error.message };
    if (error instanceof RangeError) return { kind: 'corrupt', reason: `the saved memory cannot be converted: ${error.message}` };
    return { kind: 'unreadable', reason: `cannot read ${file}: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** The loaded outcome for postMessage, and the buffers to transfer (shared ones are shared). */
export function packLoaded(outcome: Extract<LoadOutcome, { kind: 'loaded' }>): { packed: PackedLoaded; transfer: ArrayBuffer[] } {
  const team = packSnapshot(outcome.team);
  const buffers = new Set<ArrayBuffer>();
  for (const array of arraysOf(team)) if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  const { manifest, local, bytes, ms, converted } = outcome;
  return { packed: { kind: 'loaded', manifest, local, team, bytes, ms, converted }, transfer: [...buffers] };
}

export interface PackedLoaded {
  kind: 'loaded';
  manifest: Manifest;
  /** The local memory's sections (shared memory), checked by the worker. */
  local: Uint8Array[];
  team: PackedSnapshot;
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
  team: Memory;
}

/** Installs both memories, yielding after about every `piece` words or documents of the team memory. */
export function* installLoaded(packed: PackedLoaded, piece: number): Generator<void, InstalledMemory> {
  const team = yield* Memory.fromSnapshotInSteps(yield* unpackSnapshotInSteps(packed.team, piece), piece);
  const local = yield* prepareIndex(yield* memoryFromSectionsInSteps(packed.local, true));
  return { manifest: packed.manifest, local, localSections: packed.local, team };
}

function arraysOf(snap: PackedSnapshot): ArrayBufferView[] {
  const { store, spacing } = snap;
  const arrays: ArrayBufferView[] = [store.rec, store.depth, store.firstChild, store.nextSibling, store.index];
  arrays.push(spacing.pairA, spacing.pairB, spacing.spaced, spacing.joined, snap.docBytes, snap.docFields, snap.words.lengths, snap.docIds.lengths);
  if (spacing.index) arrays.push(spacing.index);
  return arrays;
}

export interface SaveOutcome {
  bytes: number;
  encodeMs: number;
  writeMs: number;
}

/** Writes the memories atomically: the local one's sections as they are, the team copy (see SnapshotCopier) encoded. */
export async function saveMemoryFile(file: string, manifest: Manifest, local: readonly Uint8Array[], team: SnapshotInput): Promise<SaveOutcome> {
  const started = performance.now();
  const teamBytes = writeSnapshot({ ...team, store: tidyForSnapshot(team.order, team.words.length, team.store) });
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
