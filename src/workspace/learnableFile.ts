// The one place that decides whether a path on disk may be read for learning, and reads it: only a
// regular file (never a link, device, FIFO or socket) whose real path lies inside the given root,
// at most `maxBytes` of it, and only when none of what was read looks binary. The training workers,
// live updates and the CLI all read through here, so no path can make any of them hang on a FIFO,
// read /dev/zero until memory runs out, or follow a link out of the workspace.
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isProbablyBinary, type SkipReason } from './fileFilter';

export type LearnableRead =
  | { text: string; size: number; mtimeMs: number; bytesRead: number }
  | { skip: SkipReason; size: number; mtimeMs: number; bytesRead: number };

// O_NONBLOCK: opening a FIFO that appeared after the lstat must not wait for a writer (a blocked
// open holds a libuv thread for good). O_NOFOLLOW: a link swapped in after the lstat is not
// followed. Neither exists on Windows, which has no FIFOs to open by path.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** The first read's size when the file claims to be empty or larger than the cap allows. */
const MIN_READ_BYTES = 64 * 1024;

/**
 * Why `file` must not be learned as a file inside `root` (a link, a special file, a path that leads
 * out of the root), or undefined when it may. For text that comes from elsewhere (an editor) but
 * is learned under this path.
 */
export async function pathProblem(file: string, root: string): Promise<SkipReason | undefined> {
  let stat: Stats;
  try {
    stat = await fs.lstat(file);
  } catch {
    return 'unreadable';
  }
  if (!stat.isFile()) return 'not-regular';
  return (await isInsideRoot(file, root)) ? undefined : 'outside-root';
}

/**
 * True when the real path of `target` (all links resolved) lies inside the real path of `root`.
 * A linked folder in the workspace that points elsewhere is outside.
 */
export async function isInsideRoot(target: string, root: string): Promise<boolean> {
  try {
    const [realTarget, realRoot] = await Promise.all([fs.realpath(target), fs.realpath(root)]);
    const rel = path.relative(realRoot, realTarget);
    return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

/** isInsideRoot without waiting on the thread pool (see readLearnableFileSync). */
export function isInsideRootSync(target: string, root: string): boolean {
  try {
    const rel = path.relative(realpathSync.native(root), realpathSync.native(target));
    return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

/**
 * Reads `file` for learning when it is a regular file inside `root`: its text, or why it is
 * skipped. Reads at most `maxBytes + 1` bytes whatever the file's size claimed (it may grow while
 * read, or be a /proc file that says 0), and checks all of what was read for binary content.
 */
export async function readLearnableFile(file: string, root: string, maxBytes: number): Promise<LearnableRead> {
  const problem = await pathProblem(file, root);
  if (problem) return { skip: problem, size: 0, mtimeMs: 0, bytesRead: 0 };
  let handle: FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch {
    return { skip: 'unreadable', size: 0, mtimeMs: 0, bytesRead: 0 };
  }
  try {
    // What was opened is what gets read: it must be a regular file, and the very file checked
    // above (not one renamed into its place since).
    const [opened, named] = await Promise.all([handle.stat(), fs.stat(file).catch(() => undefined)]);
    const seen = { size: opened.size, mtimeMs: opened.mtimeMs };
    if (!opened.isFile()) return { skip: 'not-regular', ...seen, bytesRead: 0 };
    if (!named || named.dev !== opened.dev || named.ino !== opened.ino || !(await isInsideRoot(file, root))) {
      return { skip: 'outside-root', ...seen, bytesRead: 0 };
    }
    if (opened.size > maxBytes) return { skip: 'too-large', ...seen, bytesRead: 0 };
    const bytes = await readAtMost(handle, opened.size, maxBytes + 1);
    if (bytes.length > maxBytes) return { skip: 'too-large', ...seen, bytesRead: bytes.length };
    if (isProbablyBinary(bytes)) return { skip: 'binary', ...seen, bytesRead: bytes.length };
    return { text: new TextDecoder('utf-8').decode(bytes), ...seen, bytesRead: bytes.length };
  } catch {
    return { skip: 'unreadable', size: 0, mtimeMs: 0, bytesRead: 0 };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Reads until the end of the file or `limit` bytes, starting with a buffer sized for `expected`. */
async function readAtMost(handle: FileHandle, expected: number, limit: number): Promise<Uint8Array> {
  // One byte more than the stat said, so a file that grew since shows it in the first read.
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(expected + 1, MIN_READ_BYTES)));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (buffer.length >= limit) break;
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * readLearnableFile with the same checks in the same order, done with synchronous calls: for a
 * caller that reads a few files while someone waits (a question asked of the memory), where a
 * dozen trips through libuv's thread pool per file cost more than the reads themselves, and on a
 * busy machine each trip can wait milliseconds for a thread to run. It never blocks on a FIFO
 * (opened O_NONBLOCK, and only a regular file is read) and reads at most `maxBytes + 1` bytes.
 */
export function readLearnableFileSync(file: string, root: string, maxBytes: number): LearnableRead {
  let stat: Stats;
  try {
    stat = lstatSync(file);
  } catch {
    return { skip: 'unreadable', size: 0, mtimeMs: 0, bytesRead: 0 };
  }
  if (!stat.isFile()) return { skip: 'not-regular', size: 0, mtimeMs: 0, bytesRead: 0 };
  if (!isInsideRootSync(file, root)) return { skip: 'outside-root', size: 0, mtimeMs: 0, bytesRead: 0 };
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch {
    return { skip: 'unreadable', size: 0, mtimeMs: 0, bytesRead: 0 };
  }
  try {
    const opened = fstatSync(fd);
    const seen = { size: opened.size, mtimeMs: opened.mtimeMs };
    if (!opened.isFile()) return { skip: 'not-regular', ...seen, bytesRead: 0 };
    let named: Stats | undefined;
    try {
      named = statSync(file);
    } catch {
      named = undefined;
    }
    if (!named || named.dev !== opened.dev || named.ino !== opened.ino || !isInsideRootSync(file, root)) {
      return { skip: 'outside-root', ...seen, bytesRead: 0 };
    }
    if (opened.size > maxBytes) return { skip: 'too-large', ...seen, bytesRead: 0 };
    const bytes = readAtMostSync(fd, opened.size, maxBytes + 1);
    if (bytes.length > maxBytes) return { skip: 'too-large', ...seen, bytesRead: bytes.length };
    if (isProbablyBinary(bytes)) return { skip: 'binary', ...seen, bytesRead: bytes.length };
    return { text: new TextDecoder('utf-8').decode(bytes), ...seen, bytesRead: bytes.length };
  } catch {
    return { skip: 'unreadable', size: 0, mtimeMs: 0, bytesRead: 0 };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // closing a descriptor that was read cannot fail in a way the caller could act on
    }
  }
}

/** readAtMost with synchronous reads. */
function readAtMostSync(fd: number, expected: number, limit: number): Uint8Array {
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(expected + 1, MIN_READ_BYTES)));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (buffer.length >= limit) break;
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
    const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
