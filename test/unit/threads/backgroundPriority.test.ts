import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { runAsBackgroundThread } from '../../../src/threads/backgroundPriority';

/** Runs runAsBackgroundThread in a worker thread and returns what it said and the thread's priority after. */
function inWorker(): Promise<{ lowered: boolean; priority: number }> {
  const file = require.resolve('../../../src/threads/backgroundPriority');
  const code = `require('tsx/cjs');
    const { parentPort } = require('node:worker_threads');
    const lowered = require(${JSON.stringify(file)}).runAsBackgroundThread();
    parentPort.postMessage({ lowered, priority: require('node:os').getPriority() });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (reply) => {
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('background thread priority', () => {
  it('lowers the calling worker thread only, leaving the main thread as it was (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    const before = os.getPriority();
    const { lowered, priority } = await inWorker();
    assert.equal(lowered, true);
    assert.ok(priority > before, `the worker runs at ${priority}, the main thread at ${before}`);
    assert.equal(os.getPriority(), before, 'the main thread keeps its priority');
  });

  it('leaves the priority alone where it would act on the whole process', () => {
    const before = os.getPriority();
    assert.equal(runAsBackgroundThread('darwin'), false);
    assert.equal(runAsBackgroundThread('win32'), false);
    assert.equal(os.getPriority(), before);
  });
});
