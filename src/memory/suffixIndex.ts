// An immutable n-gram index over a token stream (engine v2's storage). The positions of the stream
// are sorted by the up to `order` tokens that start there, so every n-gram of at most `order`
// tokens is one contiguous range of that array: its occurrences. A count is the size of a range,
// the words seen after a context are the runs inside its range (in word id order), and where a
// phrase occurs is the positions themselves. Nothing is stored per n-gram except Kneser-Ney's
// continuation count (how many distinct words precede an n-gram) of frequent n-grams: for an
// n-gram seen at most RARE times it is read off its few occurrences instead. Busy contexts (seen
// BUSY_CONTEXT times or more, with many children) are summarized while building, as the scorer
// would summarize them on first use, so that no completion pays for reading a huge range.
//
// Stream: the documents' word ids, each document preceded by HOLE (0) and the stream ending with
// one. No n-gram spans a HOLE, so HOLE separates documents and stands for forgotten words; HOLE
// positions are not indexed. Cost: 8 bytes per token (stream + sorted positions) plus 8 bytes per
// frequent n-gram below the top order, ~130 bytes per busy context and 8 bytes per word.
//
// Building is three stages over shared arrays: prepareBuild (positions grouped by first token),
// sortSpan and scanSpan over spans of whole first-token groups (independent: a parallel build runs
// two spans on two threads, src/threads/parallelIndexBuild.ts), and assembleIndex.
//
// The derived numbers (live n-grams, sums and counts of counts per order) are exactly what the
// trie store (ngramStore.ts) keeps for the same documents, so one scorer formula serves both.
import { MANY_CHILDREN, SUMMARY_RESERVE, TOP_CHILDREN, type ContextSummary } from './levelScorer';
import { runSteps } from './steps';

/** N-grams seen at most this often get their continuation count from their occurrences. */
export const RARE = 16;
/** Contexts seen at least this often (with many children) are summarized while building. */
export const BUSY_CONTEXT = 256;
/** Counts-of-counts kept per order: exact numbers of n-grams with score count 1, 2, 3 and 4. */
const CC = 5;

/** A range [lo, hi) of the sorted positions: the occurrences of one n-gram. */
export interface Range {
  lo: number;
  hi: number;
}

/** The arrays an index consists of (what a memory file saves and a reader hands back). */
export interface SuffixIndexParts {
  order: number;
  /** The stream: HOLE before each document and at the end. */
  tokens: Int32Array;
  /** Positions of every non-HOLE token, sorted by the up to `order` tokens starting there. */
  positions: Int32Array;
  /** firstOf[w]..firstOf[w + 1]: the range of word w (length: vocabulary size + 1). */
  firstOf: Int32Array;
  /** Continuation count of each word. */
  unigramCont: Int32Array;
  /** Per order 2..order-1: sorted range starts of the frequent n-grams and their continuation counts. */
  contStarts: Int32Array[];
  contValues: Int32Array[];
  /**
   * Per context length 1..order-1: the busy contexts' summaries for modified Kneser-Ney (sorted
   * range starts; sum, n1, n2, n3 of their children's score counts; their TOP_CHILDREN best
   * children), made while building so that no completion pays for reading a huge context.
   */
  summaryStarts: Int32Array[];
  summaryStats: Float64Array[];
  /** Per summary, SUMMARY_RESERVE pairs of (word, score count), best first; (0, 0) past the last child. */
  summaryTop: Int32Array[];
  /** liveByOrder, scoreSum, scoreLive (each order + 1 long), countOfCounts ((order + 1) * CC). */
  derived: Float64Array;
}

export class SuffixIndex {
  readonly order: number;
  readonly tokens: Int32Array;
  readonly positions: Int32Array;
  readonly firstOf: Int32Array;
  private readonly unigramCont: Int32Array;
  private readonly contStarts: Int32Array[];
  private readonly contValues: Int32Array[];
  private readonly summaryStarts: Int32Array[];
  private readonly summaryStats: Float64Array[];
  private readonly summaryTop: Int32Array[];
  /** Distinct n-grams per order (index 1..order). */
  readonly liveByOrder: number[];
  /** Score counts (raw at the top order, continuation below): sum and n with score > 0, per order. */
  readonly scoreSum: number[];
  readonly scoreLive: number[];
  private readonly countOfCounts: number[];
  private scratch = new Int32Array(RARE);

