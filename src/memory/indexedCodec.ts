// The file format of an indexed memory (engine v2): a table of sections, each checksummed, then
// the sections as raw little-endian arrays. Writing hands the arrays to the file as they are (no
// joined copy of a memory of gigabytes) and reading fills each array straight from the file, so a
// memory loads at the speed of the disk plus one validating pass. Every index a reader will follow
// is checked, so truncated, corrupted or foreign files raise MemoryFormatError, never a crash.
//
// Layout: "LNIX" | version u8 | 3 zero bytes | section count u32 | per section: byte length
// (two u32, low first) and checksum u32 | table checksum u32 | sections, each padded to 8 bytes.
// Section 0 is the meta section (order, words, documents, spacing classes, derived numbers).
import { ByteReader, ByteWriter, checksum32 } from './binary';
import { IndexedMemory, type DocumentTable } from './indexedMemory';
import { SpacingTable, type SpacingParts } from './spacing';
import { SuffixIndex } from './suffixIndex';
import { SUMMARY_RESERVE, TOP_CHILDREN } from './levelScorer';
import { Vocabulary } from './vocabulary';
import { runSteps } from './steps';
import { MemoryFormatError } from './types';

const MAGIC = [0x4c, 0x4e, 0x49, 0x58]; // "LNIX"
/** Version 2 keeps SUMMARY_RESERVE children per summary; version 1 (still read) kept TOP_CHILDREN. */
export const INDEXED_VERSION = 2;
const MAX_ORDER = 12;
const MAX_ITEMS = 0x7fffffff;

/** Sections of a memory of this order: 12, two per order 2..order-1, three per order 1..order-1. */
function sectionCount(order: number): number {
  return FIXED_SECTIONS + 2 * Math.max(0, order - 2) + 3 * Math.max(0, order - 1);
}
const FIXED_SECTIONS = 12;

/** Is this the start of an indexed memory file (any version)? */
export function isIndexedMemory(head: Uint8Array): boolean {
  return head.length >= 4 && MAGIC.every((b, i) => head[i] === b);
}

/** The sections of a memory, in file order: bytes to write, each a view of the memory's arrays. */
export function indexedSections(memory: IndexedMemory): Uint8Array[] {
  const index = memory.index.parts();
  const spacing = memory.spacing.parts();
  const meta = new ByteWriter(1024 + memory.vocab.words.length * 8 + memory.documents.ids.length * 48);
  meta.varint(index.order);
  // The words as one UTF-8 text and their lengths (UTF-16 units): one decode, then slices.
  const words = memory.vocab.words;
  meta.varint(words.length);
  for (const word of words) meta.varint(word.length);
  meta.string(words.join(''));
  const { ids, starts, lengths } = memory.documents;
  meta.varint(ids.length);
  for (let i = 0; i < ids.length; i++) {
    meta.string(ids[i]);
    meta.varint(starts[i]);
    meta.varint(lengths[i]);
  }
  meta.varint(spacing.classes.length);
  for (const [key, sp, jo] of spacing.classes) {
    meta.varint(key);
    meta.varint(sp);
    meta.varint(jo);
  }
  for (const x of index.derived) meta.varint(x);
  const bytesOf = (a: Int32Array | Uint32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const sections = [
    meta.written(),
    bytesOf(index.tokens),
    bytesOf(memory.spacedBits),
    bytesOf(index.positions),
    bytesOf(index.firstOf),
    bytesOf(index.unigramCont),
    bytesOf(spacing.pairA),
    bytesOf(spacing.pairB),
    bytesOf(spacing.spaced),
    bytesOf(spacing.joined),
    // The pairs' hash index, so a reader need not rebuild it (millions of pairs: most of a load).
    bytesOf(memory.spacing.pairs.index),
    // The words' lookup, so a reader builds no Map of every word.
    bytesOf(Vocabulary.lookupOf(memory.vocab.words)),
  ];
  for (let d = 2; d < index.order; d++) sections.push(bytesOf(index.contStarts[d]), bytesOf(index.contValues[d]));
  for (let d = 1; d < index.order; d++) {
    const stats = index.summaryStats[d];
    sections.push(bytesOf(index.summaryStarts[d]), new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength), bytesOf(index.summaryTop[d]));
  }
  return sections;
}

