// How the team memory (src/share/teamMemory.ts) gets a new index in the extension: off the host's
// thread, in the memory file worker, as the local memory's rebuilds are (localRebuilds.ts). The
// worker builds the index from the packed snapshot and hands its sections back on shared memory;
// the host views them in place and makes the live memory's copies (its words, its spacing) in
// short steps of the queue, so collaborators' text never holds the editor for more than a step.
// The team memory installs the result itself (it owns its rebuild), and nothing is saved: the
// team memory is rebuilt from the saved team log at start, not kept in the memory file.
import { memoryFromSectionsInSteps } from '../../memory/indexedCodec';
import { prepareIndex, type PreparedIndex, type RebuildSnapshot } from '../../memory/liveMemory';
import { packRebuildSnapshot } from '../../persistence/memoryFileJobs';
import type { SliceScheduler } from '../../threads/sliceScheduler';
import type { MemoryStore } from '../store/memoryStore';

export type WorkerIndexBuild = (snapshot: RebuildSnapshot) => Promise<PreparedIndex>;

export function workerIndexBuild(store: MemoryStore, scheduler: SliceScheduler): WorkerIndexBuild {
  return async (snapshot) => {
    const session = await store.rebuildStart(packRebuildSnapshot(snapshot));
    // Finishing closes the session in the worker, whatever happens.
    const result = await store.rebuildFinish(session);
    return scheduler.runSteps(
      (function* () {
        return yield* prepareIndex(yield* memoryFromSectionsInSteps(result.sections, true));
      })(),
    );
  };
}
