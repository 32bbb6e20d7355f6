// Starts a worker thread on a module's own file (`__filename`): in a bundle that is the bundle,
// under tsx (tests) the TypeScript source, which the worker must first register a loader for.
import { Worker } from 'node:worker_threads';

export function startSelfWorker(file: string, workerData: unknown): Worker {
  return file.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
