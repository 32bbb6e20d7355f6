// Deterministic synthetic text for the share tests and bench: documents (chunks, as a memory holds
// them) of random tokens from a seeded generator. Each document starts with a marker token of its
// own, so an n-gram starting at a marker occurs exactly once in the whole team's text: a probe
// that says whether that document arrived (count 1), or not (0), or twice (2).
// Word frequencies are skewed (a small core of frequent words, a long tail), as in code.

export interface SyntheticDocument {
  id: string;
  tokens: string[];
}

/** Documents holding `tokens` tokens in all, `perDocument` each (the last may be shorter). */
export function syntheticDocuments(tokens: number, seed: number, perDocument = 400): SyntheticDocument[] {
  const words = Math.max(16, Math.ceil(Math.sqrt(tokens) * 2));
  const vocabulary = Array.from({ length: words }, (_, i) => `w${seed}_${i}`);
  let state = seed >>> 0 || 1;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: SyntheticDocument[] = [];
  for (let left = tokens, d = 0; left > 0; d++) {
    const length = Math.min(perDocument, left);
    const doc: string[] = [markerOf(seed, d)];
    for (let i = 1; i < length; i++) {
      const r = random();
      doc.push(r < 0.08 ? '\n' : vocabulary[Math.floor(words * r * r * r)]);
    }
    out.push({ id: `src/s${seed}/file${d >> 3}.ts#${d & 7}`, tokens: doc });
    left -= length;
  }
  return out;
}

/** The marker starting document `index` of seed `seed`. */
export function markerOf(seed: number, index: number): string {
  return `m${seed}_${index}`;
}

/** An n-gram that occurs once in all the text of `seed` (and nowhere else): document `index`'s first two tokens. */
export function probeOf(documents: readonly SyntheticDocument[], index: number): string[] {
  const doc = documents[index < 0 ? documents.length + index : index];
  return doc.tokens.slice(0, 2);
}

/** Tokens in all the documents: what a converged peer's team memory holds of this writer. */
export function tokensOf(documents: readonly SyntheticDocument[]): number {
  return documents.reduce((sum, doc) => sum + doc.tokens.length, 0);
}
