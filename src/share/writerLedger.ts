// What each writer has net contributed to the team memory, per n-gram: the sum of that writer's
// live batches. The team layer passes every entry through it, and the team memory holds, for each
// n-gram, the sum over writers of max(0, what that writer contributed). So a writer's negative
// entries take away at most what that writer put in, never another writer's counts (issue 10,
// item 8), and no removal dips a count below zero half way. (The team layer drops a negative entry
// for an n-gram its writer has no count of before it gets here, and counts each writer's batches
// of one change in the order they were written, so that a snapshot put back after a deletion is
// counted before the deltas that follow it.)
//
// Cost. One slot per (writer, n-gram) in open-addressing tables of typed arrays: a 64-bit key
// (two 32-bit hashes of the writer and the n-gram's tokens) and the net count as an int32 side by
// side, 12 bytes a slot, a power of two of them, at most 80% full: 15-30 bytes an entry after
// growing (44 at worst right after a rebuild that dropped zeros), with no object or string per
// entry. A net beyond an int32 (a sum of many large deltas) is kept exact in a map by key, its
// slot marked; sums of safe-integer deltas stay exact either way. The slots are split
// into SHARDS tables by key, each grown on its own, so no rebuild moves more than a few
// thousandths of the ledger in one step (one table of 1.2M entries took 100-200 ms to grow, a
// stall of the host). The hashes are seeded at random per process, so no peer can aim
// two n-grams at one slot; by chance, two of 10M entries share a key with odds of about 3 in a
// million, and then their counts are only pooled (the memory still refuses a negative count).
// Slots whose net came back to 0 are dropped whenever the table is rebuilt.
import { randomBytes } from 'node:crypto';
import type { BulkDeltaBatch } from '../memory/bulkDelta';

/** Tables the slots are split into, by the top bits of a key's second hash. */
const SHARDS = 256;
const MIN_CAPACITY = 64;
const MAX_LOAD = 0.8;
/** How full a rebuilt table may be. */
const REBUILT_LOAD = 0.55;

/** A batch's token hashes (two lanes per table entry), computed once per batch. */
export type TokenHashes = Uint32Array;

/** Slot s: keys at words[3s] and words[3s + 1], net count at nets[3s + 2] (views of one buffer). */
interface Shard {
  words: Uint32Array;
  nets: Int32Array;
  capacity: number;
  /** Occupied slots (including those whose net is back at 0). */
  used: number;
}

const SLOT = 3;
const SLOT_BYTES = SLOT * 4;
/** A slot's net that is kept in the map of large nets. */
const LARGE = -0x80000000;

function newShard(capacity: number): Shard {
  const words = new Uint32Array(capacity * SLOT);
  return { words, nets: new Int32Array(words.buffer), capacity, used: 0 };
}

function largeKey(a: number, b: number): string {
  return `${a}:${b}`;
}

export class WriterLedger {
  private readonly seedA: number;
  private readonly seedB: number;
  private shards = Array.from({ length: SHARDS }, () => newShard(MIN_CAPACITY));
  /** The shard of the last slot locate found. */
  private at: Shard = this.shards[0];
  /** The last entry key hashEntry made. */
  private keyA = 0;
  private keyB = 0;
  /** Occupied slots in all shards (including those whose net is back at 0). */
  private used = 0;
  private readonly writerIndex = new Map<string, number>();
  private readonly writerNames: string[] = [];
  /** Nets beyond an int32, by their slot's key (the slot holds LARGE). */
  private readonly largeNets = new Map<string, number>();

  constructor() {
    const seed = randomBytes(8);
    this.seedA = seed.readUInt32LE(0);
    this.seedB = seed.readUInt32LE(4);
  }

  /** Occupied slots: what the ledger holds in memory (bytes() is 12 per slot of capacity). */
  get size(): number {
    return this.used;
  }

  bytes(): number {
    let slots = 0;
    for (const shard of this.shards) slots += shard.capacity;
    return slots * SLOT_BYTES;
  }

  /** Writers seen so far, in order of first appearance. */
  writers(): readonly string[] {
    return this.writerNames;
  }

