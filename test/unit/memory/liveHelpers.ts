// Shared by the live memory's tests: a rebuild as a worker makes it, netted deltas, and the exact
// comparison of a live memory with the trie memory holding the same documents.
import assert from 'node:assert/strict';
import { type Memory, Predictor, tokenize } from '../../../src/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { addSnapshot, type LiveMemory } from '../../../src/memory/liveMemory';
import type { NgramDelta } from '../../../src/memory/types';
import { allNgrams } from './helpers';

/** Rebuilds a live memory's index as a worker would, from its snapshot (synchronously here). */
export function rebuild(live: LiveMemory, during?: () => void): void {
  const snapshot = live.beginRebuild();
  const builder = new IndexedMemoryBuilder({ order: live.order });
  addSnapshot(builder, snapshot);
  during?.();
  live.finishRebuild(builder.build());
}

/** A delta's entries netted by n-gram (zero nets left out), to compare deltas made in any order. */
export function netted(entries: NgramDelta[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    const key = e.ngram.join('\u0001');
    const v = (out.get(key) ?? 0) + e.delta;
    if (v === 0) out.delete(key);
    else out.set(key, v);
  }
  return out;
}

/**
 * Same statistics, documents, counts, predictions and ghost text (bit for bit) as the trie memory
 * with the same documents; predictions are compared every `tokenStep` tokens and ghost text every
 * `charStep` characters of each text.
 */
export function assertSameAsTrie(trie: Memory, live: LiveMemory, texts: string[], label: string, tokenStep = 3, charStep = 11): void {
  assert.deepEqual({ ...live.stats(), bytes: 0 }, { ...trie.stats(), bytes: 0 }, `${label}: stats`);
  assert.deepEqual(live.documentIds().sort(), trie.documentIds().sort(), `${label}: documents`);
  for (const ng of allNgrams(texts, trie.order)) assert.equal(live.count(ng), trie.count(ng), `${label}: count of ${JSON.stringify(ng)}`);
  assert.deepEqual(live.topWords(8), trie.topWords(8), `${label}: top words`);
  for (const smoothing of ['mkn', 'absolute'] as const) {
    const a = new Predictor([trie], { smoothing });
    const b = new Predictor([live], { smoothing });
    for (const text of texts) {
      const toks = tokenize(text);
      for (let i = 0; i <= toks.length; i += tokenStep) {
        const ctx = toks.slice(Math.max(0, i - 9), i);
        assert.deepEqual(b.predictNext(ctx, 8), a.predictNext(ctx, 8), `${label} (${smoothing}): after ${JSON.stringify(ctx)}`);
      }
      for (let cut = 1; cut < text.length; cut += charStep) {
        const before = text.slice(0, cut);
        assert.deepEqual(b.complete(before, { alternatives: 2 }), a.complete(before, { alternatives: 2 }), `${label}: complete ${JSON.stringify(before)}`);
      }
    }
  }
}
