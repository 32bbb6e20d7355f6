// Open-addressing hash from a pair of int32 keys to a dense id (0, 1, 2, ... in insertion order).
// Keys live in typed arrays indexed by id; the probe index holds ids. No per-entry objects.
const EMPTY = -1;

export function hashPair(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}

export class PairTable {
  keyA: Int32Array;
  keyB: Int32Array;
  index: Int32Array;
  size = 0;
  private mask: number;
  /** Called after the key arrays grew, so owners can grow their value arrays to `capacity`. */
  onGrow: (capacity: number) => void = () => {};

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.keyA = new Int32Array(cap);
    this.keyB = new Int32Array(cap);
    let slots = 32;
    while (slots < cap * 1.5) slots *= 2;
    this.index = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  get capacity(): number {
    return this.keyA.length;
  }

  find(a: number, b: number): number {
    const { index, keyA, keyB, mask } = this;
    let slot = hashPair(a, b) & mask;
    for (;;) {
      const id = index[slot];
      if (id === EMPTY) return -1;
      if (keyA[id] === a && keyB[id] === b) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** Adds a pair known to be absent and returns its new id. */
  insert(a: number, b: number): number {
    if (this.size === this.keyA.length) this.growKeys();
    if ((this.size + 1) * 10 > this.index.length * 7) this.rehash(this.index.length * 2);
    const id = this.size++;
    this.keyA[id] = a;
    this.keyB[id] = b;
    this.place(id);
    return id;
  }

  /** Adds a pair when absent and returns its new id, or -1 when it is already there (one probe). */
  insertIfAbsent(a: number, b: number): number {
    if (this.size === this.keyA.length) this.growKeys();
    if ((this.size + 1) * 10 > this.index.length * 7) this.rehash(this.index.length * 2);
    const { index, keyA, keyB, mask } = this;
    let slot = hashPair(a, b) & mask;
    for (;;) {
      const id = index[slot];
      if (id === EMPTY) break;
      if (keyA[id] === a && keyB[id] === b) return -1;
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    keyA[id] = a;
    keyB[id] = b;
    index[slot] = id;
    return id;
  }

  /** Makes room for `capacity` pairs at once (a bulk load then never grows or rehashes). */
  reserve(capacity: number): void {
    if (capacity > this.keyA.length) {
      this.keyA = grow(this.keyA, capacity);
      this.keyB = grow(this.keyB, capacity);
      this.onGrow(capacity);
    }
    let slots = this.index.length;
    while (capacity * 10 > slots * 7) slots *= 2;
    if (slots !== this.index.length) this.rehash(slots);
  }

  private place(id: number): void {
    const { index, mask } = this;
    let slot = hashPair(this.keyA[id], this.keyB[id]) & mask;
    while (index[slot] !== EMPTY) slot = (slot + 1) & mask;
    index[slot] = id;
  }

  private growKeys(): void {
    const cap = Math.ceil(this.keyA.length * 1.5);
    this.keyA = grow(this.keyA, cap);
    this.keyB = grow(this.keyB, cap);
    this.onGrow(cap);
  }

  rehash(slots: number): void {
    this.index = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
  }

  /** Restores a table from saved arrays (validated by the caller). */
  static fromArrays(keyA: Int32Array, keyB: Int32Array, size: number, index?: Int32Array): PairTable {
    const t = new PairTable(16);
    t.keyA = keyA;
    t.keyB = keyB;
    t.size = size;
    if (index && index.length >= 32 && (index.length & (index.length - 1)) === 0 && size * 10 <= index.length * 7) {
      t.index = index;
      t.mask = index.length - 1;
    } else {
      let slots = 32;
      while (slots * 7 < Math.max(size, 16) * 10 * 1.4) slots *= 2;
      t.rehash(slots);
    }
    return t;
  }

  get bytes(): number {
    return this.keyA.byteLength + this.keyB.byteLength + this.index.byteLength;
  }
}

export function grow<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(a: T, capacity: number): T {
  const next = new (a.constructor as { new (n: number): T })(capacity);
  next.set(a.subarray(0, Math.min(a.length, capacity)) as never);
  return next;
}
