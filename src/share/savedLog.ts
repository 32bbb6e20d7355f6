// A team log saved by an earlier session (ShareSession.encodeState), checked before it is loaded:
// it must pass the same guard as a peer's update, and hold no batches of the old unsigned format
// (saved before writers signed their batches): such a log is set aside whole, and the team
// memory is rebuilt from the peers, who publish their contributions signed.
import * as Y from 'yjs';
import { BATCH_FORMAT_VERSION } from './batchFormat';
import { LOG_NAME } from './deltaLog';
import type { ShareLimits } from './limits';
import { checkUpdate } from './messageGuard';

/** Why `saved` must not be loaded, or undefined when it may. */
export function savedLogProblem(saved: Uint8Array, limits: ShareLimits): string | undefined {
  try {
    const problem = checkUpdate(saved, limits);
    if (problem) return problem;
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, saved);
    const unsigned = scratch
      .getArray<Uint8Array>(LOG_NAME)
      .toArray()
      .filter((bytes) => bytes instanceof Uint8Array && bytes.byteLength > 1 && bytes[1] < BATCH_FORMAT_VERSION).length;
    scratch.destroy();
    if (unsigned > 0) return `it holds ${unsigned} unsigned batches of an older version; the team memory is rebuilt from the peers`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