  /** The hashes of a batch's table, to pass to `add` for each of its entries. */
  hashTable(table: readonly string[]): TokenHashes {
    const hashes = new Uint32Array(table.length * 2);
    for (let t = 0; t < table.length; t++) {
      hashes[2 * t] = hashString(table[t], this.seedA);
      hashes[2 * t + 1] = hashString(table[t], this.seedB);
    }
    return hashes;
  }

  /**
   * Adds `delta` to `writer`'s net count of entry `i` of `batch`; returns the change this makes to
   * the team memory: max(0, net after) - max(0, net before).
   */
  add(writer: string, batch: BulkDeltaBatch, hashes: TokenHashes, i: number, delta: number): number {
    return this.addAt(this.indexOf(writer), batch, hashes, i, delta);
  }

  /**
   * Adds entries [from, to) of `batch`, deltas times `sign`, for `writer`; writes the change each
   * makes to the team memory into `changes` (from index 0).
   */
  addRange(writer: string, batch: BulkDeltaBatch, hashes: TokenHashes, from: number, to: number, sign: 1 | -1, changes: Float64Array): void {
    const w = this.indexOf(writer);
    const laneA = writerLane(this.seedA, w, 0x9e3779b1);
    const laneB = writerLane(this.seedB, w, 0x85ebca77);
    for (let i = from; i < to; i++) changes[i - from] = this.addHashed(laneA, laneB, batch, hashes, i, sign * batch.deltas[i]);
  }

  private addAt(w: number, batch: BulkDeltaBatch, hashes: TokenHashes, i: number, delta: number): number {
    return this.addHashed(writerLane(this.seedA, w, 0x9e3779b1), writerLane(this.seedB, w, 0x85ebca77), batch, hashes, i, delta);
  }

  /** `writer`'s net count of entry `i` of `batch` (0 when it never contributed it); adds no slot. */
  netOfEntry(writer: string, batch: BulkDeltaBatch, hashes: TokenHashes, i: number): number {
    const w = this.writerIndex.get(writer);
    if (w === undefined) return 0;
    this.hashEntry(writerLane(this.seedA, w, 0x9e3779b1), writerLane(this.seedB, w, 0x85ebca77), batch, hashes, i);
    const slot = this.locate(this.keyA, this.keyB, false);
    return slot < 0 ? 0 : this.netAt(this.at, slot);
  }

  /** Entry `i`'s key, from its writer's lanes, into keyA and keyB (fields: nothing is allocated per entry). */
  private hashEntry(laneA: number, laneB: number, batch: BulkDeltaBatch, hashes: TokenHashes, i: number): void {
    let a = laneA;
    let b = laneB;
    const { starts, tokens } = batch;
    for (let k = starts[i], end = starts[i + 1]; k < end; k++) {
      const t = tokens[k] << 1;
      a = mix(a ^ hashes[t]);
      b = mix(b ^ hashes[t + 1]);
    }
    this.keyA = a;
    this.keyB = b;
  }

  private addHashed(laneA: number, laneB: number, batch: BulkDeltaBatch, hashes: TokenHashes, i: number, delta: number): number {
    this.hashEntry(laneA, laneB, batch, hashes, i);
    const slot = this.locate(this.keyA, this.keyB, true);
    const shard = this.at;
    const at = SLOT * slot + 2;
    const stored = shard.nets[at];
    const before = stored === LARGE ? this.netAt(shard, slot) : stored;
    const after = before + delta;
    if (stored !== LARGE && after === (after | 0) && after !== LARGE) shard.nets[at] = after;
    else this.setLarge(shard, slot, after);
    return (after > 0 ? after : 0) - (before > 0 ? before : 0);
  }

  /** The net of a slot. */
  private netAt(shard: Shard, slot: number): number {
    const stored = shard.nets[SLOT * slot + 2];
    return stored === LARGE ? this.largeNets.get(largeKey(shard.words[SLOT * slot], shard.words[SLOT * slot + 1]))! : stored;
  }

  /** Sets a slot's net where it is or will be beyond an int32 (the map holds it while it is). */
  private setLarge(shard: Shard, slot: number, net: number): void {
    const key = largeKey(shard.words[SLOT * slot], shard.words[SLOT * slot + 1]);
    if (net === (net | 0) && net !== LARGE) {
      this.largeNets.delete(key);
      shard.nets[SLOT * slot + 2] = net;
    } else {
      this.largeNets.set(key, net);
      shard.nets[SLOT * slot + 2] = LARGE;
    }
  }

