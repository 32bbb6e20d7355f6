// The best neighbours of a word (the words seen right after it, or right before it), exact and
// bounded: what `neighbors` lists, for an indexed memory (indexedAskable.ts) and for the editor's
// live memory, an index plus the changes made since (extension/ask/liveAskable.ts), which answers
// on the extension host's thread. Reading the neighbour at every occurrence of ";" or "(" (millions
// on a large memory) and asking the secret filter of every word found took up to seconds.
//
// Two ways, the cheaper chosen per question:
// - a walk: candidates asked in order of their own count (one range narrowing each, `pairCount`),
//   which bounds how often each can be a neighbour; once no candidate left can beat the list, no
//   later one can enter. For the most frequent words, tens to hundreds of candidates.
// - a scan: the neighbour read at every occurrence (the word's neighbours are many and rare, as
//   after "define", or it is seen only so often), plus what the changes since the index moved.
// Either way the secret filter is asked only of words that would be listed.
import type { SuffixIndex } from '../memory/suffixIndex';
import type { WordCount } from '../memory/types';
import { HOLE } from '../memory/vocabulary';
import type { WordFilter } from './askable';

/** One side of one word's neighbours, as a memory gives them to read. */
export interface NeighbourSide {
  /** The memory's words by id; '' (the hole, a forgotten word) is never listed. */
  readonly names: readonly string[];
  /** The index under the memory; the word's occurrences there are the ranks [lo, hi). */
  readonly index: SuffixIndex;
  readonly lo: number;
  readonly hi: number;
  /** How often the word occurs now (hi - lo for an index alone). */
  readonly occurrences: number;
  /** The neighbour at rank i of the word's range (HOLE, a document's edge, is none). */
  neighbourAt(i: number): number;
  /** The exact count now of the pair of the word and neighbour x. */
  pairCount(x: number): number;
  /**
   * Words seen more often now than in the index, with how often (words the changes since the
   * index added to): every other word occurs at most as often as the index says, which is what
   * the walk's order and its stop rely on. None for an index alone.
   */
  readonly raised?: ReadonlyArray<{ id: number; count: number }>;
  /**
   * For a scan: adds what the changes since the index did to the neighbours' counts (`n` may be
   * negative, never below the index's count); returns how many tokens it read.
   */
  changes?(add: (w: number, n: number) => void): number;
}

/** Where the work of the neighbour lists is counted (index reads, about: for tests, never time). */
export interface NeighbourMeter {
  steps: number;
}

/**
 * Index probes a walk may make per occurrence of the word before it gives up for a scan. A probe
 * of a binary search costs about a quarter of a read at a random occurrence (measured on 32M
 * tokens: the searches share their first steps, which stay cached).
 */
const WALK_PROBES = 2;

/** Occurrences whose neighbours are read to tell a walk that cannot finish (see walkHopeless). */
const NEIGHBOUR_SAMPLE = 256;

/**
 * The `limit` best neighbours, exact, most frequent first, ties by word; only words `keep` allows.
 * A walk that would make more than WALK_PROBES probes per occurrence of the word stops for a
 * scan, so the work is at most about 1.5 times a scan, and for the most frequent words a small
 * part of one.
 */
export function boundedNeighbours(side: NeighbourSide, limit: number, keep: WordFilter, meter: NeighbourMeter): WordCount[] {
  const count = side.occurrences;
  limit = Math.floor(limit);
  if (count <= 0 || !(limit >= 1)) return [];
  const top = new TopWords(limit, side.names, keep);
  if (side.hi <= side.lo) return byScan(side, top, meter); // only in the changes since the index
  // An index of order 1 is sorted by the word alone: its range cannot be narrowed by a neighbour.
  if (side.index.order < 2) return byScan(side, top, meter);
  const { index } = side;
  const order = frequencyOrder(index);
  const probes = probesOf(count);
  if (walkHopeless(side, order, limit, probes, meter)) return byScan(side, top, meter);
  // The words the changes raised are asked by their count now, the others by the index's (an
  // upper bound of theirs now): the two lists merged, most frequent first.
  const raised = [...(side.raised ?? [])].sort((a, b) => b.count - a.count || a.id - b.id);
  const isRaised = raised.length > 0 ? new Set(raised.map((r) => r.id)) : undefined;
  let k = 0;
  let r = 0;
  let asked = 0;
  let skipped = 0;
  for (;;) {
    while (isRaised && k < order.length && isRaised.has(order[k])) {
      k++;
      skipped++;
    }
    const fromIndex = k < order.length ? index.wordHi(order[k]) - index.wordLo(order[k]) : -1;
    const fromRaised = r < raised.length ? raised[r].count : -1;
    if (fromIndex < 0 && fromRaised < 0) break; // every word that occurs was asked
    const bound = Math.max(fromIndex, fromRaised);
    if (top.full && bound < top.lowest) break;
    if ((asked + 1) * probes > count * WALK_PROBES) {
      meter.steps += asked * probes + skipped;
      return byScan(side, top.reset(), meter);
    }
    const x = fromRaised > fromIndex ? raised[r++].id : order[k++];
    asked++;
    const c = side.pairCount(x);
    if (c > 0) top.offer(x, c);
  }
  meter.steps += asked * probes + skipped;
  return top.words();
}

