// Prepares corpus files for the indexed engine on a worker thread while the main thread learns the
// previous ones: the worker reads each file (the one safe reader), blanks secrets, cuts chunks,
// tokenizes them and numbers the tokens with word ids of its own; the main thread maps those ids
// to the memory's (only words new to the worker travel as text) and appends them. Reading and
// preparing is most of the work of learning, so the two threads overlap.
//
// The worker is this very module, loaded again by its file name (dist/cli.js in the bundle, the
// source under tsx); it does nothing when loaded as a worker for anything else.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { tokenizeWithSpacing } from '../memory/index';
import type { IndexedMemoryBuilder } from '../memory/indexedMemory';
import { chunkDocumentId } from '../workspace/chunks';
import { prepareForLearning } from '../workspace/learnable';
import { startSelfWorker } from '../threads/selfWorker';
import { chunkStarts } from '../ask/origins';
import { readCorpusText, type CorpusEntry, type CorpusReadOptions, type CorpusReadResult } from './corpus';

const JOB = 'light-network-file-preparer';
/** Files asked for ahead of the one being learned. */
const AHEAD = 16;

interface PreparedChunk {
  id: string;
  ids: Int32Array;
  bits: Uint8Array;
  /** Where the chunk began in the file: line breaks before it, column on its line (for `find`). */
  line: number;
  column: number;
}

/** The worker's answer for one file, in the order asked. */
interface PreparedFile {
  /** False when the file was skipped (see `skipped`). */
  read: boolean;
  chunks: PreparedChunk[];
  /** Words the worker met for the first time, in the order of its ids (from `firstNewId`). */
  newWords: string[];
  firstNewId: number;
  redacted: number;
  skipped: CorpusReadResult['skipped'];
  error?: string;
}

/**
 * Learns the entries into `builder`, reading and preparing them on a worker thread. Returns how
 * many files were learned and how many secrets were blanked; skipped files go to `skipped`.
 */
export async function learnFilesInParallel(
  entries: AsyncIterable<CorpusEntry>,
  options: CorpusReadOptions,
  builder: IndexedMemoryBuilder,
  skipped: CorpusReadResult['skipped'],
  onFile: (fileId: string) => void = () => {},
  onChunk: (documentId: string, line: number, column: number) => void = () => {},
): Promise<{ files: number; redacted: number }> {
  const worker = startSelfWorker(__filename, { job: JOB, options });
  const waiting: Array<{ resolve: (file: PreparedFile) => void; reject: (error: Error) => void }> = [];
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on('message', (file: PreparedFile) => waiting.shift()?.resolve(file));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the file-reading worker thread stopped (exit code ${code})`)));
  const ask = (entry: CorpusEntry): Promise<PreparedFile> =>
    failure
      ? Promise.reject(failure)
      : new Promise((resolve, reject) => {
          waiting.push({ resolve, reject });
          worker.postMessage(entry);
        });
  // Worker word id -> memory word id.
  let toMemory = new Int32Array(1024);
  let files = 0;
  let redacted = 0;
  try {
    const pending: Array<{ entry: CorpusEntry; answer: Promise<PreparedFile> }> = [];
    const learnOne = async () => {
      const { entry, answer } = pending.shift()!;
      const file = await answer;
      if (file.error) throw new Error(`${entry.id}: ${file.error}`);
      skipped.push(...file.skipped);
      if (file.newWords.length > 0) {
        const need = file.firstNewId + file.newWords.length;
        if (need > toMemory.length) {
          const grown = new Int32Array(Math.max(need, toMemory.length * 2));
          grown.set(toMemory);
          toMemory = grown;
        }
        for (let i = 0; i < file.newWords.length; i++) toMemory[file.firstNewId + i] = builder.vocab.intern(file.newWords[i]);
      }
      if (!file.read) return;
      files++;
      redacted += file.redacted;
      onFile(entry.id);
      for (const chunk of file.chunks) {
        const ids = chunk.ids;
        for (let i = 0; i < ids.length; i++) ids[i] = toMemory[ids[i]];
        builder.addDocumentIds(chunkDocumentId(entry.id, chunk.id), ids, chunk.bits);
        onChunk(chunkDocumentId(entry.id, chunk.id), chunk.line, chunk.column);
      }
    };
    for await (const entry of entries) {
      pending.push({ entry, answer: ask(entry) });
      if (pending.length > AHEAD) await learnOne();
    }
    while (pending.length > 0) await learnOne();
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
  return { files, redacted };
}

/** The worker: answers each entry with its prepared chunks, numbering words as it meets them. */
function serve(options: CorpusReadOptions): void {
  const ids = new Map<string, number>();
  const port = parentPort!;
  // Answers go out in the order entries came in, though reads may finish out of order.
  let chain = Promise.resolve();
  // Files are read concurrently but numbered in the order they came, as the main thread maps them.
  port.on('message', (entry: CorpusEntry) => {
    const skipped: CorpusReadResult['skipped'] = [];
    const reading = readCorpusText(entry, options, skipped).then(
      (text) => ({ text, error: undefined }),
      (error: unknown) => ({ text: undefined, error: error instanceof Error ? error.message : String(error) }),
    );
    chain = chain.then(async () => {
      const { text, error } = await reading;
      const file = error === undefined ? prepare(text, ids, skipped) : { read: false, chunks: [], newWords: [], firstNewId: ids.size, redacted: 0, skipped, error };
      port.postMessage(file, file.chunks.flatMap((c) => [c.ids.buffer, c.bits.buffer]) as ArrayBuffer[]);
    });
  });
}

function prepare(text: string | undefined, ids: Map<string, number>, skipped: CorpusReadResult['skipped']): PreparedFile {
  const file: PreparedFile = { read: text !== undefined, chunks: [], newWords: [], firstNewId: ids.size, redacted: 0, skipped };
  try {
    if (text === undefined) return file;
    const learnable = prepareForLearning(text);
    file.redacted = learnable.redacted;
    // Blanking keeps offsets and line breaks: the chunks' starts are places in `text` too.
    const starts = chunkStarts(text, learnable.chunks.map((c) => c.start));
    for (const [c, chunk] of learnable.chunks.entries()) {
      const { tokens, spaced } = tokenizeWithSpacing(chunk.text);
      const chunkIds = new Int32Array(tokens.length);
      const bits = new Uint8Array((tokens.length + 7) >> 3);
      for (let i = 0; i < tokens.length; i++) {
        let id = ids.get(tokens[i]);
        if (id === undefined) {
          id = ids.size;
          ids.set(tokens[i], id);
          file.newWords.push(tokens[i]);
        }
        chunkIds[i] = id;
        if (spaced[i]) bits[i >> 3] |= 1 << (i & 7);
      }
      file.chunks.push({ id: chunk.id, ids: chunkIds, bits, line: starts[c].line, column: starts[c].column });
    }
  } catch (error) {
    file.error = error instanceof Error ? error.message : String(error);
  }
  return file;
}

if (!isMainThread && (workerData as { job?: string } | undefined)?.job === JOB && parentPort) {
  serve((workerData as { options: CorpusReadOptions }).options);
}