  constructor(parts: SuffixIndexParts) {
    this.order = parts.order;
    this.tokens = parts.tokens;
    this.positions = parts.positions;
    this.firstOf = parts.firstOf;
    this.unigramCont = parts.unigramCont;
    this.contStarts = parts.contStarts;
    this.contValues = parts.contValues;
    this.summaryStarts = parts.summaryStarts;
    this.summaryStats = parts.summaryStats;
    this.summaryTop = parts.summaryTop;
    const o = this.order + 1;
    const d = parts.derived;
    this.liveByOrder = Array.from(d.subarray(0, o));
    this.scoreSum = Array.from(d.subarray(o, 2 * o));
    this.scoreLive = Array.from(d.subarray(2 * o, 3 * o));
    this.countOfCounts = Array.from(d.subarray(3 * o, 3 * o + o * CC));
  }

  parts(): SuffixIndexParts {
    const derived = Float64Array.from([...this.liveByOrder, ...this.scoreSum, ...this.scoreLive, ...this.countOfCounts]);
    return {
      order: this.order,
      tokens: this.tokens,
      positions: this.positions,
      firstOf: this.firstOf,
      unigramCont: this.unigramCont,
      contStarts: this.contStarts,
      contValues: this.contValues,
      summaryStarts: this.summaryStarts,
      summaryStats: this.summaryStats,
      summaryTop: this.summaryTop,
      derived,
    };
  }

  /** How many derived numbers an index of this order keeps. */
  static derivedLength(order: number): number {
    return 3 * (order + 1) + (order + 1) * CC;
  }

  /** Number of indexed tokens (the sum of all unigram counts). */
  get total(): number {
    return this.positions.length;
  }

  /** Number of word ids the index knows (words beyond it never occur). */
  get vocabularySize(): number {
    return this.firstOf.length - 1;
  }

  countsOfCounts(d: number, c: number): number {
    return this.countOfCounts[d * CC + c];
  }

  get bytes(): number {
    let b = this.tokens.byteLength + this.positions.byteLength + this.firstOf.byteLength + this.unigramCont.byteLength;
    for (let d = 0; d < this.contStarts.length; d++) b += this.contStarts[d].byteLength + this.contValues[d].byteLength;
    for (let d = 0; d < this.summaryStarts.length; d++) b += this.summaryStarts[d].byteLength + this.summaryStats[d].byteLength + this.summaryTop[d].byteLength;
    return b;
  }

  /** The token `offset` places after the position at rank i (HOLE past a document's end). */
  keyAt(i: number, offset: number): number {
    return this.tokens[this.positions[i] + offset];
  }

  /** Occurrences of one word: [firstOf[w], firstOf[w + 1]) (empty for unknown ids). */
  wordLo(w: number): number {
    return w > 0 && w < this.firstOf.length - 1 ? this.firstOf[w] : 0;
  }
  wordHi(w: number): number {
    return w > 0 && w < this.firstOf.length - 1 ? this.firstOf[w + 1] : 0;
  }