/**
 * Whether a walk surely cannot finish within its probes, judged from the neighbours at a few
 * hundred occurrences spread over the index's range: even a high guess of how often the
 * `limit`-th best occurs leaves more candidates seen that often than the walk may ask (a
 * mid-frequency word's neighbours: its scan is cheap, the walk's probes before giving up would be
 * wasted).
 */
function walkHopeless(side: NeighbourSide, order: Int32Array, limit: number, probes: number, meter: NeighbourMeter): boolean {
  const { index, lo, hi } = side;
  const count = hi - lo;
  const size = Math.min(count, NEIGHBOUR_SAMPLE);
  const seen = new Map<number, number>();
  for (let j = 0; j < size; j++) {
    const w = side.neighbourAt(lo + Math.floor((j * count) / size));
    if (w !== HOLE) seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  meter.steps += size;
  const counts = [...seen.values()].sort((a, b) => b - a);
  const sampled = limit <= counts.length ? counts[limit - 1] : 0;
  const high = ((sampled + 2 * Math.sqrt(sampled) + 1) * count) / size;
  let a = 0;
  let b = order.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (index.wordHi(order[mid]) - index.wordLo(order[mid]) >= high) a = mid + 1;
    else b = mid;
  }
  return a * probes > side.occurrences * WALK_PROBES;
}

/** Per word id, a count, and whether the word was met (scratch of byScan, cleared after each use). */
let tally = new Int32Array(0);
let met = new Uint8Array(0);

function byScan(side: NeighbourSide, top: TopWords, meter: NeighbourMeter): WordCount[] {
  const size = side.names.length;
  if (tally.length < size) {
    tally = new Int32Array(Math.max(size, tally.length * 2));
    met = new Uint8Array(tally.length);
  }
  const seen: number[] = [];
  const { lo, hi } = side;
  for (let i = lo; i < hi; i++) {
    const w = side.neighbourAt(i);
    if (w === HOLE) continue;
    if (met[w] === 0) {
      met[w] = 1;
      seen.push(w);
    }
    tally[w]++;
  }
  meter.steps += hi - lo;
  if (side.changes) {
    meter.steps += side.changes((w, n) => {
      if (w === HOLE) return;
      if (met[w] === 0) {
        met[w] = 1;
        seen.push(w);
      }
      tally[w] += n;
    });
  }
  for (const w of seen) if (tally[w] > 0) top.offer(w, tally[w]);
  for (const w of seen) {
    tally[w] = 0;
    met[w] = 0;
  }
  return top.words();
}

const orders = new WeakMap<SuffixIndex, Int32Array>();

/** The index's word ids by how often they occur, most often first (ties by id): built once per index. */
export function frequencyOrder(index: SuffixIndex): Int32Array {
  const known = orders.get(index);
  if (known) return known;
  const n = index.vocabularySize;
  let present = 0;
  for (let w = 1; w < n; w++) if (index.wordHi(w) > index.wordLo(w)) present++;
  const ids = new Int32Array(present);
  for (let w = 1, i = 0; w < n; w++) if (index.wordHi(w) > index.wordLo(w)) ids[i++] = w;
  const countOf = (w: number) => index.wordHi(w) - index.wordLo(w);
  // Packed as count x span + (span - 1 - id) in doubles where that is exact: a native numeric
  // sort of 700,000 words instead of one with a comparator (several times slower).
  const span = 2 ** Math.ceil(Math.log2(n + 1));
  let order: Int32Array;
  if (index.total * span < 2 ** 53) {
    const keys = new Float64Array(present);
    for (let i = 0; i < present; i++) keys[i] = countOf(ids[i]) * span + (span - 1 - ids[i]);
    keys.sort().reverse();
    order = ids;
    for (let i = 0; i < present; i++) order[i] = span - 1 - (keys[i] % span);
  } else {
    order = ids.sort((a, b) => countOf(b) - countOf(a) || a - b);
  }
  orders.set(index, order);
  return order;
}

/** Reads of the index one narrowing of a range of `n` ranks costs, about (two binary searches). */
function probesOf(n: number): number {
  return 2 * Math.ceil(Math.log2(n + 1)) + 2;
}

/**
 * The `limit` most frequent kept words offered, ties by word (so answers never depend on storage
 * order). The filter (a secret check, costly) is asked only of a word that would enter the list.
 */
class TopWords {
  private readonly list: WordCount[] = [];

  constructor(
    private readonly limit: number,
    private readonly names: readonly string[],
    private readonly keep: WordFilter,
  ) {}

  get full(): boolean {
    return this.list.length === this.limit;
  }

  /** The count of the last word listed (only when full). */
  get lowest(): number {
    return this.list[this.limit - 1].count;
  }

  offer(id: number, count: number): void {
    const word = this.names[id];
    const list = this.list;
    if (this.full && (count < this.lowest || (count === this.lowest && word > list[this.limit - 1].word))) return;
    if (word === '' || !this.keep(word)) return;
    let at = this.full ? this.limit - 1 : list.length;
    if (!this.full) list.push({ word, count });
    while (at > 0 && (list[at - 1].count < count || (list[at - 1].count === count && list[at - 1].word > word))) {
      list[at] = list[at - 1];
      at--;
    }
    list[at] = { word, count };
  }

  reset(): this {
    this.list.length = 0;
    return this;
  }

  words(): WordCount[] {
    return this.list.slice();
  }
}
