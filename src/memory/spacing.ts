// Learns whether a space separates two tokens, per pair of words and per pair of token classes
// (each punctuation mark is its own class; otherwise the token kind), so ghost text reads
// `foo(bar)` and `if (x) {` the way the user writes them.
import { PairTable, grow } from './pairTable';
import { tokenKind } from './tokenizer';
import { HOLE, type Vocabulary } from './vocabulary';
import { MemoryFormatError, NEWLINE, type TokenKind } from './types';

const KIND_CLASS: Record<TokenKind, number> = {
  identifier: 0x110000,
  keyword: 0x110001,
  number: 0x110002,
  word: 0x110003,
  punctuation: 0x110004,
  newline: 0x110005,
};

export function spacingClass(token: string): number {
  const kind = tokenKind(token);
  return kind === 'punctuation' ? (token.codePointAt(0) ?? 0) : KIND_CLASS[kind];
}

export interface SpacingVotes {
  pairSpaced: number;
  pairJoined: number;
  classSpaced: number;
  classJoined: number;
}

/** The spacing table's pairs and class counts, as plain arrays (what a snapshot stores). */
export interface SpacingParts {
  pairA: Int32Array;
  pairB: Int32Array;
  spaced: Uint32Array;
  joined: Uint32Array;
  /** [class pair key, spaced, joined] */
  classes: [number, number, number][];
  /** The pairs' hash index (PairTable layout), when the reader built and checked it already. */
  index?: Int32Array;
}

export class SpacingTable {
  // Set by clear(), which the constructor calls.
  pairs!: PairTable;
  spaced!: Uint32Array;
  joined!: Uint32Array;
  /** class pair key (a * 2^21 + b) -> [spaced, joined] */
  readonly classes = new Map<number, [number, number]>();
  private classOf = new Int32Array(0);

  constructor(private readonly vocab: Vocabulary) {
    this.clear();
  }

  /** The pairs and class counts as views (valid until the table next changes). */
  parts(): SpacingParts {
    const p = this.pairs.size;
    return {
      pairA: this.pairs.keyA.subarray(0, p),
      pairB: this.pairs.keyB.subarray(0, p),
      spaced: this.spaced.subarray(0, p),
      joined: this.joined.subarray(0, p),
      classes: Array.from(this.classes, ([key, [sp, jo]]) => [key, sp, jo]),
    };
  }

  /**
   * Adds saved parts (validated by the reader) to this table; a pair met twice is an error. An
   * empty table takes the parts' arrays as they are when they come with their index (built by
   * the reader, possibly on another thread), which costs nothing here.
   */
  load(parts: SpacingParts): void {
    const { pairA, pairB, spaced, joined } = parts;
    const count = pairA.length;
    if (parts.index && this.pairs.size === 0 && spaced.length === count && joined.length === count) {
      const onGrow = this.pairs.onGrow;
      this.pairs = PairTable.fromArrays(pairA, pairB, count, parts.index);
      this.pairs.onGrow = onGrow;
      this.spaced = spaced;
      this.joined = joined;
    } else {
      this.pairs.reserve(this.pairs.size + count);
      const { spaced: toSpaced, joined: toJoined } = this; // reserved: no growth below
      for (let i = 0; i < count; i++) {
        const p = this.pairs.insertIfAbsent(pairA[i], pairB[i]);
        if (p < 0) throw new MemoryFormatError('duplicate spacing pair');
        toSpaced[p] = spaced[i];
        toJoined[p] = joined[i];
      }
    }
    for (const [key, sp, jo] of parts.classes) this.classes.set(key, [sp, jo]);
  }

  private wordClass(id: number): number {
    if (id >= this.classOf.length) {
      const old = this.classOf.length;
      this.classOf = grow(this.classOf, Math.max(this.vocab.size, old * 2, 64));
      this.classOf.fill(-1, old);
    }
    let c = this.classOf[id];
    if (c < 0) {
      c = spacingClass(this.vocab.word(id));
      this.classOf[id] = c;
    }
    return c;
  }

  /**
   * Adds (sign +1) or removes (-1) the spacing of pairs ending at token positions [from, to) of a
   * document; a bit set in `bits` at i means whitespace preceded token i.
   */
  apply(ids: Int32Array, bits: Uint8Array, from: number, to: number, sign: 1 | -1, newlineId: number): void {
    const hole = HOLE; // a local: some loaders reach an imported constant through a call
    for (let i = Math.max(1, from); i < to; i++) {
      const a = ids[i - 1];
      const b = ids[i];
      if (a === hole || b === hole || a === newlineId || b === newlineId) continue;
      const isSpaced = (bits[i >> 3] >> (i & 7)) & 1;
      let p = this.pairs.find(a, b);
      if (p < 0) {
        if (sign < 0) continue;
        p = this.pairs.insert(a, b);
      }
      const arr = isSpaced ? this.spaced : this.joined;
      if (sign > 0 || arr[p] > 0) arr[p] += sign;
      const key = this.wordClass(a) * 0x200000 + this.wordClass(b);
      let cls = this.classes.get(key);
      if (!cls) {
        if (sign < 0) continue;
        cls = [0, 0];
        this.classes.set(key, cls);
      }
      const slot = isSpaced ? 0 : 1;
      if (sign > 0 || cls[slot] > 0) cls[slot] += sign;
    }
  }

  /** Forgets cached classes of word ids >= size (those ids may be given to other words). */
  forgetWordsFrom(size: number): void {
    if (size < this.classOf.length) this.classOf.fill(-1, size);
  }