/** The file's parts: the header and table, then each section and its padding. */
export function encodeIndexedMemory(memory: IndexedMemory): Uint8Array[] {
  return encodeSections(indexedSections(memory));
}

/** The file's bytes, as parts, for sections made by indexedSections (or read by readIndexedSections). */
export function encodeSections(sections: readonly Uint8Array[]): Uint8Array[] {
  const head = new ByteWriter(16 + sections.length * 12);
  for (const b of MAGIC) head.u8(b);
  head.u8(INDEXED_VERSION);
  head.u8(0);
  head.u8(0);
  head.u8(0);
  head.u32(sections.length);
  const tableStart = head.length;
  for (const s of sections) {
    head.u32(s.length % 0x100000000);
    head.u32(Math.floor(s.length / 0x100000000));
    head.u32(checksum32(s));
  }
  const table = head.written();
  head.u32(checksum32(table, tableStart, table.length));
  head.align(8);
  const parts: Uint8Array[] = [head.finish()];
  for (const s of sections) {
    parts.push(s);
    const pad = (8 - (s.length % 8)) % 8;
    if (pad) parts.push(new Uint8Array(pad));
  }
  return parts;
}

/** Reads `length` bytes at `position` of a source (a file, or bytes in memory) into `into`. */
export type ReadAt = (into: Uint8Array, position: number) => Promise<number> | number;

/** Decodes an indexed memory from bytes in memory (tests, small files). */
export function decodeIndexedMemory(bytes: Uint8Array): Promise<IndexedMemory> {
  return readIndexedMemory((into, position) => {
    const available = Math.max(0, Math.min(into.length, bytes.length - position));
    into.set(bytes.subarray(position, position + available));
    return available;
  }, bytes.length);
}

/**
 * Reads and validates an indexed memory through `readAt` from a source of `size` bytes. Each
 * section is read into an array of its own and checked against its checksum.
 */
export async function readIndexedMemory(readAt: ReadAt, size: number): Promise<IndexedMemory> {
  return (await readIndexedSections(readAt, size)).memory;
}

/**
 * readIndexedMemory that also returns the validated sections the memory views (each in a buffer
 * from `alloc`, e.g. shared memory another thread can take with memoryFromSections).
 */
export async function readIndexedSections(
  readAt: ReadAt,
  size: number,
  alloc: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
): Promise<{ memory: IndexedMemory; sections: Uint8Array[] }> {
  const fixed = new Uint8Array(12);
  await readExactly(readAt, fixed, 0, 'header');
  if (!isIndexedMemory(fixed)) throw new MemoryFormatError('not a Light Network indexed memory (bad magic)');
  const version = fixed[4];
  if (version !== INDEXED_VERSION && version !== 1) throw new MemoryFormatError(`unsupported indexed memory version ${version} (this build reads 1 to ${INDEXED_VERSION})`);
  const count = new DataView(fixed.buffer).getUint32(8, true);
  if (count < FIXED_SECTIONS || count > sectionCount(MAX_ORDER)) throw new MemoryFormatError(`implausible section count ${count}`);
  const table = new Uint8Array(count * 12 + 4);
  await readExactly(readAt, table, 12, 'section table');
  const tr = new ByteReader(table);
  const lengths: number[] = [];
  const sums: number[] = [];
  for (let i = 0; i < count; i++) {
    const low = tr.u32();
    const high = tr.u32();
    lengths.push(high * 0x100000000 + low);
    sums.push(tr.u32());
  }
  if (tr.u32() !== checksum32(table, 0, count * 12)) throw new MemoryFormatError('section table checksum mismatch');
  let position = 12 + table.length;
  const headPad = new Uint8Array((8 - (position % 8)) % 8);
  if (headPad.length > 0) {
    await readExactly(readAt, headPad, position, 'header padding');
    if (headPad.some((b) => b !== 0)) throw new MemoryFormatError('stray bytes after the section table');
  }
  position += headPad.length;
  const expected = lengths.reduce((sum, n) => sum + n + ((8 - (n % 8)) % 8), position);
  if (expected !== size) throw new MemoryFormatError(`file is ${size} bytes, its sections say ${expected} (truncated or extended)`);
  const sections: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    // Each section in a buffer of its own, 8-byte aligned, so arrays can view it in place.
    const padded = alloc(Math.ceil(lengths[i] / 8) * 8);
    await readExactly(readAt, padded, position, `section ${i}`);
    const bytes = padded.subarray(0, lengths[i]);
    if (checksum32(bytes) !== sums[i]) throw new MemoryFormatError(`section ${i} checksum mismatch (corrupted file)`);
    for (let k = lengths[i]; k < padded.length; k++) if (padded[k] !== 0) throw new MemoryFormatError(`section ${i} is followed by stray bytes`);
    sections.push(bytes);
    position += lengths[i] + ((8 - (lengths[i] % 8)) % 8);
  }
  return { memory: runSteps(fromSections(sections, false)), sections };
}

