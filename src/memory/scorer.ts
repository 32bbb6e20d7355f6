// The scorer of the trie memory (memory.ts): levels are trie nodes, a level's children are the
// node's child list, counts are the nodes' raw and continuation counts, and summaries of busy
// contexts are kept by the store until a child's count changes. The formulas: levelScorer.ts.
import { LevelScorer, type ContextSummary, type OrderStats, type Smoothing } from './levelScorer';
import type { Vocabulary } from './vocabulary';
import { ROOT, type NgramStore } from './ngramStore';

export { MANY_CHILDREN, ScoredContext, TOP_CHILDREN, type ContextSummary, type NextTokenScorer, type Smoothing } from './levelScorer';

/** What the trie's scorer reads of its memory (memory.ts), without depending on it. */
export interface TrieCounts {
  readonly order: number;
  readonly store: NgramStore;
  readonly vocab: Vocabulary;
}

export class Scorer extends LevelScorer {
  /** ctx[m]: the node of the context's last m tokens. */
  private readonly ctx: Int32Array;

  constructor(
    private readonly memory: TrieCounts,
    smoothing: Smoothing = 'mkn',
  ) {
    super(memory.order, smoothing);
    this.ctx = new Int32Array(memory.order);
  }

  private get store(): NgramStore {
    return this.memory.store;
  }

  /** The count a node at `depth` is scored with. */
  private nodeScore(node: number, depth: number): number {
    return this.scoresContinuation(depth) ? this.store.contOf(node) : this.store.countOf(node);
  }

  protected stats(): OrderStats {
    return this.store;
  }

  protected statsVersion(): number {
    return this.store.version;
  }

  protected vocabularySize(): number {
    return this.memory.vocab.size;
  }

  protected wordTexts(): readonly string[] {
    return this.memory.vocab.words;
  }

  protected matchContexts(context: ArrayLike<number>): number {
    const store = this.store;
    const N = this.order;
    const ctx = this.ctx;
    ctx[0] = ROOT;
    let M = 0;
    const L = context.length;
    for (let m = 1; m < N && m <= L; m++) {
      let node = ROOT;
      for (let j = L - m; j < L && node >= 0; j++) {
        const w = context[j];
        node = w < 0 ? -1 : store.child(node, w);
      }
      if (node < 0 || store.firstChild[node] < 0) break;
      ctx[m] = node;
      M = m;
    }
    return M;
  }

  protected forEachChild(m: number, visit: (word: number, count: number) => void): void {
    const store = this.store;
    const depth = m + 1;
    for (let c = store.firstChild[this.ctx[m]]; c >= 0; c = store.nextSibling[c]) visit(store.wordOf(c), this.nodeScore(c, depth));
  }

  protected childCountAfter(m: number, word: number): number {
    const node = this.store.child(this.ctx[m], word);
    return node >= 0 ? this.nodeScore(node, m + 1) : 0;
  }

  protected wordScore(word: number): number {
    const node = this.store.child(ROOT, word);
    return node >= 0 ? this.nodeScore(node, 1) : 0;
  }

  protected countedWords(visit: (word: number) => void): void {
    const store = this.store;
    for (let c = store.firstChild[ROOT]; c >= 0; c = store.nextSibling[c]) if (store.countOf(c) > 0) visit(store.wordOf(c));
  }

  /** Summaries live in the store, which drops one when a child's count changes. */
  private summaryKey(m: number): number {
    return this.smoothing === 'mkn' ? this.ctx[m] : -1 - this.ctx[m];
  }

  protected storedSummary(m: number): ContextSummary | undefined {
    return this.store.summaries.get(this.summaryKey(m));
  }

  protected storeSummary(m: number, summary: ContextSummary): void {
    this.store.summaries.set(this.summaryKey(m), summary);
  }
}
