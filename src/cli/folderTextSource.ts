// `light-network mcp`'s TextSource: learned files' current text from disk, under the folder they
// were learned in, read as training reads them (the one safe reader: regular files whose real path
// lies inside the folder, no links out, no devices or FIFOs, at most the size limit, no binaries),
// never a secret file by its name, line ends as learned. A path that climbs out of the folder is
// refused before touching the disk.
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../workspace/fileFilter';
import { readLearnableFile } from '../workspace/learnableFile';
import { isSecretFileName } from '../workspace/secrets';
import { normalizeLineEnds } from './corpus';
import type { TextSource } from '../ask/askable';

export class FolderTextSource implements TextSource {
  readonly root: string;

  constructor(root: string, private readonly maxBytes = DEFAULT_MAX_FILE_BYTES) {
    this.root = path.resolve(root);
  }

  async read(file: string): Promise<string | undefined> {
    if (file.includes('\u0000') || path.isAbsolute(file) || isSecretFileName(file)) return undefined;
    const full = path.resolve(this.root, file);
    const rel = path.relative(this.root, full);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    const read = await readLearnableFile(full, this.root, this.maxBytes);
    return 'text' in read ? normalizeLineEnds(read.text) : undefined;
  }
}
