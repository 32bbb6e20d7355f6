// Content-defined chunks of a file's text. A file is learned as several memory documents whose ids
// carry a hash of their content, so an edit (or a git checkout) only replaces the chunks it touched,
// applying one takes about a millisecond, and a big file never blocks the host for long. Chunks end
// at line ends chosen by the hash of the line just ended, so boundaries survive edits elsewhere.

export interface TextChunk {
  /** Stable id of this chunk inside its file: content hash plus occurrence number. */
  id: string;
  text: string;
}

/** A chunk as cut: with where it begins in the text it was cut from (UTF-16 offset). */
export interface PlacedChunk extends TextChunk {
  start: number;
}

export interface ChunkOptions {
  /** No boundary before this many characters (default 512). */
  minChars?: number;
  /** A boundary at the first line end past this many characters (default 8192: a chunk is the
   *  smallest piece the host learns in one go, a few ms); a single line longer than twice this is
   *  cut at a space (or anywhere) so no chunk grows without bound. */
  maxChars?: number;
  /** About one line end in `divisor` is a boundary once minChars is reached (default 96). */
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

export function chunkText(text: string, options: ChunkOptions = {}): PlacedChunk[] {
  const minChars = options.minChars ?? 512;
  const maxChars = options.maxChars ?? 8192;
  const divisor = options.divisor ?? 96;
  const chunks: PlacedChunk[] = [];
  const seen = new Map<string, number>();
  const close = (start: number, end: number): void => {
    const piece = text.slice(start, end);
    if (!piece.trim()) return;
    const hash = hashRange(text, start, end).toString(36);
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    chunks.push({ id: `${hash}.${occurrence}`, text: piece, start });
  };
  let start = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    if (lineEnd - start > maxChars * 2) {
      // A pathological endless line: cut it at a space near the limit.
      const limit = start + maxChars * 2;
      const space = text.lastIndexOf(' ', limit);
      const cut = space > start + maxChars ? space + 1 : limit;
      close(start, cut);
      start = cut;
      lineStart = cut;
      continue;
    }
    const next = Math.min(text.length, lineEnd + 1);
    const length = next - start;
    if ((length >= minChars && hashRange(text, lineStart, lineEnd) % divisor === 0) || length >= maxChars) {
      close(start, next);
      start = next;
    }
    lineStart = next;
  }
  if (start < text.length) close(start, text.length);
  return chunks;
}

/** FNV-1a over UTF-16 code units. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
