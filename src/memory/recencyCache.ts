// A small n-gram model of the current document, fed token by token with the text before the
// cursor only (it never sees the future). It proposes words recently used in the same context;
// the predictor mixes it in with a weight chosen by how much evidence it has.
import { NgramStore, ROOT } from './ngramStore';

const DISCOUNT = 0.6;

export class RecencyCache {
  readonly order: number;
  private ids = new Map<string, number>();
  private words: string[] = [''];
  private store: NgramStore;
  private prev: Int32Array;
  private cur: Int32Array;
  private observed = 0;
  // Scoring scratch.
  private ctx: Int32Array;
  private sums: Float64Array;
  private gammas: Float64Array;
  private levels = 0;

  constructor(order = 10) {
    if (!Number.isInteger(order) || order < 1 || order > 12) throw new RangeError('cache order must be 1 to 12');
    this.order = order;
    this.store = new NgramStore(order, 256);
    this.prev = new Int32Array(order + 1).fill(-1);
    this.cur = new Int32Array(order + 1).fill(-1);
    this.prev[0] = this.cur[0] = ROOT;
    this.ctx = new Int32Array(order);
    this.sums = new Float64Array(order);
    this.gammas = new Float64Array(order);
  }

  /** Number of tokens observed since the last clear. */
  get size(): number {
    return this.observed;
  }

  observe(token: string): void {
    let w = this.ids.get(token);
    if (w === undefined) {
      w = this.words.length;
      this.words.push(token);
      this.ids.set(token, w);
    }
    const { prev, cur, store } = this;
    for (let k = 1; k <= this.order; k++) {
      const parent = prev[k - 1];
      const node = parent >= 0 ? store.childOrCreate(parent, w) : -1;
      cur[k] = node;
      if (node >= 0) store.adjust(node, k > 1 ? cur[k - 1] : -1, 1);
    }
    this.prev = cur;
    this.cur = prev;
    this.observed++;
  }

  clear(): void {
    this.ids.clear();
    this.words.length = 1;
    this.store.clear();
    this.prev.fill(-1);
    this.cur.fill(-1);
    this.prev[0] = this.cur[0] = ROOT;
    this.observed = 0;
  }

  /**
   * Prepares scoring after `context` and returns the candidates seen after its longest matches,
   * with the length of the longest matched context and the observations behind it.
   */
  score(context: string[]): { candidates: string[]; longest: number; evidence: number } {
    const store = this.store;
    const ctx = this.ctx;
    ctx[0] = ROOT;
    let M = 0;
    const L = context.length;
    for (let m = 1; m < this.order && m <= L; m++) {
      let node = ROOT;
      for (let j = L - m; j < L && node >= 0; j++) {
        const w = this.ids.get(context[j]);
        node = w === undefined ? -1 : store.child(node, w);
      }
      if (node < 0 || store.firstChild[node] < 0) break;
      ctx[m] = node;
      M = m;
    }
    this.levels = M;
    this.sums[0] = store.total;
    this.gammas[0] = DISCOUNT * store.liveByOrder[1];
    const candidates: string[] = [];
    const seen = new Set<number>();
    let evidence = 0;
    for (let m = M; m >= 1; m--) {
      let sum = 0;
      let distinct = 0;
      for (let c = store.firstChild[ctx[m]]; c >= 0; c = store.nextSibling[c]) {
        const cnt = store.countOf(c);
        if (cnt === 0) continue;
        sum += cnt;
        distinct++;
        const w = store.wordOf(c);
        if (!seen.has(w) && candidates.length < 64) {
          seen.add(w);
          candidates.push(this.words[w]);
        }
      }
      this.sums[m] = sum;
      this.gammas[m] = DISCOUNT * distinct;
      if (m === M) evidence = sum;
    }
    return { candidates, longest: M, evidence };
  }

  /** Probability of `token` under the context last passed to `score` (0 for unseen words). */
  probOf(token: string): number {
    const w = this.ids.get(token);
    if (w === undefined || this.observed === 0) return 0;
    const store = this.store;
    let p = 0;
    for (let m = 0; m <= this.levels; m++) {
      const sum = this.sums[m];
      if (sum <= 0) continue;
      const node = store.child(this.ctx[m], w);
      const c = node >= 0 ? store.countOf(node) : 0;
      p = (Math.max(c - DISCOUNT, 0) + this.gammas[m] * p) / sum;
    }
    return p;
  }
}