  votes(prev: string, next: string, out: SpacingVotes): void {
    if (prev === NEWLINE || next === NEWLINE) return;
    const a = this.vocab.get(prev);
    const b = this.vocab.get(next);
    if (a !== undefined && b !== undefined) {
      const p = this.pairs.find(a, b);
      if (p >= 0) {
        out.pairSpaced += this.spaced[p];
        out.pairJoined += this.joined[p];
      }
    }
    const cls = this.classes.get(spacingClass(prev) * 0x200000 + spacingClass(next));
    if (cls) {
      out.classSpaced += cls[0];
      out.classJoined += cls[1];
    }
  }

  clear(): void {
    this.pairs = new PairTable(256);
    this.spaced = new Uint32Array(this.pairs.capacity);
    this.joined = new Uint32Array(this.pairs.capacity);
    this.pairs.onGrow = (c) => {
      this.spaced = grow(this.spaced, c);
      this.joined = grow(this.joined, c);
    };
    this.classes.clear();
    this.classOf = new Int32Array(0);
  }

  get bytes(): number {
    return this.pairs.bytes + this.spaced.byteLength + this.joined.byteLength;
  }
}

/** Decides spacing from votes: the pair's own habit first, then its classes', then a default. */
export function shouldSpace(prev: string, next: string, votes: SpacingVotes): boolean {
  if (votes.pairSpaced + votes.pairJoined > 0) return votes.pairSpaced > votes.pairJoined;
  if (votes.classSpaced + votes.classJoined > 0) return votes.classSpaced > votes.classJoined;
  const a = tokenKind(prev);
  const b = tokenKind(next);
  const wordy = (k: TokenKind) => k === 'identifier' || k === 'keyword' || k === 'number' || k === 'word';
  if (wordy(a) && wordy(b)) return true;
  if (b === 'punctuation') return /^[=+\-*/<>&|?:{]$/.test(next) && !/^[([.]$/.test(prev);
  return /^[,;:=+\-*/<>&|?)}]$/.test(prev);
}

/**
 * A live memory's spacing: its index's table, never written, and the changes made since in a table
 * of their own, so the live memory makes no copy of the index's table (113 MB at 50M tokens). The
 * changes' pair counts are uint32 deltas that wrap: the index's count plus the change, mod 2^32, is
 * the current count exactly, since a current count is never negative. Counts move as one table's
 * would: a removal takes one from the current count only while it is above zero, and a pair or class
 * pair that neither table holds is not created by a removal.
 */
export class LayeredSpacing {
  readonly changes: SpacingTable;
  /**
   * Spacing classes of the words edits met, by id: a table's own cache is an array as long as the
   * vocabulary, which the first edit of a session would allocate and fill (1.3M words at 50M tokens).
   * A live vocabulary never gives a forgotten word's id to another word, so entries stay right.
   */
  private readonly classOf = new Map<number, number>();

  constructor(
    private readonly base: SpacingTable,
    private readonly vocab: Vocabulary,
  ) {
    this.changes = new SpacingTable(vocab);
  }

  apply(ids: Int32Array, bits: Uint8Array, from: number, to: number, sign: 1 | -1, newlineId: number): void {
    const hole = HOLE;
    const { base, changes } = this;
    for (let i = Math.max(1, from); i < to; i++) {
      const a = ids[i - 1];
      const b = ids[i];
      if (a === hole || b === hole || a === newlineId || b === newlineId) continue;
      const isSpaced = (bits[i >> 3] >> (i & 7)) & 1;
      const q = base.pairs.find(a, b);
      let p = changes.pairs.find(a, b);
      if (p < 0) {
        if (sign < 0 && q < 0) continue;
        p = changes.pairs.insert(a, b);
      }
      const own = isSpaced ? changes.spaced : changes.joined;
      const current = ((q >= 0 ? (isSpaced ? base.spaced : base.joined)[q] : 0) + own[p]) >>> 0;
      if (sign > 0 || current > 0) own[p] = (own[p] + sign) >>> 0;
      const key = this.wordClass(a) * 0x200000 + this.wordClass(b);
      const baseCls = base.classes.get(key);
      let cls = changes.classes.get(key);
      if (!cls) {
        if (sign < 0 && !baseCls) continue;
        cls = [0, 0];
        changes.classes.set(key, cls);
      }
      const slot = isSpaced ? 0 : 1;
      if (sign > 0 || (baseCls?.[slot] ?? 0) + cls[slot] > 0) cls[slot] += sign;
    }
  }

  votes(prev: string, next: string, out: SpacingVotes): void {
    if (prev === NEWLINE || next === NEWLINE) return;
    const { base, changes } = this;
    const a = this.vocab.get(prev);
    const b = this.vocab.get(next);
    if (a !== undefined && b !== undefined) {
      const q = base.pairs.find(a, b);
      const p = changes.pairs.find(a, b);
      if (q >= 0 || p >= 0) {
        out.pairSpaced += ((q >= 0 ? base.spaced[q] : 0) + (p >= 0 ? changes.spaced[p] : 0)) >>> 0;
        out.pairJoined += ((q >= 0 ? base.joined[q] : 0) + (p >= 0 ? changes.joined[p] : 0)) >>> 0;
      }
    }
    const key = spacingClass(prev) * 0x200000 + spacingClass(next);
    const baseCls = base.classes.get(key);
    const cls = changes.classes.get(key);
    if (baseCls || cls) {
      out.classSpaced += (baseCls?.[0] ?? 0) + (cls?.[0] ?? 0);
      out.classJoined += (baseCls?.[1] ?? 0) + (cls?.[1] ?? 0);
    }
  }

  private wordClass(id: number): number {
    let c = this.classOf.get(id);
    if (c === undefined) this.classOf.set(id, (c = spacingClass(this.vocab.word(id))));
    return c;
  }

  /** Bytes of the changes (the index's table is the index's). */
  get bytes(): number {
    return this.changes.bytes;
  }
}