/**
 * The memory over sections that readIndexedSections (or indexedSections) gave, possibly on another
 * thread. `trusted` skips the passes over every token and position, which those checked already.
 */
export function memoryFromSections(sections: Uint8Array[], trusted: boolean): IndexedMemory {
  return runSteps(fromSections(sections, trusted));
}

/** memoryFromSections, yielding between pieces of a few ms (words and documents come in pieces). */
export function memoryFromSectionsInSteps(sections: Uint8Array[], trusted: boolean): Generator<void, IndexedMemory> {
  return fromSections(sections, trusted);
}

async function readExactly(readAt: ReadAt, into: Uint8Array, position: number, what: string): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const n = await readAt(into.subarray(done), position + done);
    if (n <= 0) throw new MemoryFormatError(`truncated file: ${what} runs past the end`);
    done += n;
  }
}

/**
 * The spacing pairs with their saved hash index, checked in sequential passes: every word id known,
 * every slot empty (-1) or naming each pair exactly once, some slot empty (so a probe ends).
 */
function checkSpacingIndex(parts: SpacingParts, index: Int32Array, wordCount: number): SpacingParts {
  const { pairA, pairB, spaced, joined } = parts;
  const pairs = pairA.length;
  if (pairB.length !== pairs || spaced.length !== pairs || joined.length !== pairs) throw new MemoryFormatError('spacing arrays disagree in length');
  for (let i = 0; i < pairs; i++) {
    if (!(pairA[i] > 0 && pairA[i] < wordCount && pairB[i] > 0 && pairB[i] < wordCount)) throw new MemoryFormatError('spacing pair refers to an unknown word');
  }
  if (index.length <= pairs || (index.length & (index.length - 1)) !== 0) throw new MemoryFormatError('spacing index has the wrong size');
  const seen = new Uint8Array(pairs);
  let placed = 0;
  for (let slot = 0; slot < index.length; slot++) {
    const id = index[slot];
    if (id === -1) continue;
    if (!(id >= 0 && id < pairs) || seen[id]) throw new MemoryFormatError('spacing index names a pair twice or an unknown one');
    seen[id] = 1;
    placed++;
  }
  if (placed !== pairs) throw new MemoryFormatError('spacing index misses pairs');
  return { ...parts, index };
}

