// What a training worker does with one input: read it (off the host's thread), filter it, blank its
// secrets and cut it into content-addressed chunks. Kept apart from the worker entry so tests and the bench can call it.
import { promises as fs } from 'node:fs';
import { classifyContent, skipByContent, skipByName } from '../../workspace/fileFilter';
import { prepareForLearning } from '../../workspace/learnable';
import type { PrepareInput, PreparedFile } from './workerProtocol';

export async function prepareInput(input: PrepareInput, maxFileBytes: number, forgotten: ReadonlySet<string>): Promise<PreparedFile> {
  if ('text' in input) {
    const size = input.text.length;
    const reason = size > maxFileBytes ? 'too-large' : skipByContent(input.text);
    if (reason) return { key: input.key, skip: reason, mtimeMs: 0, size };
    return prepareText(input.key, input.text, forgotten, 0, size);
  }
  let stat;
  try {
    stat = await fs.stat(input.path);
  } catch {
    return { key: input.key, skip: 'unreadable', mtimeMs: 0, size: 0 };
  }
  const byName = skipByName(input.path, stat.size, maxFileBytes);
  if (byName) return { key: input.key, skip: byName, mtimeMs: stat.mtimeMs, size: stat.size };
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(input.path);
  } catch {
    return { key: input.key, skip: 'unreadable', mtimeMs: stat.mtimeMs, size: stat.size };
  }
  const content = classifyContent(bytes);
  if ('skip' in content) return { key: input.key, skip: content.skip, mtimeMs: stat.mtimeMs, size: stat.size };
  return prepareText(input.key, content.text, forgotten, stat.mtimeMs, stat.size);
}

function prepareText(key: string, text: string, forgotten: ReadonlySet<string>, mtimeMs: number, size: number): PreparedFile {
  const learnable = prepareForLearning(text, forgotten);
  return {
    key,
    chunks: learnable.chunks,
    redacted: learnable.redacted,
    mtimeMs,
    size,
  };
}
