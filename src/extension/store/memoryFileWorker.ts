// Entry of the memory file worker (bundled to dist/memoryFileWorker.js): loads, rebuilds and saves
// the workspace memory off the extension host's thread, and builds the team memory's indexes (a
// rebuild without save). The host only snapshots the live memory, sends the documents a training
// reads, and views the sections this worker builds in place.
import { parentPort } from 'node:worker_threads';
import { loadMemoryFile, packLoaded, RebuildSession, saveMemoryFile } from '../../persistence/memoryFileJobs';
import type { MemoryFileReply, MemoryFileRequest } from './memoryFileProtocol';
import { runAsBackgroundThread } from '../../threads/backgroundPriority';

const port = parentPort;
if (!port) throw new Error('memoryFileWorker must run as a worker thread');
runAsBackgroundThread();

const sessions = new Map<number, RebuildSession>();

port.on('message', (request: MemoryFileRequest) => {
  void handle(request).then(
    ([reply, transfer]) => port.postMessage(reply, transfer),
    (error: unknown) => port.postMessage({ id: request.id, type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies MemoryFileReply),
  );
});

async function handle(request: MemoryFileRequest): Promise<[MemoryFileReply, ArrayBuffer[]]> {
  switch (request.type) {
    case 'load': {
      const outcome = await loadMemoryFile(request.file);
      if (outcome.kind !== 'loaded') return [{ id: request.id, type: 'loaded', outcome }, []];
      const { packed, transfer } = packLoaded(outcome);
      return [{ id: request.id, type: 'loaded', outcome: packed }, transfer];
    }
    case 'save': {
      const outcome = await saveMemoryFile(request.file, request.manifest, request.local);
      return [{ id: request.id, type: 'saved', outcome }, []];
    }
    case 'rebuild-start':
      sessions.set(request.session, new RebuildSession(request.snapshot));
      return [{ id: request.id, type: 'done' }, []];
    case 'rebuild-add':
      session(request.session).add(request.documents, request.drop);
      return [{ id: request.id, type: 'done' }, []];
    case 'rebuild-abort':
      sessions.delete(request.session);
      return [{ id: request.id, type: 'done' }, []];
    case 'rebuild-finish': {
      const started = performance.now();
      const rebuild = session(request.session);
      sessions.delete(request.session);
      const { sections, tokens } = rebuild.finish();
      const buildMs = performance.now() - started;
      if (!request.save) return [{ id: request.id, type: 'rebuilt', sections, tokens, buildMs }, []];
      try {
        const saved = await saveMemoryFile(request.save.file, request.save.manifest, sections);
        return [{ id: request.id, type: 'rebuilt', sections, tokens, buildMs, saved }, []];
      } catch (error) {
        return [{ id: request.id, type: 'rebuilt', sections, tokens, buildMs, saveError: error instanceof Error ? error.message : String(error) }, []];
      }
    }
  }
}

function session(id: number): RebuildSession {
  const found = sessions.get(id);
  if (!found) throw new Error(`no rebuild session ${id} (the worker was restarted?)`);
  return found;
}
