// Entry of the training worker (bundled to dist/trainWorker.js): prepares files for learning off
// the extension host's thread and sends back compact token data. It never touches the memory.
import { parentPort } from 'node:worker_threads';
import { prepareInput } from './prepareFile';
import type { PrepareRequest, WorkerReply } from './workerProtocol';
import { runAsBackgroundThread } from '../../threads/backgroundPriority';

const port = parentPort;
if (!port) throw new Error('trainWorker must run as a worker thread');
runAsBackgroundThread();

port.on('message', async (request: PrepareRequest) => {
  let reply: WorkerReply;
  try {
    const forgotten = new Set(request.forgotten);
    const files = [];
    for (const input of request.inputs) files.push(await prepareInput(input, request.maxFileBytes, forgotten));
    reply = { type: 'prepared', jobId: request.jobId, files };
  } catch (error) {
    reply = { type: 'failed', jobId: request.jobId, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
