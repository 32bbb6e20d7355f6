// The heavy half of saving and loading the workspace memory, meant for a worker thread: reading and
// validating the file, or tidying, encoding, checksumming and writing a copy of the memories.
// What it returns holds only plain data and typed arrays, which the worker transfers (not copies)
// back to the extension host.
import { promises as fs } from 'node:fs';
import { tidyForSnapshot, writeSnapshot, type SnapshotInput } from '../memory/snapshotCodec';
import { Memory } from '../memory/memory';
import { MemoryFormatError } from '../memory/types';
import { writeFileAtomic } from './atomicFile';
import { packSnapshot, unpackSnapshotInSteps, type PackedSnapshot } from './snapshotTransfer';
import { encodeSavedMemoryParts, readSavedMemory, type Manifest, type SavedMemory, type SavedSnapshots } from './savedMemory';

export type LoadOutcome =
  | { kind: 'loaded'; saved: SavedSnapshots; bytes: number; ms: number }
  | { kind: 'missing' }
  /** The file is there but is not an intact memory (set it aside and retrain). */
  | { kind: 'corrupt'; reason: string }
  /** The file could not be read at all (permissions, I/O error). */
  | { kind: 'unreadable'; reason: string };

export async function loadMemoryFile(file: string): Promise<LoadOutcome> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: `cannot read ${file}: ${(error as Error).message}` };
  }
  const started = performance.now();
  try {
    // Not adopted: the memories get arrays of their own with room to grow, and the file's bytes
    // are dropped here rather than held by the host for as long as the memory lives. Shared: see
    // readSnapshot.
    const saved = readSavedMemory(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), false, true);
    return { kind: 'loaded', saved, bytes: bytes.length, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof MemoryFormatError) return { kind: 'corrupt', reason: error.message };
    throw error;
  }
}

/**
 * The loaded outcome packed for postMessage (see snapshotTransfer.ts), and the buffers to transfer
 * (shared ones are shared, not transferred).
 */
export function packLoaded(outcome: Extract<LoadOutcome, { kind: 'loaded' }>): { packed: PackedLoaded; transfer: ArrayBuffer[] } {
  const local = packSnapshot(outcome.saved.local);
  const team = packSnapshot(outcome.saved.team);
  const buffers = new Set<ArrayBuffer>();
  for (const snap of [local, team]) for (const array of arraysOf(snap)) if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  return { packed: { kind: 'loaded', manifest: outcome.saved.manifest, local, team, bytes: outcome.bytes, ms: outcome.ms }, transfer: [...buffers] };
}

/** Unpacks and installs both memories, yielding after about every `piece` words or documents. */
export function* installLoaded(packed: PackedLoaded, piece: number): Generator<void, SavedMemory> {
  const local = yield* Memory.fromSnapshotInSteps(yield* unpackSnapshotInSteps(packed.local, piece), piece);
  const team = yield* Memory.fromSnapshotInSteps(yield* unpackSnapshotInSteps(packed.team, piece), piece);
  return { manifest: packed.manifest, local, team };
}

export interface PackedLoaded {
  kind: 'loaded';
  manifest: Manifest;
  local: PackedSnapshot;
  team: PackedSnapshot;
  bytes: number;
  ms: number;
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

/** Encodes copies of the memories (see SnapshotCopier) and writes the file atomically. */
export async function saveMemoryFile(file: string, manifest: Manifest, local: SnapshotInput, team: SnapshotInput): Promise<SaveOutcome> {
  const started = performance.now();
  const encode = (copy: SnapshotInput): Uint8Array => writeSnapshot({ ...copy, store: tidyForSnapshot(copy.order, copy.words.length, copy.store) });
  const parts = encodeSavedMemoryParts({ manifest, local: encode(local), team: encode(team) });
  const encoded = performance.now();
  await writeFileAtomic(file, parts);
  return { bytes: parts.reduce((n, p) => n + p.length, 0), encodeMs: encoded - started, writeMs: performance.now() - encoded };
}
