// Shared fixtures for the memory tests: small but varied texts and an exact model comparison.
import assert from 'node:assert/strict';
import { type Memory, Predictor, tokenize } from '../../../src/memory';

export const CODE_A = `import { foo } from './foo';
export function add(a, b) {
  return a + b;
}
export function sub(a, b) {
  return a - b;
}
const total = add(1, 2) + sub(3, 4);
console.log(total);
`;

export const CODE_B = `export class Stack {
  constructor() {
    this.items = [];
  }
  push(item) {
    this.items.push(item);
  }
  pop() {
    return this.items.pop();
  }
}
const s = new Stack();
s.push(add(1, 2));
`;

export const PROSE = `The quick brown fox jumps over the lazy dog. The lazy dog sleeps all day.
A quick brown cat watches the fox. The fox runs away from the dog.
`;

/** Every n-gram (up to `order`) of the given texts, as token arrays. */
export function allNgrams(texts: string[], order: number): string[][] {
  const out: string[][] = [];
  for (const t of texts) {
    const toks = tokenize(t);
    for (let i = 0; i < toks.length; i++) for (let k = 1; k <= order && i - k + 1 >= 0; k++) out.push(toks.slice(i - k + 1, i + 1));
  }
  return out;
}

/** Asserts two memories give bit-identical counts, statistics and predictions on these texts. */
export function assertSameModel(a: Memory, b: Memory, texts: string[]): void {
  const sa = a.stats();
  const sb = b.stats();
  assert.deepEqual({ ...sa, bytes: 0, documents: 0 }, { ...sb, bytes: 0, documents: 0 });
  for (const ng of allNgrams(texts, a.order)) assert.equal(a.count(ng), b.count(ng), `count of ${JSON.stringify(ng)}`);
  const pa = new Predictor([a]);
  const pb = new Predictor([b]);
  for (const t of texts) {
    const toks = tokenize(t);
    for (let i = 0; i <= toks.length; i += 3) {
      const ctx = toks.slice(Math.max(0, i - 6), i);
      assert.deepEqual(pa.predictNext(ctx, 5), pb.predictNext(ctx, 5), `predictions after ${JSON.stringify(ctx)}`);
    }
  }
}
