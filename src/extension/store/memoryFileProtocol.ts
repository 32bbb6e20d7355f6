// Messages between the extension host and the memory file worker (dist/memoryFileWorker.js).
import type { SnapshotInput } from '../../memory/snapshotCodec';
import type { LoadOutcome, PackedLoaded, SaveOutcome } from '../../workspace/memoryFileJobs';
import type { Manifest } from '../../workspace/savedMemory';

/** A fresh shared array to fill with `value` (touching every page, so this thread takes the faults). */
export interface FillRequest {
  buffer: SharedArrayBuffer;
  bytesPerElement: 1 | 4;
  value: number;
}

export type MemoryFileRequest =
  | { id: number; type: 'load'; file: string }
  | { id: number; type: 'fill'; arrays: FillRequest[] }
  | { id: number; type: 'save'; file: string; manifest: Manifest; local: SnapshotInput; team: SnapshotInput };

export type MemoryFileReply =
  | { id: number; type: 'loaded'; outcome: Exclude<LoadOutcome, { kind: 'loaded' }> | PackedLoaded }
  | { id: number; type: 'saved'; outcome: SaveOutcome }
  | { id: number; type: 'filled' }
  | { id: number; type: 'failed'; message: string };
