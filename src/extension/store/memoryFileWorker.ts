// Entry of the memory file worker (bundled to dist/memoryFileWorker.js): loads and saves the
// workspace memory off the extension host's thread, which only copies the memory in short steps
// before a save and installs the arrays this worker transfers back after a load. It also fills the
// fresh arrays of a reservation: first touching hundreds of MB can cost 100 ms per 4 MB on a busy
// virtual machine, and here it holds up nobody.
import { parentPort } from 'node:worker_threads';
import { loadMemoryFile, packLoaded, saveMemoryFile } from '../../workspace/memoryFileJobs';
import type { MemoryFileReply, MemoryFileRequest } from './memoryFileProtocol';

const port = parentPort;
if (!port) throw new Error('memoryFileWorker must run as a worker thread');

port.on('message', (request: MemoryFileRequest) => {
  void handle(request).then(
    ([reply, transfer]) => port.postMessage(reply, transfer),
    (error: unknown) => port.postMessage({ id: request.id, type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies MemoryFileReply),
  );
});

async function handle(request: MemoryFileRequest): Promise<[MemoryFileReply, ArrayBuffer[]]> {
  if (request.type === 'fill') {
    for (const { buffer, bytesPerElement, value } of request.arrays) {
      (bytesPerElement === 4 ? new Int32Array(buffer) : new Uint8Array(buffer)).fill(value);
    }
    return [{ id: request.id, type: 'filled' }, []];
  }
  if (request.type === 'load') {
    const outcome = await loadMemoryFile(request.file);
    if (outcome.kind !== 'loaded') return [{ id: request.id, type: 'loaded', outcome }, []];
    const { packed, transfer } = packLoaded(outcome);
    return [{ id: request.id, type: 'loaded', outcome: packed }, transfer];
  }
  const outcome = await saveMemoryFile(request.file, request.manifest, request.local, request.team);
  return [{ id: request.id, type: 'saved', outcome }, []];
}