function int32s(bytes: Uint8Array, what: string): Int32Array {
  if (bytes.length % 4 !== 0) throw new MemoryFormatError(`${what} is not a whole number of integers`);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

function* fromSections(sections: Uint8Array[], trusted: boolean): Generator<void, IndexedMemory> {
  const r = new ByteReader(sections[0]);
  const order = r.varint('order', MAX_ORDER);
  if (order < 1) throw new MemoryFormatError(`invalid order ${order}`);
  if (sections.length !== sectionCount(order)) throw new MemoryFormatError('section count does not match the order');
  const wordCount = r.varint('word count', MAX_ITEMS);
  if (wordCount < 1) throw new MemoryFormatError('a vocabulary holds at least the hole');
  const wordLengths = new Int32Array(wordCount);
  for (let i = 0; i < wordCount; i++) wordLengths[i] = r.varint('word length', MAX_ITEMS);
  const joined = r.string('words', MAX_ITEMS);
  // The frozen vocabulary takes this array as its own. Pushed, not made with its length: such an
  // array has holes as far as the engine knows, a second kind of words array for the code reading them.
  const words: string[] = [];
  let at = 0;
  for (let i = 0; i < wordCount; i++) {
    words.push(joined.slice(at, at + wordLengths[i]));
    at += wordLengths[i];
    if ((i & 0xffff) === 0xffff) yield;
  }
  if (at !== joined.length) throw new MemoryFormatError('word lengths do not match the words');
  const tokens = int32s(sections[1], 'tokens');
  const T = tokens.length;
  const docCount = r.varint('document count', MAX_ITEMS);
  const documents: DocumentTable = { ids: [], starts: new Float64Array(docCount), lengths: new Int32Array(docCount) };
  const seen = new Set<string>();
  for (let i = 0; i < docCount; i++) {
    const id = r.string('document id');
    if (seen.has(id)) throw new MemoryFormatError(`document ${id} appears twice`);
    seen.add(id);
    const start = r.varint('document start', T);
    const length = r.varint('document length', T);
    if (start < 1 || start + length >= T || tokens[start - 1] !== 0 || tokens[start + length] !== 0) {
      throw new MemoryFormatError(`document ${id} lies outside the stream`);
    }
    documents.ids.push(id);
    documents.starts[i] = start;
    documents.lengths[i] = length;
    if ((i & 0x3fff) === 0x3fff) yield;
  }
  yield;
  const classCount = r.varint('spacing classes', MAX_ITEMS);
  const classes: [number, number, number][] = [];
  for (let i = 0; i < classCount; i++) classes.push([r.varint('class key'), r.varint('class count', 0xffffffff), r.varint('class count', 0xffffffff)]);
  const derived = new Float64Array(SuffixIndex.derivedLength(order));
  for (let i = 0; i < derived.length; i++) derived[i] = r.varint('derived number');

  // The stream: ids inside the vocabulary, HOLE at both ends.
  if (T < 1 || tokens[0] !== 0 || tokens[T - 1] !== 0) throw new MemoryFormatError('the token stream must start and end with the hole');
  const positions = int32s(sections[3], 'positions');
  let nonHole = positions.length;
  if (!trusted) {
    let bad = 0;
    nonHole = 0;
    for (let i = 0; i < T; i++) {
      const t = tokens[i];
      bad |= t | (wordCount - 1 - t);
      if (t !== 0) nonHole++;
    }
    if (bad < 0) throw new MemoryFormatError('the token stream holds an unknown word');
  }
  const spacedBits = sections[2];
  if (spacedBits.length !== (T + 7) >> 3) throw new MemoryFormatError('spacing bits do not match the stream');
  // Positions: each inside the stream, so a query never reads outside it (one sequential pass; what
  // each position holds is covered by the checksum, and a wrong one could only give wrong counts).
  if (positions.length !== nonHole) throw new MemoryFormatError('positions do not cover the stream');
  if (!trusted) {
    let outside = 0;
    for (let i = 0; i < positions.length; i++) outside |= positions[i] - 1 | (T - 2 - positions[i]);
    if (outside < 0) throw new MemoryFormatError('a position lies outside the stream');
  }
  const firstOf = int32s(sections[4], 'word ranges');
  if (firstOf.length !== wordCount + 1 || firstOf[0] !== 0 || firstOf[wordCount] !== nonHole) throw new MemoryFormatError('word ranges do not match');
  for (let w = 1; w <= wordCount; w++) if (firstOf[w] < firstOf[w - 1]) throw new MemoryFormatError('word ranges out of order');
  const unigramCont = int32s(sections[5], 'word continuation counts');
  if (unigramCont.length !== wordCount) throw new MemoryFormatError('word continuation counts do not match the vocabulary');
  const spacingParts: SpacingParts = {
    pairA: int32s(sections[6], 'spacing pairs'),
    pairB: int32s(sections[7], 'spacing pairs'),
    spaced: new Uint32Array(int32s(sections[8], 'spacing counts').buffer, sections[8].byteOffset, sections[8].length / 4),
    joined: new Uint32Array(int32s(sections[9], 'spacing counts').buffer, sections[9].byteOffset, sections[9].length / 4),
    classes,
  };
  const contStarts: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
  const contValues: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
  for (let d = 2; d < order; d++) {
    const starts = int32s(sections[FIXED_SECTIONS + 2 * (d - 2)], 'continuation starts');
    const values = int32s(sections[FIXED_SECTIONS + 1 + 2 * (d - 2)], 'continuation counts');
    if (values.length !== starts.length) throw new MemoryFormatError('continuation tables disagree in length');
    if (!trusted) {
      for (let i = 0; i < starts.length; i++) {
        if (starts[i] < 0 || starts[i] >= nonHole || (i > 0 && starts[i] <= starts[i - 1])) throw new MemoryFormatError('continuation table out of order');
      }
    }
    contStarts.push(starts);
    contValues.push(values);
  }
  contStarts.push(new Int32Array(0));
  contValues.push(new Int32Array(0));
  const summaryStarts: Int32Array[] = [new Int32Array(0)];
  const summaryStats: Float64Array[] = [new Float64Array(0)];
  const summaryTop: Int32Array[] = [new Int32Array(0)];
  for (let d = 1; d < order; d++) {
    const at = FIXED_SECTIONS + 2 * Math.max(0, order - 2) + 3 * (d - 1);
    const starts = int32s(sections[at], 'summary starts');
    if (sections[at + 1].length % 8 !== 0) throw new MemoryFormatError('summary figures are not a whole number of values');
    const stats = new Float64Array(sections[at + 1].buffer, sections[at + 1].byteOffset, sections[at + 1].length / 8);
    const top = int32s(sections[at + 2], 'summary children');
    const width = starts.length === 0 ? SUMMARY_RESERVE : top.length / (starts.length * 2);
    if (stats.length !== starts.length * 4 || (width !== SUMMARY_RESERVE && width !== TOP_CHILDREN)) throw new MemoryFormatError('summary tables disagree in length');
    if (!trusted) {
      for (let i = 0; i < starts.length; i++) {
        if (starts[i] < 0 || starts[i] >= nonHole || (i > 0 && starts[i] <= starts[i - 1])) throw new MemoryFormatError('summary table out of order');
      }
      for (let i = 0; i < top.length; i += 2) {
        // Past a summary's last child, (0, 0); never among the first TOP_CHILDREN (a busy context has more).
        if (top[i] === 0 && top[i + 1] === 0 && (i >> 1) % width >= TOP_CHILDREN) continue;
        if (!(top[i] > 0 && top[i] < wordCount) || !(top[i + 1] > 0)) throw new MemoryFormatError('summary names an unknown word or an empty count');
      }
      for (let i = 0; i < stats.length; i++) if (!(stats[i] >= 0 && stats[i] <= nonHole * order)) throw new MemoryFormatError('summary figure out of range');
    }
    summaryStarts.push(starts);
    summaryStats.push(stats);
    summaryTop.push(top);
  }

  const lookup = int32s(sections[11], 'word lookup');
  if (lookup.length <= wordCount || (lookup.length & (lookup.length - 1)) !== 0) throw new MemoryFormatError('word lookup has the wrong size');
  // Ids in range, and no more filled slots than words: an empty slot ends every probe.
  if (!trusted) {
    let badSlot = 0;
    let filled = 0;
    for (let slot = 0; slot < lookup.length; slot++) {
      const id = lookup[slot];
      badSlot |= (id + 1) | (wordCount - 1 - id);
      if (id >= 0) filled++;
    }
    if (badSlot < 0 || filled >= wordCount) throw new MemoryFormatError('word lookup names an unknown word or too many');
  }
  yield;
  const vocab = Vocabulary.frozen(words, lookup);
  const spacing = new SpacingTable(vocab);
  const spacingIndex = int32s(sections[10], 'spacing index');
  spacing.load(trusted ? { ...spacingParts, index: spacingIndex } : checkSpacingIndex(spacingParts, spacingIndex, wordCount));
  const index = new SuffixIndex({ order, tokens, positions, firstOf, unigramCont, contStarts, contValues, summaryStarts, summaryStats, summaryTop, derived });
  return new IndexedMemory(vocab, spacing, index, documents, spacedBits);
}