  /** `writer`'s net count of `ngram` (0 when it never contributed it). */
  netOf(writer: string, ngram: readonly string[]): number {
    const w = this.writerIndex.get(writer);
    if (w === undefined) return 0;
    let a = writerLane(this.seedA, w, 0x9e3779b1);
    let b = writerLane(this.seedB, w, 0x85ebca77);
    for (const token of ngram) {
      a = mix(a ^ hashString(token, this.seedA));
      b = mix(b ^ hashString(token, this.seedB));
    }
    const slot = this.locate(a, b, false);
    return slot < 0 ? 0 : this.netAt(this.at, slot);
  }

  /** Empties the ledger (the team memory was cleared). */
  clear(): void {
    this.shards = Array.from({ length: SHARDS }, () => newShard(MIN_CAPACITY));
    this.used = 0;
    this.largeNets.clear();
  }

  private indexOf(writer: string): number {
    let w = this.writerIndex.get(writer);
    if (w === undefined) {
      w = this.writerNames.length;
      this.writerIndex.set(writer, w);
      this.writerNames.push(writer);
    }
    return w;
  }

  /**
   * The slot of key (a, b) in its shard (left in `at`): found, or (when `create`) claimed; -1 when
   * absent and not created.
   */
  private locate(a: number, b: number, create: boolean): number {
    // (0, 0) marks an empty slot: no key may be it.
    if (a === 0 && b === 0) b = 1;
    const shard = (this.at = this.shards[b >>> 24]);
    const { capacity, words } = shard;
    const mask = capacity - 1;
    for (let slot = home(a, b, mask); ; slot = (slot + 1) & mask) {
      const ka = words[SLOT * slot];
      const kb = words[SLOT * slot + 1];
      if (ka === a && kb === b) return slot;
      if (ka === 0 && kb === 0) {
        if (!create) return -1;
        if (shard.used + 1 > capacity * MAX_LOAD) {
          this.rebuild(b >>> 24);
          return this.locate(a, b, true);
        }
        words[SLOT * slot] = a;
        words[SLOT * slot + 1] = b;
        shard.used++;
        this.used++;
        return slot;
      }
    }
  }

  /**
   * Rehashes a shard's slots whose net is not 0 into a table of a power of two slots at most
   * REBUILT_LOAD full with one more. Large nets keep their map entries: the map is by key.
   */
  private rebuild(index: number): void {
    const { words, nets, capacity: old, used } = this.shards[index];
    let live = 0;
    for (let s = 0; s < old; s++) if (nets[SLOT * s + 2] !== 0) live++;
    let capacity = MIN_CAPACITY;
    while (capacity * REBUILT_LOAD < live + 1) capacity *= 2;
    const shard = (this.shards[index] = newShard(capacity));
    const mask = capacity - 1;
    const into = shard.words;
    for (let s = 0; s < old; s++) {
      if (nets[SLOT * s + 2] === 0) continue;
      const a = words[SLOT * s];
      const b = words[SLOT * s + 1];
      let slot = home(a, b, mask);
      while (into[SLOT * slot] !== 0 || into[SLOT * slot + 1] !== 0) slot = (slot + 1) & mask;
      into[SLOT * slot] = a;
      into[SLOT * slot + 1] = b;
      shard.nets[SLOT * slot + 2] = nets[SLOT * s + 2];
      shard.used++;
    }
    this.used += shard.used - used;
  }
}

/** A writer's start of one hash lane. */
function writerLane(seed: number, writer: number, odd: number): number {
  return mix(seed ^ Math.imul(writer + 1, odd));
}

/** Where key (a, b) is looked for first in a table of mask + 1 (a power of two) slots. */
function home(a: number, b: number, mask: number): number {
  return (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
}

/** A seeded 32-bit hash of a string's UTF-16 units (murmur3's mixing). */
function hashString(text: string, seed: number): number {
  let h = seed ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
    h = Math.imul(h, 0x1b873593);
  }
  return mix(h);
}

/** murmur3's finalizer: every input bit moves every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
