// The header every batch in the shared delta log carries: who wrote it (a persisted writer id, not
// Yjs' per-document clientID), a random nonce that makes its id unique, and whether it is a plain
// delta or a compaction snapshot. The payload after the header is the engine's delta codec.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { randomBytes } from 'node:crypto';

const MAGIC = 0x4c; // 'L'
const FORMAT_VERSION = 1;
const NONCE_BYTES = 8;
const WRITER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type BatchKind = 'delta' | 'snapshot';

export interface BatchHeader {
  /** Unique id of the batch: writer and nonce. */
  id: string;
  writer: string;
  kind: BatchKind;
}

/** A batch as it sits in the log: its header and the whole byte string (payload at `payloadOffset`). */
export interface LoggedBatch extends BatchHeader {
  bytes: Uint8Array;
  payloadOffset: number;
}

export class BatchHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchHeaderError';
  }
}

export function isValidWriterId(writer: string): boolean {
  return WRITER_ID_PATTERN.test(writer);
}

/** A fresh random writer id (persist it: the same writer must keep the same id across restarts). */
export function newWriterId(prefix = 'w'): string {
  return `${prefix}-${randomBytes(9).toString('base64url')}`;
}

export function encodeLoggedBatch(writer: string, kind: BatchKind, payload: Uint8Array): Uint8Array {
  if (!isValidWriterId(writer)) throw new BatchHeaderError(`invalid writer id "${writer}"`);
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, MAGIC);
  encoding.writeUint8(encoder, FORMAT_VERSION);
  encoding.writeUint8(encoder, kind === 'snapshot' ? 1 : 0);
  encoding.writeVarString(encoder, writer);
  encoding.writeUint8Array(encoder, randomBytes(NONCE_BYTES));
  encoding.writeUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Reads only the header (cheap); the payload is decoded and validated later. */
export function readLoggedBatch(bytes: Uint8Array): LoggedBatch {
  if (!(bytes instanceof Uint8Array)) throw new BatchHeaderError('log entry is not a byte string');
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readUint8(decoder) !== MAGIC) throw new BatchHeaderError('not a Light Network batch');
    const version = decoding.readUint8(decoder);
    if (version !== FORMAT_VERSION) throw new BatchHeaderError(`unsupported batch format version ${version}`);
    const kindByte = decoding.readUint8(decoder);
    if (kindByte > 1) throw new BatchHeaderError(`unknown batch kind ${kindByte}`);
    const writer = decoding.readVarString(decoder);
    if (!isValidWriterId(writer)) throw new BatchHeaderError('invalid writer id in batch header');
    const nonce = decoding.readUint8Array(decoder, NONCE_BYTES);
    return {
      id: `${writer}/${Buffer.from(nonce).toString('hex')}`,
      writer,
      kind: kindByte === 1 ? 'snapshot' : 'delta',
      bytes,
      payloadOffset: decoder.pos,
    };
  } catch (error) {
    if (error instanceof BatchHeaderError) throw error;
    throw new BatchHeaderError('truncated batch header');
  }
}

export function payloadOf(batch: LoggedBatch): Uint8Array {
  return batch.bytes.subarray(batch.payloadOffset);
}
