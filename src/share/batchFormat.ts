// A batch in the shared delta log, signed by its writer. Anyone holding the invite can push bytes
// into the Yjs document, so a batch counts only if its writer's Ed25519 signature over all of it
// (header and payload) verifies and the writer id is the one derived from the key it carries.
//   'L' | version 3 | kind u8 | writer id (varstring) | public key (32) | nonce (8) |
//   seq (varuint) | floor (varuint) | dead nonces (varuint count, 8 bytes each) | payload | signature (64)
// The id of a batch is writer/nonce. `seq` numbers a writer's batches (rising across restarts);
// `floor` and `dead` say which of the writer's earlier batches this one supersedes: every seq
// below `floor`, and the batches whose nonces `dead` lists. Removing a batch counts only when its writer superseded
// it (peers may delete any Yjs item), and a replayed old batch stays superseded.
// The payload is a text batch (textBatch.ts): chunks of the writer's text, each set or removed.
// Version 2 carried n-gram count deltas: refused, its writer must update (a version-2 reader says
// "unsupported batch format version 3" about ours).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { randomBytes } from 'node:crypto';
import { isValidWriterId, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature, writerIdOf, type WriterKey } from './writerKey';

const MAGIC = 0x4c; // 'L'
export const BATCH_FORMAT_VERSION = 3;
/** The last version that carried n-gram counts instead of text. */
const COUNTS_FORMAT_VERSION = 2;
const NONCE_BYTES = 8;
/** Most superseded batches one batch may list (a compaction folds at most a few hundred). */
export const MAX_DEAD = 100_000;
const NONCE_PATTERN = /^[0-9a-f]{16}$/;

export type BatchKind = 'delta' | 'snapshot';

/** Which of its writer's earlier batches a batch supersedes. */
export interface Supersedes {
  /** Every seq below this one. */
  floor: number;
  /** And the batches with these nonces (hex). */
  dead: string[];
}

export interface BatchHeader extends Supersedes {
  /** Unique id of the batch: writer and nonce. */
  id: string;
  writer: string;
  /** 16 hex digits, unique per batch. */
  nonce: string;
  kind: BatchKind;
  seq: number;
}

/** A batch as it sits in the log: its header and the whole byte string (see signatureProblem). */
export interface LoggedBatch extends BatchHeader {
  /** The writer's Ed25519 public key (its id is derived from it). */
  publicKey: Uint8Array;
  bytes: Uint8Array;
  payloadOffset: number;
  payloadEnd: number;
}

export class BatchHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchHeaderError';
  }
}

export { isValidWriterId };

export function encodeLoggedBatch(key: WriterKey, kind: BatchKind, payload: Uint8Array, order: { seq: number } & Supersedes): Uint8Array {
  if (order.dead.length > MAX_DEAD) throw new BatchHeaderError(`a batch may supersede at most ${MAX_DEAD} listed batches`);
  if (!order.dead.every((nonce) => NONCE_PATTERN.test(nonce))) throw new BatchHeaderError('invalid nonce in the superseded list');
  for (const n of [order.seq, order.floor]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new BatchHeaderError(`invalid sequence number ${n}`);
  }
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, MAGIC);
  encoding.writeUint8(encoder, BATCH_FORMAT_VERSION);
  encoding.writeUint8(encoder, kind === 'snapshot' ? 1 : 0);
  encoding.writeVarString(encoder, key.id);
  encoding.writeUint8Array(encoder, key.publicKey);
  encoding.writeUint8Array(encoder, randomBytes(NONCE_BYTES));
  encoding.writeVarUint(encoder, order.seq);
  encoding.writeVarUint(encoder, order.floor);
  encoding.writeVarUint(encoder, order.dead.length);
  for (const nonce of order.dead) encoding.writeUint8Array(encoder, Buffer.from(nonce, 'hex'));
  encoding.writeUint8Array(encoder, payload);
  const signed = encoding.toUint8Array(encoder);
  const out = new Uint8Array(signed.byteLength + SIGNATURE_BYTES);
  out.set(signed);
  out.set(key.sign(signed), signed.byteLength);
  return out;
}

