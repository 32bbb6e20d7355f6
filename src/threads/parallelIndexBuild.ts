// Builds a suffix index (engine v2) on two threads: the stream, runs and positions live on shared
// memory; after the first-token grouping, the ranks are cut at a word boundary near the middle and
// a worker thread sorts and scans the second half while this thread does the first. The halves
// touch disjoint ranks and words, and their scan parts add up (suffixIndex.ts assembleIndex).
//
// The worker is this very module, loaded again by its file name: in the CLI bundle that is
// dist/cli.js, under tsx (tests) the source file. It does nothing when loaded as a worker for
// anything else.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runSteps } from '../memory/steps';
import { assembleIndex, buildSuffixIndex, firstAtLeast, prepareBuild, scanSpan, sortSpan, type BuildArrays, type ScanPart, type SuffixIndex } from '../memory/suffixIndex';
import { startSelfWorker } from './selfWorker';

const JOB = 'light-network-index-half';

interface HalfJob {
  job: typeof JOB;
  arrays: BuildArrays;
  from: number;
  to: number;
  order: number;
}

/** Below this many tokens a second thread costs more than it saves. */
const PARALLEL_FROM = 1 << 20;

/**
 * The index of `tokens` (see buildSuffixIndex), built on two threads when it is large enough.
 * `tokens` should live on a SharedArrayBuffer (else it is copied onto one).
 */
export async function buildIndexInParallel(tokens: Int32Array, words: readonly string[], order: number): Promise<SuffixIndex> {
  if (tokens.length < PARALLEL_FROM) return buildSuffixIndex(tokens, words, order);
  let stream = tokens;
  if (!(tokens.buffer instanceof SharedArrayBuffer)) {
    stream = new Int32Array(new SharedArrayBuffer(tokens.byteLength));
    stream.set(tokens);
  }
  const arrays = prepareBuild(stream, words, (kind, length) => new kind(new SharedArrayBuffer(length * kind.BYTES_PER_ELEMENT) as never));
  const n = arrays.positions.length;
  const cut = middleWordBoundary(arrays.firstOf, n);
  const second = runHalf({ job: JOB, arrays, from: cut, to: n, order });
  runSteps(sortSpan(arrays, 0, cut, order));
  const first = runSteps(scanSpan(arrays, 0, cut, order));
  return assembleIndex(arrays, order, [first, await second]);
}

/** The start of the first word's group at or after the middle rank. */
function middleWordBoundary(firstOf: Int32Array, n: number): number {
  return firstOf[firstAtLeast(firstOf, n >>> 1)];
}

function runHalf(job: HalfJob): Promise<ScanPart> {
  return new Promise((resolve, reject) => {
    const worker = startSelfWorker(__filename, job);
    let settled = false;
    worker.once('message', (part: ScanPart) => {
      settled = true;
      resolve(part);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the index build's worker thread stopped (exit code ${code})`));
    });
  });
}

if (!isMainThread && (workerData as HalfJob | undefined)?.job === JOB && parentPort) {
  const { arrays, from, to, order } = workerData as HalfJob;
  runSteps(sortSpan(arrays, from, to, order));
  parentPort.postMessage(runSteps(scanSpan(arrays, from, to, order)));
}
