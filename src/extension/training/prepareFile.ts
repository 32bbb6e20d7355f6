// What a training worker does with one input: read it (off the host's thread), filter it, blank its
// secrets and cut it into content-addressed chunks. Kept apart from the worker entry so tests and the bench can call it.
import { skipByContent, skipByName } from '../../workspace/fileFilter';
import { readLearnableFile } from '../../workspace/learnableFile';
import { prepareForLearning } from '../../workspace/learnable';
import type { PrepareInput, PreparedFile } from './workerProtocol';

export async function prepareInput(input: PrepareInput, maxFileBytes: number, forgotten: ReadonlySet<string>): Promise<PreparedFile> {
  if ('text' in input) {
    const size = input.text.length;
    const reason = size > maxFileBytes ? 'too-large' : skipByContent(input.text);
    if (reason) return { key: input.key, skip: reason, mtimeMs: 0, size };
    return prepareText(input.key, input.text, forgotten, 0, size);
  }
  const byName = skipByName(input.path, 0, maxFileBytes);
  if (byName) return { key: input.key, skip: byName, mtimeMs: 0, size: 0 };
  const read = await readLearnableFile(input.path, input.root, maxFileBytes);
  if ('skip' in read) return { key: input.key, skip: read.skip, mtimeMs: read.mtimeMs, size: read.size };
  const reason = skipByContent(read.text);
  if (reason) return { key: input.key, skip: reason, mtimeMs: read.mtimeMs, size: read.size };
  return prepareText(input.key, read.text, forgotten, read.mtimeMs, read.size);
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
