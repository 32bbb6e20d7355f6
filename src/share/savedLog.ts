// A team log saved by an earlier session (ShareSession.encodeState), checked before it is loaded:
// it must pass the same guard as a peer's update, and hold no batches of an older format (unsigned,
// or n-gram counts instead of text): such a log is set aside whole, and the team memory is rebuilt
// from the peers, who publish their text in the current format.
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
    const older = scratch
      .getArray<Uint8Array>(LOG_NAME)
      .toArray()
      .filter((bytes) => bytes instanceof Uint8Array && bytes.byteLength > 1 && bytes[1] < BATCH_FORMAT_VERSION).length;
    scratch.destroy();
    if (older > 0) return `it holds ${older} batches of an older format (unsigned, or n-gram counts); the team memory is rebuilt from the peers`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
