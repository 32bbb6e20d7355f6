// Compact storage of a document's word ids as unsigned LEB128 varints (most ids fit in 1-3 bytes).

export function encodeIds(ids: ArrayLike<number>): Uint8Array {
  let size = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    size += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < ids.length; i++) {
    let v = ids[i] >>> 0;
    while (v >= 0x80) {
      out[o++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[o++] = v;
  }
  return out;
}

/** Decodes `length` ids; returns undefined when the bytes do not hold exactly that many. */
export function decodeIds(bytes: Uint8Array, length: number): Int32Array | undefined {
  const out = new Int32Array(length);
  let o = 0;
  let i = 0;
  while (o < length) {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= bytes.length || shift > 28) return undefined;
      const b = bytes[i++];
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    out[o++] = v;
  }
  return i === bytes.length ? out : undefined;
}

/**
 * Checks, without decoding into an array, that `bytes` hold exactly `length` ids, each below
 * `limit`: 'ok', 'malformed' (wrong count or bad varint) or 'unknown' (an id out of range).
 */
export function checkIds(bytes: Uint8Array, length: number, limit: number): 'ok' | 'malformed' | 'unknown' {
  const n = bytes.length;
  let i = 0;
  for (let o = 0; o < length; o++) {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= n || shift > 28) return 'malformed';
      const b = bytes[i++];
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (v >>> 0 >= limit) return 'unknown';
  }
  return i === n ? 'ok' : 'malformed';
}
