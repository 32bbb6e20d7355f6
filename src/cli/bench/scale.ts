// The bench's figures at scale: a memory of about 5M n-grams built the way the extension builds one
// (secrets blanked, files cut into chunks), then snapshot save/load, applying an edit's delta and
// completion latency on it.
import { Memory, Predictor, type DeltaBatch } from '../../memory/index';
import { summarizeLatency, type LatencySummary } from '../../evaluation/latency';
import { chunkDocumentId } from '../../workspace/chunks';
import { prepareForLearning } from '../../workspace/learnable';

export interface ScaleDocument {
  id: string;
  text: string;
}

export interface ScaleOptions {
  targetNgrams: number;
  /** Completion calls to time. */
  completions: number;
  /** Edits to time. */
  edits: number;
  order?: number;
  progress: (message: string) => void;
}

export interface ScaleResult {
  targetNgrams: number;
  ngrams: number;
  ngramsByOrder: number[];
  prunedNgrams: number;
  trainTokens: number;
  trainTokensPerSec: number;
  trainTokensPerCpuSec: number;
  bytes: number;
  bytesPerNgram: number;
  snapshotBytes: number;
  /** Best and median of three runs, milliseconds (wall clock, and the process's CPU time). */
  snapshotSaveMs: BestAndMedian;
  snapshotLoadMs: BestAndMedian;
  /** `applyDelta` of the delta batch an edit produced (one word typed into a chunk). */
  applyEditDeltaMs: LatencySummary;
  applyEditDeltaCpuMs: LatencySummary;
  editDeltaEntries: number;
  /** Re-learning the edited chunk (`setDocument`, computing its delta), as the host does on an edit. */
  relearnChunkMs: LatencySummary;
  relearnChunkCpuMs: LatencySummary;
  completionMs: LatencySummary;
  completionCpuMs: LatencySummary;
  /** Peak RSS of the process that held the memory (and its snapshot bytes). */
  peakRssMB: number;
}

export interface BestAndMedian {
  best: number;
  median: number;
  cpuBest: number;
  cpuMedian: number;
}

/**
 * Learns `training` (chunked, in order) until the memory holds `targetNgrams`, prunes down to the
 * target if it overshot, then times the operations. `typing` supplies the texts completions are
 * asked on (held-out files, so the memory has not seen them).
 */
export function runScaleBench(training: ScaleDocument[], typing: ScaleDocument[], options: ScaleOptions): ScaleResult {
  const memory = new Memory(options.order ? { order: options.order } : {});
  const chunkIds: string[] = [];
  const chunkTexts = new Map<string, string>();
  let seconds = 0;
  let cpuSeconds = 0;
  options.progress(`building a memory of ${options.targetNgrams.toLocaleString('en-US')} n-grams`);
  for (const doc of training) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (const chunk of prepareForLearning(doc.text).chunks) {
      const id = chunkDocumentId(doc.id, chunk.id);
      memory.setDocument(id, chunk.text);
      if (chunkIds.length < 5000) {
        chunkIds.push(id);
        chunkTexts.set(id, chunk.text);
      }
    }
    seconds += (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds += (cpu.user + cpu.system) / 1e6;
    if (memory.stats().ngrams >= options.targetNgrams) break;
  }
  const tokens = memory.stats().tokens;
  const prunedNgrams = memory.stats().ngrams > options.targetNgrams ? memory.prune(options.targetNgrams) : 0;
  const stats = memory.stats();

  options.progress('timing snapshot save and load');
  let snapshot: Uint8Array = new Uint8Array(0);
  const saves = new Stopwatch();
  const loads = new Stopwatch();
  for (let i = 0; i < 3; i++) {
    snapshot = saves.time(() => memory.encode());
    // As the extension and the CLI load a file: a fresh buffer, adopted rather than copied.
    const fresh = snapshot.slice();
    loads.time(() => Memory.decode(fresh, { adopt: true }));
  }

  options.progress('timing edits');
  const apply = new Stopwatch();
  const relearn = new Stopwatch();
  let deltaEntries = 0;
  const editable = chunkIds.filter((id) => (chunkTexts.get(id)?.length ?? 0) > 64);
  for (let e = 0; e < Math.min(options.edits, editable.length); e++) {
    const id = editable[Math.floor((e * editable.length) / options.edits)];
    const original = chunkTexts.get(id)!;
    const edited = typeOneWord(original);
    const forward: DeltaBatch = relearn.time(() => memory.setDocument(id, edited, { collectDelta: true }));
    const backward: DeltaBatch = relearn.time(() => memory.setDocument(id, original, { collectDelta: true }));
    deltaEntries += forward.entries.length;
    // The same edit arriving as a delta (from the host's other layer or a peer), applied and undone.
    apply.time(() => memory.applyDelta(forward));
    apply.time(() => memory.applyDelta(backward));
  }

  options.progress('timing completions');
  const predictor = new Predictor([memory]);
  const completions = new Stopwatch();
  const perDoc = Math.max(1, Math.ceil(options.completions / Math.max(1, typing.length)));
  for (const doc of typing) {
    for (let k = 0; k < perDoc && completions.count < options.completions; k++) {
      const cursor = Math.floor(((k + 0.5) * doc.text.length) / perDoc);
      const before = doc.text.slice(0, cursor);
      completions.time(() => predictor.complete(before, { cacheKey: doc.id }));
    }
  }

  return {
    targetNgrams: options.targetNgrams,
    ngrams: stats.ngrams,
    ngramsByOrder: stats.ngramsByOrder,
    prunedNgrams,
    trainTokens: tokens,
    trainTokensPerSec: seconds > 0 ? tokens / seconds : 0,
    trainTokensPerCpuSec: cpuSeconds > 0 ? tokens / cpuSeconds : 0,
    bytes: stats.bytes,
    bytesPerNgram: stats.ngrams > 0 ? stats.bytes / stats.ngrams : 0,
    snapshotBytes: snapshot.length,
    snapshotSaveMs: saves.bestAndMedian(),
    snapshotLoadMs: loads.bestAndMedian(),
    applyEditDeltaMs: summarizeLatency(apply.wall),
    applyEditDeltaCpuMs: summarizeLatency(apply.cpu),
    editDeltaEntries: apply.count ? deltaEntries / (apply.count / 2) : 0,
    relearnChunkMs: summarizeLatency(relearn.wall),
    relearnChunkCpuMs: summarizeLatency(relearn.cpu),
    completionMs: summarizeLatency(completions.wall),
    completionCpuMs: summarizeLatency(completions.cpu),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

/** The chunk with one word typed at the end of its middle line, as an edit would leave it. */
function typeOneWord(text: string): string {
  const lineEnd = text.indexOf('\n', Math.floor(text.length / 2));
  const at = lineEnd === -1 ? text.length : lineEnd;
  return `${text.slice(0, at)} edited${text.slice(at)}`;
}

/** Times actions in wall-clock and in the process's CPU time (robust when others share the cores). */
class Stopwatch {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];

  get count(): number {
    return this.wall.length;
  }

  time<T>(action: () => T): T {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = action();
    this.wall.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    this.cpu.push((cpu.user + cpu.system) / 1000);
    return result;
  }

  bestAndMedian(): BestAndMedian {
    const wall = [...this.wall].sort((a, b) => a - b);
    const cpu = [...this.cpu].sort((a, b) => a - b);
    const mid = Math.floor(wall.length / 2);
    return { best: wall[0], median: wall[mid], cpuBest: cpu[0], cpuMedian: cpu[mid] };
  }
}
