// Nets signed occurrences of n-grams read from a few token arrays (an edited document's old and new
// windows), so that the live memory applies each n-gram's change once, or not at all when it cancels.
// N-grams are compared by their words through a small open-addressing table kept between uses: an
// edit makes no string key and no object per n-gram.

/** N-grams the scratch keeps room for between uses (about 2 MB): an edit needs a few hundred, a new chunk tens of thousands. */
const KEPT_ROOM = 1 << 16;

export class NgramNet {
  /** Per n-gram, in the order first met: where its words are, and its net change. */
  private sources: Int32Array[] = [];
  private from = new Int32Array(256);
  private len = new Int32Array(256);
  private delta = new Int32Array(256);
  private hashes = new Int32Array(256);
  private n = 0;
  /** n-gram + 1 per slot; valid only where `used` holds the current round. */
  private table = new Int32Array(512);
  private used = new Uint32Array(512);
  private round = 1;

  /** Number of distinct n-grams met since the last clear. */
  get size(): number {
    return this.n;
  }

  /** Forgets every n-gram (and the arrays read), keeping the room an edit needs but not what a large change grew. */
  clear(): void {
    this.n = 0;
    this.sources.length = 0;
    if (this.from.length > KEPT_ROOM) {
      this.from = new Int32Array(256);
      this.len = new Int32Array(256);
      this.delta = new Int32Array(256);
      this.hashes = new Int32Array(256);
      this.table = new Int32Array(512);
      this.used = new Uint32Array(512);
      this.round = 1;
    } else if (++this.round === 0xffffffff) {
      this.used.fill(0);
      this.round = 1;
    }
  }

  /** Adds `sign` for the n-gram ids[from..from+k), whose rolling hash (see extendHash) is `hash`. */
  add(ids: Int32Array, from: number, k: number, hash: number, sign: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.used[slot] === this.round) {
      const g = this.table[slot] - 1;
      if (this.hashes[g] === hash && this.len[g] === k && sameWords(this.sources[g], this.from[g], ids, from, k)) {
        this.delta[g] += sign;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.n === this.from.length) this.growRecords();
    const g = this.n++;
    this.sources[g] = ids;
    this.from[g] = from;
    this.len[g] = k;
    this.delta[g] = sign;
    this.hashes[g] = hash;
    this.used[slot] = this.round;
    this.table[slot] = g + 1;
    if (this.n * 2 > this.table.length) this.growTable();
  }

  /** Visits every n-gram whose net change is not 0 and has the sign of `pass`, in the order first met. */
  forEach(pass: 1 | -1, visit: (ids: Int32Array, from: number, k: number, delta: number) => void): void {
    for (let g = 0; g < this.n; g++) {
      const d = this.delta[g];
      if (d !== 0 && Math.sign(d) === pass) visit(this.sources[g], this.from[g], this.len[g], d);
    }
  }

  private growRecords(): void {
    const c = this.from.length * 2;
    const widen = (a: Int32Array) => {
      const out = new Int32Array(c);
      out.set(a);
      return out;
    };
    this.from = widen(this.from);
    this.len = widen(this.len);
    this.delta = widen(this.delta);
    this.hashes = widen(this.hashes);
  }

  private growTable(): void {
    const c = this.table.length * 2;
    this.table = new Int32Array(c);
    this.used = new Uint32Array(c);
    this.round = 1;
    const mask = c - 1;
    for (let g = 0; g < this.n; g++) {
      let slot = this.hashes[g] & mask;
      while (this.used[slot] === 1) slot = (slot + 1) & mask;
      this.used[slot] = 1;
      this.table[slot] = g + 1;
    }
  }
}

/** The hash of an n-gram extended by word `w` (start from 0 for the empty n-gram). */
export function extendHash(hash: number, w: number): number {
  let h = Math.imul(hash ^ w, 0x9e3779b1);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

function sameWords(a: Int32Array, i: number, b: Int32Array, j: number, k: number): boolean {
  if (a === b && i === j) return true;
  for (let t = 0; t < k; t++) if (a[i + t] !== b[j + t]) return false;
  return true;
}