  /** First rank in [lo, hi) whose token at `offset` is >= w (the range shares tokens before it). */
  lowerBound(lo: number, hi: number, offset: number, w: number): number {
    const { tokens, positions } = this;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tokens[positions[mid] + offset] < w) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The end of the run of token w at `offset` that starts at rank `from` (galloping, then binary). */
  runEnd(from: number, hi: number, offset: number, w: number): number {
    const { tokens, positions } = this;
    // Ranks sharing the first `offset` tokens are sorted by the next one: w's run is contiguous.
    let known = from;
    let step = 1;
    let probe = from + 1;
    while (probe < hi && tokens[positions[probe] + offset] === w) {
      known = probe;
      step *= 2;
      probe = from + step;
    }
    let a = known + 1;
    let b = Math.min(probe, hi);
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (tokens[positions[mid] + offset] === w) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /**
   * Narrows [lo, hi) (ranks sharing their first `offset` tokens) to those whose token at `offset`
   * is w; returns the new lo, with the new hi in `out.hi`. Empty when w never follows there.
   */
  narrow(lo: number, hi: number, offset: number, w: number, out: Range): void {
    const a = this.lowerBound(lo, hi, offset, w);
    if (a >= hi || this.tokens[this.positions[a] + offset] !== w) {
      out.lo = out.hi = a;
      return;
    }
    out.lo = a;
    out.hi = this.runEnd(a, hi, offset, w);
  }

  /** The range of the n-gram ids[from..to) (empty when it never occurs or holds an unknown id). */
  find(ids: ArrayLike<number>, from: number, to: number, out: Range): void {
    if (to <= from) {
      out.lo = 0;
      out.hi = this.total;
      return;
    }
    const w = ids[from];
    out.lo = this.wordLo(w);
    out.hi = this.wordHi(w);
    for (let k = from + 1; k < to && out.lo < out.hi; k++) {
      const x = ids[k];
      if (x <= 0) {
        out.hi = out.lo;
        return;
      }
      this.narrow(out.lo, out.hi, k - from, x, out);
    }
  }

  /**
   * Kneser-Ney's continuation count of the n-gram of `depth` tokens at [lo, hi): how many distinct
   * words precede it. Stored for frequent n-grams; read off the occurrences of rare ones.
   */
  cont(lo: number, hi: number, depth: number): number {
    if (depth === 1) return this.unigramCont[this.keyAt(lo, 0)];
    if (hi - lo > RARE) return this.contValues[depth][firstAtLeast(this.contStarts[depth], lo)];
    const { tokens, positions } = this;
    const seen = this.scratch;
    let n = 0;
    for (let i = lo; i < hi; i++) {
      const p = positions[i];
      const a = tokens[p - 1];
      if (a === 0) continue;
      let j = 0;
      while (j < n && seen[j] !== a) j++;
      if (j === n) seen[n++] = a;
    }
    return n;
  }

  /**
   * The summary made while building of the context of `length` tokens at range start `lo` (its
   * children scored by modified Kneser-Ney), or undefined when it is not a busy context.
   */
  summaryAt(lo: number, length: number): ContextSummary | undefined {
    const starts = this.summaryStarts[length];
    if (!starts) return undefined;
    const a = firstAtLeast(starts, lo);
    if (a === starts.length || starts[a] !== lo) return undefined;
    const s = this.summaryStats[length];
    const pairs = this.summaryTop[length];
    // Pairs kept per summary: SUMMARY_RESERVE, or TOP_CHILDREN in files of the first version.
    const width = pairs.length / (2 * starts.length);
    const top = new Int32Array(TOP_CHILDREN);
    const topCounts = new Float64Array(TOP_CHILDREN);
    for (let t = 0; t < TOP_CHILDREN; t++) {
      top[t] = pairs[(a * width + t) * 2];
      topCounts[t] = pairs[(a * width + t) * 2 + 1];
    }
    let kept = 0;
    while (kept < width && pairs[(a * width + kept) * 2] !== 0) kept++;
    const words = new Int32Array(kept);
    const counts = new Float64Array(kept);
    for (let t = 0; t < kept; t++) {
      words[t] = pairs[(a * width + t) * 2];
      counts[t] = pairs[(a * width + t) * 2 + 1];
    }
    return { sum: s[a * 4], n1: s[a * 4 + 1], n2: s[a * 4 + 2], n3: s[a * 4 + 3], top, topCounts, reserve: { words, counts, all: kept < width } };
  }

  /** Continuation count of a word (0 for unknown ids). */
  wordCont(w: number): number {
    return w > 0 && w < this.unigramCont.length ? this.unigramCont[w] : 0;
  }

  /**
   * Reports each distinct token that follows the context at [lo, hi) (`offset` tokens long) with
   * its range, in word id order. HOLE (a document's end) is not a child.
   */
  forEachChild(lo: number, hi: number, offset: number, visit: (word: number, lo: number, hi: number) => void): void {
    let i = lo;
    const { tokens, positions } = this;
    if (i < hi && tokens[positions[i] + offset] === 0) i = this.runEnd(i, hi, offset, 0);
    while (i < hi) {
      const w = tokens[positions[i] + offset];
      const end = this.runEnd(i, hi, offset, w);
      visit(w, i, end);
      i = end;
    }
  }

  /** Whether anything follows the context at [lo, hi) (`offset` tokens long). */
  hasChildren(lo: number, hi: number, offset: number): boolean {
    return lo < hi && this.tokens[this.positions[hi - 1] + offset] !== 0;
  }
}

/** Arrays a build works on; a parallel build makes them on shared memory and splits the work. */
export interface BuildArrays {
  tokens: Int32Array;
  /** Positions grouped by their first token (sorted within each group by the later stages). */
  positions: Int32Array;
  /** lcp[i]: how many tokens (up to `order`) rank i shares with rank i - 1. */
  lcp: Uint8Array;
  firstOf: Int32Array;
  /** Each word's rank in text order (ties between children go to the first as text). */
  wordRank: Int32Array;
  unigramCont: Int32Array;
}

/** What the scan of a span of ranks finds: added up (derived) or concatenated (tables) across spans. */
export interface ScanPart {
  derived: Float64Array;
  contStarts: Int32Array[];
  contValues: Int32Array[];
  summaryStarts: Int32Array[];
  summaryStats: Float64Array[];
  summaryTop: Int32Array[];
}

/** Makes an array of `length` elements (on shared memory, for a parallel build). */
export type Alloc = <T extends Int32Array | Uint8Array>(kind: { new (length: number): T; BYTES_PER_ELEMENT: number }, length: number) => T;
const plain: Alloc = (kind, length) => new kind(length);

/**
 * Builds the index of `tokens` (a stream as described above, starting and ending with HOLE; ids
 * below words.length). Memory: the stream and the positions, plus two bytes per token and a
 * bounded scratch array while sorting: about 10 bytes per token at the peak.
 */
export function buildSuffixIndex(tokens: Int32Array, words: readonly string[], order: number): SuffixIndex {
  return runSteps(buildSuffixIndexInSteps(tokens, words, order));
}

/** buildSuffixIndex as a generator that yields between passes (for a caller that reports progress). */
export function* buildSuffixIndexInSteps(tokens: Int32Array, words: readonly string[], order: number): Generator<string, SuffixIndex> {
  const arrays = prepareBuild(tokens, words);
  const n = arrays.positions.length;
  yield* sortSpan(arrays, 0, n, order);
  const part = yield* scanSpan(arrays, 0, n, order);
  return assembleIndex(arrays, order, [part]);
}

/**
 * The first stage: checks the stream, measures runs, groups positions by their first token
 * (counting sort, stable) and ranks the words. `alloc` makes the large arrays (shared memory for a
 * parallel build).
 */
export function prepareBuild(tokens: Int32Array, words: readonly string[], alloc: Alloc = plain): BuildArrays {
  const T = tokens.length;
  if (T === 0 || tokens[0] !== 0 || tokens[T - 1] !== 0) throw new RangeError('a token stream must start and end with HOLE');
  const V = Math.max(1, words.length);
  const firstOf = alloc(Int32Array, V + 1);
  let n = 0;
  for (let p = 0; p < T; p++) {
    const t = tokens[p];
    if (t !== 0) {
      if (t < 0 || t >= V) throw new RangeError(`token id ${t} outside the vocabulary`);
      n++;
      firstOf[t + 1]++;
    }
  }
  for (let w = 1; w <= V; w++) firstOf[w] += firstOf[w - 1];
  const positions = alloc(Int32Array, n);
  const next = firstOf.slice(0, V);
  for (let p = 0; p < T; p++) {
    const t = tokens[p];
    if (t !== 0) positions[next[t]++] = p;
  }
  const wordRank = alloc(Int32Array, V);
  Int32Array.from(words.keys())
    .sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0))
    .forEach((w, rank) => (wordRank[w] = rank));
  return { tokens, positions, lcp: alloc(Uint8Array, n), firstOf, wordRank, unigramCont: alloc(Int32Array, V) };
}

