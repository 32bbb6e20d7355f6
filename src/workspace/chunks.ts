// Content-defined chunks of a file's token stream. A file is learned as several memory documents
// whose ids carry a hash of their content, so that an edit (or a git checkout) only replaces the
// chunks it touched, applying one stays well under a millisecond or so, and a big file never blocks
// the host for long. Boundaries depend only on the line just ended, so they survive edits elsewhere.
import { NEWLINE } from '../memory/types';

export interface TokenChunk {
  /** Stable id of this chunk inside its file: content hash plus occurrence number. */
  id: string;
  tokens: string[];
}

export interface ChunkOptions {
  /** No boundary before this many tokens (default 64). */
  minTokens?: number;
  /** Always a boundary (at the next line end, or here if the line is longer) (default 4096). */
  maxTokens?: number;
  /** About one line end in `divisor` is a boundary once minTokens is reached (default 64). */
  divisor?: number;
}

/** The separator between a file's key and a chunk id in a memory document id. */
export const CHUNK_SEPARATOR = '\u0000';

export function chunkDocumentId(fileKey: string, chunkId: string): string {
  return fileKey + CHUNK_SEPARATOR + chunkId;
}

/** The file key of a memory document id made by `chunkDocumentId` (the id itself otherwise). */
export function fileKeyOfDocument(documentId: string): string {
  const cut = documentId.indexOf(CHUNK_SEPARATOR);
  return cut === -1 ? documentId : documentId.slice(0, cut);
}

export function chunkTokens(tokens: string[], options: ChunkOptions = {}): TokenChunk[] {
  const minTokens = options.minTokens ?? 64;
  const maxTokens = options.maxTokens ?? 4096;
  const divisor = options.divisor ?? 64;
  const chunks: TokenChunk[] = [];
  const seen = new Map<number, number>();
  let start = 0;
  let lineHash = FNV_OFFSET;
  const close = (end: number): void => {
    const slice = tokens.slice(start, end);
    const hash = hashTokens(slice);
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    chunks.push({ id: `${hash.toString(36)}.${occurrence}`, tokens: slice });
    start = end;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const length = i + 1 - start;
    if (token === NEWLINE) {
      if ((length >= minTokens && lineHash % divisor === 0) || length >= maxTokens) close(i + 1);
      lineHash = FNV_OFFSET;
    } else {
      lineHash = hashString(token, lineHash);
      if (length >= maxTokens * 2) close(i + 1); // a pathological endless line
    }
  }
  if (start < tokens.length) close(tokens.length);
  return chunks;
}

const FNV_OFFSET = 0x811c9dc5;

function hashString(s: string, hash: number): number {
  let h = hash;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A token boundary marker, so ["ab"] and ["a","b"] differ.
  h ^= 0x1f;
  return Math.imul(h, 0x01000193) >>> 0;
}

function hashTokens(tokens: string[]): number {
  let h = FNV_OFFSET;
  for (const token of tokens) h = hashString(token, h);
  return h;
}
