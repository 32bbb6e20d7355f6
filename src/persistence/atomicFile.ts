// Writes a file so that a crash never leaves it half-written: temporary file, then rename. Every
// file written this way holds learned text (a memory, a team log), so it is readable by its owner
// only: the temporary file is created 0600 and the rename gives the target its mode.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Files holding learned text: the owner reads and writes them, nobody else. */
const PRIVATE_FILE_MODE = 0o600;

/** Writes `bytes` (or parts written one after another, so a large file is never joined in memory). */
export async function writeFileAtomic(file: string, bytes: Uint8Array | Uint8Array[]): Promise<void> {
  const target = path.resolve(file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await fs.open(temporary, 'w', PRIVATE_FILE_MODE);
    try {
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) await handle.write(part);
      await handle.sync(); // on disk before the rename makes it the file: a crash keeps old or new
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether `bytes` spans its whole buffer, so a decoder may keep views into it. A small file read by
 * Node can be a slice of a pool shared with other reads.
 */
export function ownsWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
}