/**
 * The second stage: sorts the ranks [from, to) (whole first-token groups) by their tokens after
 * the first, and fills their lcp. Spans of different groups can be sorted at the same time.
 */
export function* sortSpan(arrays: BuildArrays, from: number, to: number, order: number): Generator<string> {
  const { tokens, positions, lcp, firstOf } = arrays;
  const V = firstOf.length - 1;
  const starts: number[] = [];
  let w = firstAtLeast(firstOf, from + 1) - 1; // the word whose group holds rank `from`
  for (let lo = from; lo < to; w++) {
    const hi = Math.min(to, firstOf[w + 1]);
    if (hi > lo) {
      lcp[lo] = 0;
      starts.push(lo, hi, 1);
    }
    lo = Math.max(lo, hi);
  }
  yield* sortPositions(tokens, positions, lcp, order, V, starts);
}

/** The first index of the non-decreasing `sorted` whose value is >= `value` (its length if none). */
export function firstAtLeast(sorted: Int32Array, value: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid] < value) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * The third stage: one pass over the sorted ranks [from, to) (whole first-token groups), in which
 * n-grams open and close as the shared prefix with the previous rank shrinks (an LCP scan).
 */
export function* scanSpan(arrays: BuildArrays, from: number, to: number, order: number): Generator<string, ScanPart> {
  const { tokens, positions, lcp, wordRank, unigramCont } = arrays;
  const V = wordRank.length;
  // Distinct predecessors are counted per open n-gram:
  // rank i brings a new one to every open n-gram that started after the last rank with the same
  // predecessor (deeper n-grams start later, so those are the deepest ones).
  const o = order + 1;
  const liveByOrder = new Array<number>(o).fill(0);
  const scoreSum = new Array<number>(o).fill(0);
  const scoreLive = new Array<number>(o).fill(0);
  const countOfCounts = new Array<number>(o * CC).fill(0);
  const contStarts: GrowableInts[] = Array.from({ length: o }, () => new GrowableInts());
  const contValues: GrowableInts[] = Array.from({ length: o }, () => new GrowableInts());
  const lastRank = new Int32Array(V).fill(-1);
  const openLo = new Int32Array(o);
  const openCont = new Int32Array(o);
  /** The last word of each open n-gram. */
  const openWord = new Int32Array(o);
  let openDepth = 0;
  // Each open context's children so far, as the scorer summarizes a busy context: sum, n1, n2,
  // n3 and number of children with a score, and the best SUMMARY_RESERVE (score, then word).
  // Locals, not module bindings: under some loaders each use of an imported constant is a call.
  const TOP = SUMMARY_RESERVE;
  const MANY = MANY_CHILDREN;
  const BUSY = BUSY_CONTEXT;
  const kidSum = new Float64Array(o * 4);
  const kids = new Int32Array(o);
  const topWord = new Int32Array(o * TOP);
  const topScore = new Float64Array(o * TOP);
  const topLength = new Int32Array(o);
  const summaryStarts: GrowableInts[] = Array.from({ length: o }, () => new GrowableInts());
  const summaryStats: number[][] = Array.from({ length: o }, () => []);
  const summaryTop: GrowableInts[] = Array.from({ length: o }, () => new GrowableInts());
  const addChild = (c: number, word: number, score: number) => {
    kids[c]++;
    kidSum[c * 4] += score;
    kidSum[c * 4 + (score === 1 ? 1 : score === 2 ? 2 : 3)]++;
    const base = c * TOP;
    const n = topLength[c];
    const rank = wordRank[word];
    if (n === TOP) {
      const last = base + n - 1;
      if (score < topScore[last] || (score === topScore[last] && rank > wordRank[topWord[last]])) return;
    }
    let pos = n < TOP ? n : n - 1;
    if (n < TOP) topLength[c] = n + 1;
    while (pos > 0) {
      const s = topScore[base + pos - 1];
      if (score < s || (score === s && rank > wordRank[topWord[base + pos - 1]])) break;
      topWord[base + pos] = topWord[base + pos - 1];
      topScore[base + pos] = s;
      pos--;
    }
    topWord[base + pos] = word;
    topScore[base + pos] = score;
  };
  const close = (d: number, hi: number) => {
    const lo = openLo[d];
    const count = hi - lo;
    const cont = openCont[d];
    liveByOrder[d]++;
    const score = d === order ? count : cont;
    if (score > 0) {
      scoreSum[d] += score;
      scoreLive[d]++;
      if (score < CC) countOfCounts[d * CC + score]++;
      if (d >= 2) addChild(d - 1, openWord[d], score);
    }
    if (d === 1) unigramCont[openWord[1]] = cont;
    else if (d < order && count > RARE) {
      contStarts[d].push(lo);
      contValues[d].push(cont);
    }
    if (d < order && count >= BUSY && kids[d] > MANY) {
      summaryStarts[d].push(lo);
      summaryStats[d].push(kidSum[d * 4], kidSum[d * 4 + 1], kidSum[d * 4 + 2], kidSum[d * 4 + 3]);
      for (let t = 0; t < TOP; t++) {
        const kept = t < topLength[d]; // a context with fewer children leaves (0, 0) pairs
        summaryTop[d].push(kept ? topWord[d * TOP + t] : 0);
        summaryTop[d].push(kept ? topScore[d * TOP + t] : 0);
      }
    }
  };
  for (let i = from; i < to; i++) {
    const p = positions[i];
    // Tokens (up to the order) before the next HOLE: read where tokens[p - 1] was just read.
    let len = 1;
    while (len < order && tokens[p + len] !== 0) len++;
    const l = i === from ? 0 : lcp[i];
    for (let d = openDepth; d > l; d--) close(d, i);
    for (let d = l + 1; d <= len; d++) {
      openLo[d] = i;
      openCont[d] = 0;
      openWord[d] = tokens[p + d - 1];
      kids[d] = 0;
      topLength[d] = 0;
      kidSum.fill(0, d * 4, d * 4 + 4);
    }
    openDepth = len;
    const a = tokens[p - 1];
    if (a !== 0) {
      const last = lastRank[a];
      for (let d = Math.min(len, order - 1); d >= 1 && openLo[d] > last; d--) openCont[d]++;
      lastRank[a] = i;
    }
    if ((i & 0xfffff) === 0xfffff) yield 'counted';
  }
  for (let d = openDepth; d >= 1; d--) close(d, to);
  return {
    derived: Float64Array.from([...liveByOrder, ...scoreSum, ...scoreLive, ...countOfCounts]),
    contStarts: contStarts.map((g) => g.done()),
    contValues: contValues.map((g) => g.done()),
    summaryStarts: summaryStarts.map((g) => g.done()),
    summaryStats: summaryStats.map((x) => Float64Array.from(x)),
    summaryTop: summaryTop.map((g) => g.done()),
  };
}