/**
 * Reads the header and checks that the writer id is the one of the key it carries (the signature
 * is checked by signatureProblem, the payload decoded and validated later). Throws
 * BatchHeaderError, saying why, for anything else.
 */
export function readLoggedBatch(bytes: Uint8Array): LoggedBatch {
  if (!(bytes instanceof Uint8Array)) throw new BatchHeaderError('log entry is not a byte string');
  let header: Omit<LoggedBatch, 'bytes'>;
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readUint8(decoder) !== MAGIC) throw new BatchHeaderError('not a Light Network batch');
    const version = decoding.readUint8(decoder);
    if (version === COUNTS_FORMAT_VERSION) {
      throw new BatchHeaderError(
        `batch of format version ${version} (n-gram counts) refused: this Light Network shares text (format ${BATCH_FORMAT_VERSION}); its writer must update Light Network`,
      );
    }
    if (version < COUNTS_FORMAT_VERSION) {
      throw new BatchHeaderError(`unsigned batch of format version ${version} refused (this reads signed version ${BATCH_FORMAT_VERSION}): its writer must update Light Network`);
    }
    if (version !== BATCH_FORMAT_VERSION) throw new BatchHeaderError(`unsupported batch format version ${version}`);
    const kindByte = decoding.readUint8(decoder);
    if (kindByte > 1) throw new BatchHeaderError(`unknown batch kind ${kindByte}`);
    const writer = decoding.readVarString(decoder);
    if (!isValidWriterId(writer)) throw new BatchHeaderError('invalid writer id in batch header');
    const publicKey = decoding.readUint8Array(decoder, PUBLIC_KEY_BYTES);
    const nonce = decoding.readUint8Array(decoder, NONCE_BYTES);
    const seq = decoding.readVarUint(decoder);
    const floor = decoding.readVarUint(decoder);
    const deadCount = decoding.readVarUint(decoder);
    if (deadCount > MAX_DEAD) throw new BatchHeaderError(`batch supersedes ${deadCount} listed batches (at most ${MAX_DEAD})`);
    const dead: string[] = new Array(deadCount);
    for (let i = 0; i < deadCount; i++) dead[i] = hex(decoding.readUint8Array(decoder, NONCE_BYTES));
    const payloadEnd = bytes.byteLength - SIGNATURE_BYTES;
    if (payloadEnd < decoder.pos) throw new BatchHeaderError('truncated batch header');
    header = {
      id: `${writer}/${hex(nonce)}`,
      writer,
      nonce: hex(nonce),
      kind: kindByte === 1 ? 'snapshot' : 'delta',
      seq,
      floor,
      dead,
      publicKey,
      payloadOffset: decoder.pos,
      payloadEnd,
    };
  } catch (error) {
    if (error instanceof BatchHeaderError) throw error;
    throw new BatchHeaderError('truncated batch header');
  }
  if (writerIdOf(header.publicKey) !== header.writer) {
    throw new BatchHeaderError(`batch claims writer ${header.writer} but carries another writer's key`);
  }
  return { ...header, bytes };
}

/**
 * Why `batch` is not genuine (its writer's signature over header and payload fails), or
 * undefined when it is. Kept apart from readLoggedBatch: checking costs a hash of the whole
 * batch, which the team layer does in its time slices.
 */
export function signatureProblem(batch: LoggedBatch): string | undefined {
  const { bytes, payloadEnd } = batch;
  if (verifySignature(batch.publicKey, bytes.subarray(0, payloadEnd), bytes.subarray(payloadEnd))) return undefined;
  return `batch claiming writer ${batch.writer} has a bad signature (forged or damaged)`;
}

export function payloadOf(batch: LoggedBatch): Uint8Array {
  return batch.bytes.subarray(batch.payloadOffset, batch.payloadEnd);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
