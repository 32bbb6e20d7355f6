// Reads a Yjs update (format v1) without building it, to bound what it holds before Yjs decodes
// it: Yjs allocates an array sized by a count the sender writes and an object per struct (an update
// of 300k small items took a second to decode), and it builds root types for any name. Only what
// the delta log admits is read: GC and skip ranges, and items in the log whose content is a byte
// string or a deletion. Anything else ends the scan with a reason.
import * as decoding from 'lib0/decoding';

/** A byte string the update appends, with its Yjs id. */
export interface UpdateBinary {
  client: number;
  clock: number;
  bytes: Uint8Array;
}

export interface UpdateShape {
  /** Structs plus delete-set ranges: what Yjs will build one object for. */
  items: number;
  binaries: UpdateBinary[];
}

// Yjs's struct info bits and content refs.
const BITS5 = 31;
const HAS_ORIGIN = 128;
const HAS_RIGHT_ORIGIN = 64;
const HAS_PARENT_SUB = 32;
const GC = 0;
const SKIP = 10;
const CONTENT_DELETED = 1;
const CONTENT_BINARY = 3;

/** Why an update is refused when it needs items we do not hold yet (they may still be on their way). */
export const SKIPS_ITEMS = 'update skips items of a writer we do not have (they would wait forever)';
export const MISSING_ITEMS = 'update refers to items we do not have (they would wait forever)';

/**
 * The shape of `update`, or why it is refused: malformed, over `maxItems`, or not log appends.
 * With `known` (our clock per client), also refused when it needs items neither we nor it hold:
 * Yjs would keep such items "pending" for good, slowing every later update and saving them.
 */
export function scanUpdate(update: Uint8Array, logName: string, maxItems: number, known?: (client: number) => number): UpdateShape | string {
  try {
    const decoder = decoding.createDecoder(update);
    const binaries: UpdateBinary[] = [];
    let items = 0;
    // Per client, the clock up to which items are held by us or by this update (checked after reading).
    const reach = new Map<number, number>();
    const needs: [number, number][] = [];
    const clients = decoding.readVarUint(decoder);
    for (let c = 0; c < clients; c++) {
      const structs = decoding.readVarUint(decoder);
      items += structs;
      if (items > maxItems) return tooMany(maxItems);
      const client = decoding.readVarUint(decoder);
      let clock = decoding.readVarUint(decoder);
      if (known && clock > known(client)) return SKIPS_ITEMS;
      for (let s = 0; s < structs; s++) {
        const info = decoding.readUint8(decoder);
        const ref = info & BITS5;
        if (ref === GC || ref === SKIP) {
          clock += decoding.readVarUint(decoder);
          continue;
        }
        if (info & HAS_ORIGIN) needs.push(readId(decoder));
        if (info & HAS_RIGHT_ORIGIN) needs.push(readId(decoder));
        if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
          // No neighbour to inherit the parent from: it is named, and must be the log.
          if (decoding.readVarUint(decoder) !== 1) return 'update writes inside another item';
          if (decoding.readVarString(decoder) !== logName) return 'update writes outside the delta log';
          if (info & HAS_PARENT_SUB) return 'update writes a map key';
        }
        if (ref === CONTENT_DELETED) {
          clock += decoding.readVarUint(decoder);
        } else if (ref === CONTENT_BINARY) {
          binaries.push({ client, clock, bytes: decoding.readVarUint8Array(decoder) });
          clock += 1;
        } else {
          return `update inserts content of kind ${ref}, not a batch`;
        }
      }
      reach.set(client, clock);
    }
    const deleters = decoding.readVarUint(decoder);
    for (let c = 0; c < deleters; c++) {
      const client = decoding.readVarUint(decoder);
      const ranges = decoding.readVarUint(decoder);
      items += ranges;
      if (items > maxItems) return tooMany(maxItems);
      for (let r = 0; r < ranges; r++) {
        const clock = decoding.readVarUint(decoder);
        const length = decoding.readVarUint(decoder);
        if (length > 0) needs.push([client, clock + length - 1]);
      }
    }
    if (decoding.hasContent(decoder)) return 'unexpected bytes after the update';
    if (known) {
      for (const [client, clock] of needs) {
        if (clock >= Math.max(known(client), reach.get(client) ?? 0)) return MISSING_ITEMS;
      }
    }
    return { items, binaries };
  } catch (error) {
    return `undecodable update: ${(error as Error).message}`;
  }
}

function readId(decoder: decoding.Decoder): [number, number] {
  return [decoding.readVarUint(decoder), decoding.readVarUint(decoder)];
}

function tooMany(maxItems: number): string {
  return `update holds more than ${maxItems} items`;
}
