// Messages between the extension host and the memory file worker (dist/memoryFileWorker.js).
import type { LoadOutcome, PackedLoaded, PackedRebuildSnapshot, SaveOutcome } from '../../persistence/memoryFileJobs';
import type { Manifest } from '../../persistence/savedMemory';

/** Where and what to save along with a rebuilt local memory (the team memory is not saved: see memoryFileJobs.ts). */
export interface SaveTarget {
  file: string;
  manifest: Manifest;
}

export type MemoryFileRequest =
  | { id: number; type: 'load'; file: string }
  | { id: number; type: 'save'; file: string; manifest: Manifest; local: Uint8Array[] }
  /** Starts rebuild `session` from a snapshot of a live memory, the local or the team one (see LiveMemory.beginRebuild). */
  | { id: number; type: 'rebuild-start'; session: number; snapshot: PackedRebuildSnapshot }
  /** Documents to learn (redacted, chunked) and documents to drop (older versions). */
  | { id: number; type: 'rebuild-add'; session: number; documents: Array<{ id: string; text: string }>; drop: string[] }
  | { id: number; type: 'rebuild-finish'; session: number; save?: SaveTarget }
  | { id: number; type: 'rebuild-abort'; session: number };

export type MemoryFileReply =
  | { id: number; type: 'loaded'; outcome: Exclude<LoadOutcome, { kind: 'loaded' }> | PackedLoaded }
  | { id: number; type: 'saved'; outcome: SaveOutcome }
  /** The rebuilt index's sections (shared memory); `saveError` when it was built but not written. */
  | { id: number; type: 'rebuilt'; sections: Uint8Array[]; tokens: number; buildMs: number; saved?: SaveOutcome; saveError?: string }
  | { id: number; type: 'done' }
  | { id: number; type: 'failed'; message: string };
