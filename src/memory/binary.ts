// Bounds-checked binary reading and writing for the codecs. Every read past the end or any malformed
// value throws MemoryFormatError, so decoders never crash on hostile bytes.
import { MemoryFormatError } from './types';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buf[this.length++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
  }

  /** Unsigned LEB128 for integers up to 2^53. */
  varint(value: number): void {
    this.reserve(8);
    while (value >= 0x80) {
      this.buf[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buf[this.length++] = value;
  }

  /** Signed integer as zigzag varint. */
  zigzag(value: number): void {
    this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  string(value: string): void {
    const data = encoder.encode(value);
    this.varint(data.length);
    this.bytes(data);
  }

  /** Pads with zeros so the next write starts at a multiple of `alignment`. */
  align(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }

  /** A typed array's raw little-endian bytes, 4-byte aligned so it can be viewed in place on load. */
  array32(data: Int32Array | Uint32Array): void {
    this.varint(data.length);
    this.align(4);
    this.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** A trimmed copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** What was written, without a copy (a view into the writer's buffer, which may be larger). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export class ByteReader {
  offset: number;
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    start = 0,
    readonly end = data.length,
  ) {
    this.offset = start;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (this.offset + n > this.end) throw new MemoryFormatError(`truncated data: ${what} runs past the end`);
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.data[this.offset++];
  }

  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  varint(what = 'integer', max = Number.MAX_SAFE_INTEGER): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8(what);
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > max) throw new MemoryFormatError(`${what} out of range: ${result} > ${max}`);
        return result;
      }
      scale *= 0x80;
    }
    throw new MemoryFormatError(`${what} is not a valid varint`);
  }

  zigzag(what = 'integer', maxAbs = Number.MAX_SAFE_INTEGER): number {
    const z = this.varint(what, 2 * maxAbs + 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  string(what = 'string', maxBytes = 1 << 20): string {
    const n = this.varint(`${what} length`, maxBytes);
    const raw = this.bytes(n, what);
    try {
      return decoder.decode(raw);
    } catch {
      throw new MemoryFormatError(`${what} is not valid UTF-8`);
    }
  }

  align(alignment: number): void {
    const rel = this.offset % alignment;
    if (rel !== 0) this.bytes(alignment - rel, 'padding');
  }

  /** A little-endian int32 array: a view into the data when aligned (copy it to keep it), else a copy. */
  int32Array(what: string, maxLength: number): Int32Array {
    const n = this.varint(`${what} length`, maxLength);
    this.align(4);
    const raw = this.bytes(n * 4, what);
    if (raw.byteOffset % 4 === 0) return new Int32Array(raw.buffer, raw.byteOffset, n);
    const out = new Int32Array(n);
    new Uint8Array(out.buffer).set(raw);
    return out;
  }

  uint32Array(what: string, maxLength: number): Uint32Array {
    const a = this.int32Array(what, maxLength);
    return new Uint32Array(a.buffer, a.byteOffset, a.length);
  }
}

/**
 * A fast 32-bit checksum over bytes (word-wise multiply-xor mixing). It detects accidental
 * corruption and truncation; it is not a cryptographic MAC.
 */
export function checksum32(data: Uint8Array, start = 0, end = data.length): number {
  const words = Math.floor((end - start) / 4);
  // Four independent lanes over interleaved words keep the CPU's multipliers busy.
  let h0 = 0x811c9dc5 ^ (end - start);
  let h1 = 0x01000193;
  let h2 = 0x9e3779b1;
  let h3 = 0x85ebca6b;
  if (words > 0) {
    // Words are counted from `start`, whatever the buffer's alignment (copy when misaligned).
    const aligned = (data.byteOffset + start) % 4 === 0;
    // Uint8Array's own slice: a Node Buffer's slice() would be a view, not the aligned copy needed.
    const source = aligned ? data : Uint8Array.prototype.slice.call(data, start, start + words * 4);
    const view = new Uint32Array(source.buffer, aligned ? data.byteOffset + start : 0, words);
    const quads = words & ~3;
    for (let w = 0; w < quads; w += 4) {
      h0 = Math.imul(h0 ^ view[w], 0x9e3779b1);
      h1 = Math.imul(h1 ^ view[w + 1], 0x85ebca77);
      h2 = Math.imul(h2 ^ view[w + 2], 0xc2b2ae3d);
      h3 = Math.imul(h3 ^ view[w + 3], 0x27d4eb2f);
      h0 ^= h0 >>> 15;
      h1 ^= h1 >>> 13;
      h2 ^= h2 >>> 16;
      h3 ^= h3 >>> 14;
    }
    for (let w = quads; w < words; w++) h0 = Math.imul(h0 ^ view[w], 0x9e3779b1) ^ (h0 >>> 15);
  }
  let h = h0 ^ Math.imul(h1, 3) ^ Math.imul(h2, 5) ^ Math.imul(h3, 7);
  for (let i = start + words * 4; i < end; i++) h = Math.imul(h ^ data[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