/** The last stage: the index from the sorted arrays and the parts of the scan, in rank order. */
export function assembleIndex(arrays: BuildArrays, order: number, parts: ScanPart[]): SuffixIndex {
  const derived = new Float64Array(SuffixIndex.derivedLength(order));
  for (const part of parts) for (let i = 0; i < derived.length; i++) derived[i] += part.derived[i];
  const join = <T extends Int32Array | Float64Array>(pick: (p: ScanPart) => T[], make: (n: number) => T): T[] =>
    Array.from({ length: order + 1 }, (_, d) => {
      const pieces = parts.map((p) => pick(p)[d]);
      if (pieces.length === 1) return pieces[0];
      const out = make(pieces.reduce((sum, x) => sum + x.length, 0));
      let at = 0;
      for (const x of pieces) {
        out.set(x as never, at);
        at += x.length;
      }
      return out;
    });
  return new SuffixIndex({
    order,
    tokens: arrays.tokens,
    positions: arrays.positions,
    firstOf: arrays.firstOf,
    unigramCont: arrays.unigramCont,
    contStarts: join((p) => p.contStarts, (n) => new Int32Array(n)),
    contValues: join((p) => p.contValues, (n) => new Int32Array(n)),
    summaryStarts: join((p) => p.summaryStarts, (n) => new Int32Array(n)),
    summaryStats: join((p) => p.summaryStats, (n) => new Float64Array(n)),
    summaryTop: join((p) => p.summaryTop, (n) => new Int32Array(n)),
    derived,
  });
}

