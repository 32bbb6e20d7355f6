// Binary packing of a light field: one ArrayBuffer the host hands to the webview in a single
// postMessage (VS Code transfers typed arrays as binary), instead of 100k-element JSON arrays.
//
// Layout (little endian, every section 4-byte aligned):
//   magic 'LNF1' | u32 version | u32 neurons N | u32 rays E | u32 textBytes | 4 x f64 stats
//   u32 wordOffsets[N+1] | u8 text[textBytes] | pad | f32 count[N] | f32 recency[N]
//   u8 tone[N] | u8 flags[N] | pad | u32 from[E] | u32 to[E] | f32 weight[E]

/** A neuron came from the local memory, the team layer, or both. */
export const FLAG_LOCAL = 1;
export const FLAG_TEAM = 2;

export interface FieldStats {
  /** Words in the whole memory (the field shows at most N of them). */
  vocabulary: number;
  ngrams: number;
  tokens: number;
  /** Words that only the team layer knows. */
  teamWords: number;
}

export interface LightField {
  /** Increases with every snapshot, so the webview can tell which frame shows which change. */
  version: number;
  words: string[];
  /** Occurrences of each word. */
  count: Float32Array;
  /** 1 = used just now, fading towards 0 for words not seen in a long while. */
  recency: Float32Array;
  /** Index into TONES. */
  tone: Uint8Array;
  /** FLAG_LOCAL | FLAG_TEAM. */
  flags: Uint8Array;
  /** Rays: from word `from[i]` to its likely successor `to[i]` with transition probability `weight[i]`. */
  from: Uint32Array;
  to: Uint32Array;
  weight: Float32Array;
  stats: FieldStats;
}

export class FieldFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldFormatError';
  }
}

const MAGIC = 0x31464e4c; // 'LNF1' read as little-endian u32
const HEADER_BYTES = 4 * 5 + 8 * 4;
const align4 = (n: number): number => (n + 3) & ~3;

export function packField(field: LightField): Uint8Array {
  const n = field.words.length;
  const e = field.from.length;
  if (field.count.length !== n || field.recency.length !== n || field.tone.length !== n || field.flags.length !== n) {
    throw new RangeError('Per-neuron arrays must have one entry per word');
  }
  if (field.to.length !== e || field.weight.length !== e) throw new RangeError('Ray arrays must have equal lengths');

  const encoder = new TextEncoder();
  const encoded = field.words.map((w) => encoder.encode(w));
  const textBytes = encoded.reduce((sum, b) => sum + b.length, 0);
  const size = HEADER_BYTES + 4 * (n + 1) + align4(textBytes) + 8 * n + align4(2 * n) + 12 * e;
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, field.version >>> 0, true);
  view.setUint32(8, n, true);
  view.setUint32(12, e, true);
  view.setUint32(16, textBytes, true);
  const s = field.stats;
  [s.vocabulary, s.ngrams, s.tokens, s.teamWords].forEach((v, i) => view.setFloat64(20 + 8 * i, v, true));

  let at = HEADER_BYTES;
  const offsets = new Uint32Array(buffer, at, n + 1);
  at += 4 * (n + 1);
  const text = new Uint8Array(buffer, at, textBytes);
  let cursor = 0;
  encoded.forEach((bytes, i) => {
    offsets[i] = cursor;
    text.set(bytes, cursor);
    cursor += bytes.length;
  });
  offsets[n] = cursor;
  at += align4(textBytes);
  new Float32Array(buffer, at, n).set(field.count);
  at += 4 * n;
  new Float32Array(buffer, at, n).set(field.recency);
  at += 4 * n;
  new Uint8Array(buffer, at, n).set(field.tone);
  new Uint8Array(buffer, at + n, n).set(field.flags);
  at += align4(2 * n);
  new Uint32Array(buffer, at, e).set(field.from);
  at += 4 * e;
  new Uint32Array(buffer, at, e).set(field.to);
  at += 4 * e;
  new Float32Array(buffer, at, e).set(field.weight);
  return new Uint8Array(buffer);
}

/** Decodes without copying the numeric sections (they view the given bytes). */
export function unpackField(bytes: Uint8Array): LightField {
  // Typed-array views need 4-byte alignment: copy once if the message arrived unaligned.
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  if (bytes.byteLength < HEADER_BYTES) throw new FieldFormatError('Light field is truncated (no header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new FieldFormatError('Not a light field (bad magic)');
  const version = view.getUint32(4, true);
  const n = view.getUint32(8, true);
  const e = view.getUint32(12, true);
  const textBytes = view.getUint32(16, true);
  const stats: FieldStats = {
    vocabulary: view.getFloat64(20, true),
    ngrams: view.getFloat64(28, true),
    tokens: view.getFloat64(36, true),
    teamWords: view.getFloat64(44, true),
  };
  const expected = HEADER_BYTES + 4 * (n + 1) + align4(textBytes) + 8 * n + align4(2 * n) + 12 * e;
  if (bytes.byteLength !== expected) {
    throw new FieldFormatError(`Light field has ${bytes.byteLength} bytes, its header says ${expected}`);
  }
  const base = bytes.byteOffset;
  let at = base + HEADER_BYTES;
  const offsets = new Uint32Array(bytes.buffer, at, n + 1);
  at += 4 * (n + 1);
  const text = new Uint8Array(bytes.buffer, at, textBytes);
  at += align4(textBytes);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const words = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    if (start > end || end > textBytes) throw new FieldFormatError(`Word ${i} lies outside the text section`);
    words[i] = decoder.decode(text.subarray(start, end));
  }
  const count = new Float32Array(bytes.buffer, at, n);
  at += 4 * n;
  const recency = new Float32Array(bytes.buffer, at, n);
  at += 4 * n;
  const tone = new Uint8Array(bytes.buffer, at, n);
  const flags = new Uint8Array(bytes.buffer, at + n, n);
  at += align4(2 * n);
  const from = new Uint32Array(bytes.buffer, at, e);
  at += 4 * e;
  const to = new Uint32Array(bytes.buffer, at, e);
  at += 4 * e;
  const weight = new Float32Array(bytes.buffer, at, e);
  for (let i = 0; i < e; i++) {
    if (from[i] >= n || to[i] >= n) throw new FieldFormatError(`Ray ${i} points at a neuron that does not exist`);
  }
  return { version, words, count, recency, tone, flags, from, to, weight, stats };
}
