// Lowers the scheduling priority of the calling worker thread, so that on a machine with fewer cores
// than busy threads the extension host's thread (which draws the editor's completions) runs first
// and the background work takes what is left.
//
// Only on Linux: there setpriority(PRIO_PROCESS, 0) acts on the calling thread alone (threads have
// nice values of their own), while on macOS and Windows it would lower the whole extension host.
import * as os from 'node:os';

/** The nice value background threads run at (0 is normal, 19 the lowest priority). */
const BACKGROUND_NICE = 10;

/** Lowers this thread's priority where that touches this thread only; true if it did. */
export function runAsBackgroundThread(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  try {
    os.setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    // A sandbox may refuse it: the work still runs, at normal priority.
    return false;
  }
}
