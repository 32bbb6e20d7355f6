// Writes a file so that a crash never leaves it half-written: temporary file, then rename.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
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
