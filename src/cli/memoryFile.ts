// Loading and saving a memory file with clear errors; saves are atomic (write a temporary file,
// then rename), so an interrupted save never leaves a half-written memory behind. A memory file
// holds either engine: the indexed memory (engine v2, what `train` writes) or the trie memory
// (`train --engine trie`); readers tell them apart by their magic. The extension's saved workspace
// memory is read too (its local memory), so `predict`, `stats` and `mcp` work on it.
import { promises as fs } from 'node:fs';
import { Memory, MemoryFormatError } from '../memory/index';
import { encodeIndexedMemory, isIndexedMemory, readIndexedMemory } from '../memory/indexedCodec';
import type { IndexedMemory } from '../memory/indexedMemory';
import { CliFailure } from './command';
import { ownsWholeBuffer, writeFileAtomic } from '../persistence/atomicFile';
import { isWorkspaceMemory, readSavedHead, readSavedMemory, SAVED_MEMORY_VERSION } from '../persistence/savedMemory';

export type AnyMemory = Memory | IndexedMemory;

export async function loadMemory(file: string): Promise<AnyMemory> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(code === 'ENOENT' ? `no memory file at ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(4);
    await handle.read(head, 0, 4, 0);
    const readAt = async (into: Uint8Array, position: number) => (await handle.read(into, 0, into.length, position)).bytesRead;
    if (isIndexedMemory(head)) {
      // Each section is read straight into its own array: no copy of the whole file in memory.
      return await readIndexedMemory(readAt, size);
    }
    if (isWorkspaceMemory(head)) {
      // The extension's saved workspace memory: its local memory (an older file's team section is not read).
      const saved = await readSavedHead(readAt, size);
      if (saved.version === SAVED_MEMORY_VERSION) return await readIndexedMemory((into, position) => readAt(into, saved.localAt + position), size - saved.localAt);
      const bytes = await handle.readFile();
      return Memory.fromSnapshot(readSavedMemory(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).local);
    }
    const bytes = await handle.readFile();
    // The file's bytes serve nothing else: let the memory keep views into them instead of copying.
    return Memory.decode(bytes, { adopt: ownsWholeBuffer(bytes) });
  } catch (error) {
    if (error instanceof MemoryFormatError) throw new CliFailure(`${file} is not a usable Light Network memory: ${error.message}`);
    if (error instanceof CliFailure) throw error;
    throw new CliFailure(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** The trie memory in `file`, for commands that change a memory in place. */
export async function loadTrieMemory(file: string): Promise<Memory> {
  const memory = await loadMemory(file);
  if (!(memory instanceof Memory)) throw new CliFailure(`${file} holds an indexed memory; this needs a trie memory (train --engine trie)`);
  return memory;
}

export async function saveMemory(memory: AnyMemory, file: string): Promise<number> {
  const parts = memory instanceof Memory ? [memory.encode()] : encodeIndexedMemory(memory);
  try {
    await writeFileAtomic(file, parts);
  } catch (error) {
    throw new CliFailure(`cannot write ${file}: ${(error as Error).message}`);
  }
  return parts.reduce((sum, p) => sum + p.length, 0);
}
