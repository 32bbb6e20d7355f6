// Loading and saving a memory file with clear errors; saves are atomic (write a temporary file,
// then rename), so an interrupted save never leaves a half-written memory behind.
import { promises as fs } from 'node:fs';
import { Memory, MemoryFormatError } from '../memory/index';
import { CliFailure } from './command';
import { ownsWholeBuffer, writeFileAtomic } from '../workspace/atomicFile';

export async function loadMemory(file: string): Promise<Memory> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(code === 'ENOENT' ? `no memory file at ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    // The file's bytes serve nothing else: let the memory keep views into them instead of copying.
    return Memory.decode(bytes, { adopt: ownsWholeBuffer(bytes) });
  } catch (error) {
    if (error instanceof MemoryFormatError) throw new CliFailure(`${file} is not a usable Light Network memory: ${error.message}`);
    throw error;
  }
}

export async function saveMemory(memory: Memory, file: string): Promise<number> {
  const bytes = memory.encode();
  try {
    await writeFileAtomic(file, bytes);
  } catch (error) {
    throw new CliFailure(`cannot write ${file}: ${(error as Error).message}`);
  }
  return bytes.length;
}
