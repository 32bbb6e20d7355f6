// Small light fields for the webview's tests.
import { FLAG_LOCAL, type LightField } from '../../../src/lightfield/packing';

/** A field of `words` (most frequent first) with rays `[from, to, weight]`. */
export function field(words: string[], rays: [number, number, number][] = [], version = 1): LightField {
  const n = words.length;
  return {
    version,
    words,
    count: Float32Array.from(words, (_, i) => 100 - i),
    recency: new Float32Array(n),
    tone: new Uint8Array(n),
    flags: new Uint8Array(n).fill(FLAG_LOCAL),
    from: Uint32Array.from(rays, (r) => r[0]),
    to: Uint32Array.from(rays, (r) => r[1]),
    weight: Float32Array.from(rays, (r) => r[2]),
    stats: { vocabulary: n, ngrams: n, tokens: 10 * n, teamWords: 0 },
  };
}
