// The payload of a logged batch (batchFormat.ts, format 3): chunks of a writer's text as token
// streams. Peers share what their memory learned, not the n-grams counted from it: a token costs
// about 2 bytes on the wire where its 3-4 n-grams of order 8 cost 47, and the joiner's team memory
// is an index over the same streams (teamMemory.ts), as compact as the local one.
//   varuint table size | table: varstring each (distinct, each used) |
//   varuint record count | record: key (16 bytes) | varuint token count | varuint each (table index + 1; 0: a cut)
// A record with no tokens says the writer removed the chunk. A cut is where the writer withheld
// something (a secret): no n-gram spans it. Keys are keyed hashes of the writer's document ids
// (chunkKey), so the log never names a file.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { createHmac } from 'node:crypto';

export const KEY_BYTES = 16;
const KEY_PATTERN = /^[0-9a-f]{32}$/;

/** One chunk of a writer's text: its key (32 hex digits) and its tokens ('' is a cut; none: the chunk was removed). */
export interface TextRecord {
  key: string;
  tokens: readonly string[];
}

export interface TextBatch {
  records: TextRecord[];
}

export interface TextBatchLimits {
  /** Most records (chunks) in one batch. */
  maxRecords: number;
  /** Most tokens in one batch, all records together. */
  maxTokens: number;
  /** Longest token, in UTF-16 units. */
  maxTokenLength: number;
}

/** A decoded batch without one string per token: record i's tokens are tokens[starts[i]..starts[i+1]), each a table index + 1 (0: a cut). */
export interface BulkTextBatch {
  table: string[];
  keys: string[];
  starts: Uint32Array;
  tokens: Uint32Array;
  count: number;
}

export class TextBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextBatchError';
  }
}

/** The key of a writer's document: a keyed hash (the salt is the writer's own), so ids and paths stay private. */
export function chunkKey(salt: Uint8Array, documentId: string): string {
  return createHmac('sha256', salt).update(documentId).digest().subarray(0, KEY_BYTES).toString('hex');
}

