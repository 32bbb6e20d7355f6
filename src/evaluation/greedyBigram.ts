// The baseline: the original prototype's generator, "follow the brightest connection" — a greedy
// bigram over the same tokens as the model. It ranks the successors of the previous token by how
// often they followed it, and its ghost text chains the brightest successor up to the line end.
// Spacing between tokens is learned the simple way (majority vote per token pair, then per kind
// pair), so its keystroke savings are not held back by rendering.
import { NEWLINE, tokenKind, tokenizeWithOffsets, type Token, type TokenKind } from '../memory/index';

const WORDLIKE: ReadonlySet<TokenKind> = new Set<TokenKind>(['word', 'identifier', 'keyword', 'number']);
const TAIL_CONTEXT = 400; // characters of context the ghost text needs: the last line or so

export class GreedyBigram {
  private readonly successorCounts = new Map<string, Map<string, number>>();
  private readonly rankedCache = new Map<string, string[]>();
  private readonly pairSpacing = new Map<string, number>();
  private readonly kindSpacing = new Map<string, number>();
  private tokenTotal = 0;

  get tokens(): number {
    return this.tokenTotal;
  }

  /** Distinct adjacent pairs counted. */
  get bigrams(): number {
    let n = 0;
    for (const next of this.successorCounts.values()) n += next.size;
    return n;
  }

  /** Counts every adjacent pair of a document's token stream. */
  train(tokens: readonly string[]): void {
    this.tokenTotal += tokens.length;
    for (let i = 1; i < tokens.length; i++) {
      let next = this.successorCounts.get(tokens[i - 1]);
      if (!next) this.successorCounts.set(tokens[i - 1], (next = new Map()));
      next.set(tokens[i], (next.get(tokens[i]) ?? 0) + 1);
    }
    this.rankedCache.clear();
  }

  /** Learns from the raw text whether a space separates each pair of adjacent tokens. */
  learnSpacing(text: string, tokens: readonly Token[]): void {
    for (let i = 1; i < tokens.length; i++) {
      const a = tokens[i - 1];
      const b = tokens[i];
      if (a.text === NEWLINE || b.text === NEWLINE) continue;
      const vote = b.start > a.end && /[ \t]/.test(text.slice(a.end, b.start)) ? 1 : -1;
      bump(this.pairSpacing, pairKey(a.text, b.text), vote);
      bump(this.kindSpacing, pairKey(tokenKind(a.text), tokenKind(b.text)), vote);
    }
  }

  /** Successors of `previous`, brightest first (ties in code-unit order), at most `k`. */
  successors(previous: string | undefined, k: number): string[] {
    if (previous === undefined) return [];
    return this.ranked(previous).slice(0, k);
  }

  /** The ghost text the prototype would show after `textBeforeCursor` ('' for none). */
  ghostText(textBeforeCursor: string, maxTokens = 6): string {
    const tailStart = Math.max(0, textBeforeCursor.length - TAIL_CONTEXT);
    const tail = textBeforeCursor.slice(tailStart);
    const tokens = tokenizeWithOffsets(tail);
    if (tokens.length === 0) return '';
    const last = tokens[tokens.length - 1];
    const partial = last.end === tail.length && WORDLIKE.has(tokenKind(last.text)) ? last.text : '';
    const previous = partial ? tokens[tokens.length - 2]?.text : last.text;
    if (previous === undefined) return '';

    const first = partial
      ? this.ranked(previous).find((t) => t.length > partial.length && t.startsWith(partial))
      : this.ranked(previous)[0];
    if (first === undefined || first === NEWLINE) return '';

    const endsInSpace = /[ \t]$/.test(tail);
    let text = partial
      ? first.slice(partial.length)
      : (previous !== NEWLINE && !endsInSpace && this.spaced(previous, first) ? ' ' : '') + first;
    let current = first;
    for (let n = 1; n < maxTokens; n++) {
      const next = this.ranked(current)[0];
      if (next === undefined || next === NEWLINE) break;
      text += (this.spaced(current, next) ? ' ' : '') + next;
      current = next;
    }
    return text;
  }

  private ranked(previous: string): string[] {
    let list = this.rankedCache.get(previous);
    if (list) return list;
    const counts = this.successorCounts.get(previous);
    list = counts
      ? [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((e) => e[0])
      : [];
    this.rankedCache.set(previous, list);
    return list;
  }

  private spaced(a: string, b: string): boolean {
    const byPair = this.pairSpacing.get(pairKey(a, b));
    if (byPair !== undefined && byPair !== 0) return byPair > 0;
    const kindA = tokenKind(a);
    const kindB = tokenKind(b);
    const byKind = this.kindSpacing.get(pairKey(kindA, kindB));
    if (byKind !== undefined && byKind !== 0) return byKind > 0;
    return WORDLIKE.has(kindA) && WORDLIKE.has(kindB);
  }
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