/** Buckets at most this large are sorted by insertion, comparing their remaining tokens. */
const SMALL_BUCKET = 16;

/**
 * Sorts the positions by their first `order` tokens (a token past a document's end counts as HOLE,
 * which sorts first), stably, and fills lcp. Most-significant token first: each bucket of equal
 * leading tokens is split by its next token with a counting pass over the keys it holds. Buckets
 * keep their positions in ascending order, so every pass reads the stream forwards (cache-friendly,
 * unlike a least-significant-first radix sort whose later passes read it at random), and a bucket
 * stops as soon as it holds one position or its n-grams end: high orders are mostly unique.
 */
function* sortPositions(tokens: Int32Array, positions: Int32Array, lcp: Uint8Array, order: number, V: number, buckets: number[]): Generator<string> {
  const n = positions.length;
  const count = new Int32Array(V);
  const touched = new Int32Array(V);
  const spare = new Int32Array(Math.min(n, 1 << 22));
  // A bucket's positions share their first k tokens, none HOLE, so the token at offset k is the key
  // (HOLE where their n-grams end). Keys read in the counting pass are kept for the scatter pass.
  let keys = new Int32Array(Math.min(n, 1 << 22));
  // Pending buckets as [lo, hi, offset] triples.
  const stack: number[] = buckets;
  let steps = 0;
  while (stack.length > 0) {
    const k = stack.pop() as number;
    const hi = stack.pop() as number;
    const lo = stack.pop() as number;
    const size = hi - lo;
    if (size <= 1) continue;
    if (k === order) {
      for (let i = lo + 1; i < hi; i++) lcp[i] = order; // identical through the order
      continue;
    }
    if (size <= SMALL_BUCKET) {
      for (let i = lo + 1; i < hi; i++) {
        const p = positions[i];
        let j = i;
        while (j > lo && comparePositions(tokens, positions[j - 1], p, k, order) > 0) {
          positions[j] = positions[j - 1];
          j--;
        }
        positions[j] = p;
      }
      for (let i = lo + 1; i < hi; i++) {
        const a = positions[i - 1];
        const b = positions[i];
        let l = k;
        while (l < order && tokens[a + l] !== 0 && tokens[a + l] === tokens[b + l]) l++;
        lcp[i] = l;
      }
      continue;
    }
    if (keys.length < size) keys = new Int32Array(size);
    let distinct = 0;
    for (let i = lo; i < hi; i++) {
      const w = tokens[positions[i] + k];
      keys[i - lo] = w;
      if (count[w]++ === 0) touched[distinct++] = w;
    }
    const sortedKeys = touched.subarray(0, distinct);
    sortedKeys.sort();
    let start = 0;
    for (let t = 0; t < distinct; t++) {
      const w = sortedKeys[t];
      const c = count[w];
      count[w] = start;
      start += c;
    }
    const buffer = size <= spare.length ? spare : new Int32Array(size);
    for (let i = lo; i < hi; i++) buffer[count[keys[i - lo]]++] = positions[i];
    positions.set(buffer.subarray(0, size), lo);
    let from = lo;
    for (let t = 0; t < distinct; t++) {
      const w = sortedKeys[t];
      const to = lo + count[w];
      count[w] = 0;
      if (from > lo) lcp[from] = k;
      if (w === 0) {
        for (let i = from + 1; i < to; i++) lcp[i] = k; // these n-grams end here: all alike
      } else if (to - from > 1) stack.push(from, to, k + 1);
      from = to;
    }
    steps += size;
    if (steps > 1 << 22) {
      steps = 0;
      yield 'sorting';
    }
  }
}

/** Compares two positions by their tokens from offset k up to the order (HOLE past an end). */
function comparePositions(tokens: Int32Array, a: number, b: number, k: number, order: number): number {
  for (let j = k; j < order; j++) {
    const x = tokens[a + j];
    const y = tokens[b + j];
    if (x !== y) return x - y;
    if (x === 0) return 0;
  }
  return 0;
}

/** An Int32Array that grows as values are pushed (amortized doubling), trimmed when done. */
class GrowableInts {
  private data = new Int32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
