// Messages between the extension host and the memory file worker (dist/memoryFileWorker.js).
import type { SnapshotInput } from '../../memory/snapshotCodec';
import type { LoadOutcome, PackedLoaded, SaveOutcome } from '../../workspace/memoryFileJobs';
import type { Manifest } from '../../workspace/savedMemory';

export type MemoryFileRequest =
  | { id: number; type: 'load'; file: string }
  | { id: number; type: 'save'; file: string; manifest: Manifest; local: SnapshotInput; team: SnapshotInput };

export type MemoryFileReply =
  | { id: number; type: 'loaded'; outcome: Exclude<LoadOutcome, { kind: 'loaded' }> | PackedLoaded }
  | { id: number; type: 'saved'; outcome: SaveOutcome }
  | { id: number; type: 'failed'; message: string };
