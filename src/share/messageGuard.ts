// Inspects every whole message a peer sends over WebRTC before y-webrtc applies it. Y.applyUpdate
// is not atomic on bad bytes and Yjs has no caps (HARNESS.md), so an update is admitted only when
// it decodes cleanly and holds nothing but byte strings appended to our log (or deletions), each
// within the batch cap. Anything else is dropped whole and reported; the document is not touched.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { LOG_NAME } from './deltaLog';
import type { ShareLimits } from './limits';

// y-webrtc's message types and y-protocols' sync steps.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export function createMessageGuard(limits: ShareLimits): (message: Uint8Array) => string | undefined {
  return (message) => {
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          return checkSync(decoder, limits);
        case MESSAGE_AWARENESS:
          return checkAwareness(decoding.readVarUint8Array(decoder), limits);
        case MESSAGE_QUERY_AWARENESS:
          return undefined;
        default:
          return `unexpected message type ${type}`;
      }
    } catch (error) {
      return `undecodable message: ${(error as Error).message}`;
    }
  };
}

function checkSync(decoder: decoding.Decoder, limits: ShareLimits): string | undefined {
  const step = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (step === SYNC_STEP1) {
    Y.decodeStateVector(payload);
    return undefined;
  }
  if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return `unknown sync step ${step}`;
  return checkUpdate(payload, limits);
}

/** An update may only append byte strings to the log array, or delete. */
export function checkUpdate(update: Uint8Array, limits: ShareLimits): string | undefined {
  const { structs } = Y.decodeUpdate(update);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip carry no content
    if (struct.parentSub !== null) return 'update writes a map key';
    const parent: unknown = struct.parent;
    if (parent !== null && parent !== LOG_NAME) return 'update writes outside the delta log';
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (!(content instanceof Y.ContentBinary)) return `update inserts ${content.constructor.name}, not a batch`;
    if (content.content.byteLength > limits.maxBatchBytes) return `batch of ${content.content.byteLength} bytes is over the cap`;
  }
  return undefined;
}

function checkAwareness(update: Uint8Array, limits: ShareLimits): string | undefined {
  if (update.byteLength > limits.maxPresenceBytes) return `presence message of ${update.byteLength} bytes`;
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder); // client id
    decoding.readVarUint(decoder); // clock
    JSON.parse(decoding.readVarString(decoder));
  }
  return undefined;
}