export function encodeTextBatch(batch: TextBatch): Uint8Array {
  const index = new Map<string, number>();
  const table: string[] = [];
  const seen = new Set<string>();
  for (const { key, tokens } of batch.records) {
    if (!KEY_PATTERN.test(key)) throw new TextBatchError(`invalid chunk key ${JSON.stringify(key)}`);
    if (seen.has(key)) throw new TextBatchError(`chunk key ${key} appears twice in one batch`);
    seen.add(key);
    for (const token of tokens) {
      if (typeof token !== 'string') throw new TextBatchError('tokens must be strings');
      if (token !== '' && !index.has(token)) {
        index.set(token, table.length + 1);
        table.push(token);
      }
    }
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, table.length);
  for (const word of table) encoding.writeVarString(encoder, word);
  encoding.writeVarUint(encoder, batch.records.length);
  for (const { key, tokens } of batch.records) {
    encoding.writeUint8Array(encoder, Buffer.from(key, 'hex'));
    encoding.writeVarUint(encoder, tokens.length);
    for (const token of tokens) encoding.writeVarUint(encoder, token === '' ? 0 : index.get(token)!);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Reads a batch, checking everything a peer could get wrong or abuse before allocating for it:
 * counts against the bytes left, caps, token lengths, table entries used and distinct, keys
 * distinct, nothing after the last record. Throws TextBatchError saying why.
 */
export function decodeTextBatch(bytes: Uint8Array, limits: TextBatchLimits): BulkTextBatch {
  const decoder = decoding.createDecoder(bytes);
  const left = () => bytes.byteLength - decoder.pos;
  try {
    const tableSize = decoding.readVarUint(decoder);
    if (tableSize > left()) throw new TextBatchError(`string table claims ${tableSize} words in ${left()} bytes`);
    if (tableSize > limits.maxTokens) throw new TextBatchError(`string table of ${tableSize} words exceeds the ${limits.maxTokens}-token cap`);
    const table: string[] = new Array(tableSize);
    const distinct = new Set<string>();
    for (let i = 0; i < tableSize; i++) {
      const word = decoding.readVarString(decoder);
      if (word.length === 0) throw new TextBatchError('empty word in the string table');
      if (word.length > limits.maxTokenLength) throw new TextBatchError(`word of ${word.length} characters (at most ${limits.maxTokenLength})`);
      if (distinct.has(word)) throw new TextBatchError('a word appears twice in the string table');
      distinct.add(word);
      table[i] = word;
    }
    const count = decoding.readVarUint(decoder);
    if (count > limits.maxRecords) throw new TextBatchError(`batch has ${count} records, more than ${limits.maxRecords}`);
    if (count * (KEY_BYTES + 1) > left()) throw new TextBatchError(`batch claims ${count} records in ${left()} bytes`);
    const keys: string[] = new Array(count);
    const starts = new Uint32Array(count + 1);
    // Each token takes at least a byte: the bytes left bound the tokens before they are read.
    const tokens = new Uint32Array(Math.min(left(), limits.maxTokens));
    const used = new Uint8Array(tableSize + 1);
    const seenKeys = new Set<string>();
    let n = 0;
    for (let r = 0; r < count; r++) {
      const key = Buffer.from(decoding.readUint8Array(decoder, KEY_BYTES)).toString('hex');
      if (seenKeys.has(key)) throw new TextBatchError(`chunk key ${key} appears twice in one batch`);
      seenKeys.add(key);
      keys[r] = key;
      const length = decoding.readVarUint(decoder);
      if (length > left()) throw new TextBatchError(`record claims ${length} tokens in ${left()} bytes`);
      if (n + length > limits.maxTokens) throw new TextBatchError(`batch has more than ${limits.maxTokens} tokens`);
      for (let k = 0; k < length; k++) {
        const t = decoding.readVarUint(decoder);
        if (t > tableSize) throw new TextBatchError(`token ${t} is outside the string table of ${tableSize} words`);
        used[t] = 1;
        tokens[n++] = t;
      }
      starts[r + 1] = n;
    }
    if (left() !== 0) throw new TextBatchError(`${left()} bytes after the last record`);
    for (let t = 1; t <= tableSize; t++) if (used[t] === 0) throw new TextBatchError('the string table holds a word no record uses');
    return { table, keys, starts, tokens: tokens.slice(0, n), count };
  } catch (error) {
    if (error instanceof TextBatchError) throw error;
    throw new TextBatchError('truncated text batch');
  }
}

/** Record i's tokens as strings ('' for a cut). */
export function recordTokens(bulk: BulkTextBatch, i: number): string[] {
  const out: string[] = new Array(bulk.starts[i + 1] - bulk.starts[i]);
  for (let k = bulk.starts[i], j = 0; k < bulk.starts[i + 1]; k++, j++) out[j] = bulk.tokens[k] === 0 ? '' : bulk.table[bulk.tokens[k] - 1];
  return out;
}

export function textBatchOf(bulk: BulkTextBatch): TextBatch {
  const records: TextRecord[] = [];
  for (let i = 0; i < bulk.count; i++) records.push({ key: bulk.keys[i], tokens: recordTokens(bulk, i) });
  return { records };
}

/**
 * An upper bound of what a record adds to an encoded batch: its key and length, 3 bytes a token
 * (table indexes stay below 2^21: the table is capped by the tokens), and its distinct words as if
 * new to the table.
 */
export function estimatedRecordBytes(record: TextRecord): number {
  let bytes = KEY_BYTES + 5 + 3 * record.tokens.length;
  const words = new Set(record.tokens);
  for (const word of words) bytes += 5 + 3 * word.length;
  return bytes;
}

/** Tokens in a batch, all records together. */
export function tokenCount(batch: TextBatch): number {
  let n = 0;
  for (const record of batch.records) n += record.tokens.length;
  return n;
}
