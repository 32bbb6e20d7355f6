// `find`: where a phrase (a token sequence) occurs in the learned files, as they are now. The memory
// gives the occurrences it learned (document, token offset) in its order; each is checked against
// the file's current text from where its chunk began (chunkCheck.ts: one pass over the chunk, not
// the file). Where the chunk no longer holds it, the file changed there, and the whole file
// (secrets blanked) is searched for where the phrase is now. A location that no longer holds the
// phrase is never returned.
import type { LocatingMemory, TextSource } from './askable';
import { ChunkCheck } from './chunkCheck';
import { CurrentText } from './currentText';
import { shownLine } from './shownText';

export interface FoundLine {
  /** The file as learned (relative to the folder it was learned in). */
  file: string;
  /** 1-based line and column (UTF-16) where the phrase starts now. */
  line: number;
  column: number;
  /** That line's text now (secrets blanked, long lines cut). */
  text: string;
}

export interface FindAnswer {
  tokens: string[];
  /** Occurrences in the memory, as learned. */
  total: number;
  /** Where the first of them are now, in the memory's order (files as learned, then lines). */
  occurrences: FoundLine[];
  /** Learned occurrences found no longer where they were learned (their files were searched again). */
  moved: number;
  /** Learned occurrences whose file cannot be read now (gone, or not to be read), or whose origin is unknown. */
  unreadable: number;
  /** Whether more occurrences may follow those listed. */
  more: boolean;
}

/** Learned occurrences checked per listed one at most, so files gone in bulk cost bounded work. */
const CHECKS_PER_RESULT = 4;
const MIN_CHECKS = 64;

export async function find(memory: LocatingMemory, source: TextSource, tokens: string[], limit: number): Promise<FindAnswer> {
  const answer: FindAnswer = { tokens, total: memory.occurrenceCount(tokens), occurrences: [], moved: 0, unreadable: 0, more: false };
  const texts = new Map<string, Promise<CurrentText | undefined>>();
  const load = (file: string) => {
    let text = texts.get(file);
    if (!text) {
      text = source.read(file).then(
        (t) => (t === undefined ? undefined : new CurrentText(t)),
        () => undefined, // unreadable now: counted, never fatal to the question
      );
      texts.set(file, text);
    }
    return text;
  };
  const checks = new Map<string, ChunkCheck>();
  const shown = new Set<string>();
  const searched = new Set<string>();
  const found: Array<FoundLine & { offset: number }> = [];
  const add = (hit: FoundLine & { offset: number }) => {
    const key = `${hit.file}\u0000${hit.offset}`;
    if (shown.has(key)) return;
    shown.add(key);
    found.push(hit);
  };
  const budget = Math.max(MIN_CHECKS, limit * CHECKS_PER_RESULT);
  let checked = 0;
  let after: number | undefined;
  let exhausted = false;
  while (found.length < limit && checked < budget) {
    const size = Math.min(budget - checked, limit - found.length + 8);
    const batch = memory.occurrences(tokens, size, after);
    exhausted = batch.length < size;
    const origins = batch.map((o) => memory.documentOrigin(o.document));
    // The files of as many occurrences as are still to list are read at once (most of a question's
    // time is waiting on the disk); those of the spare ones only if they are needed.
    const wanted = limit - found.length;
    for (const o of origins.slice(0, wanted)) if (o && !searched.has(o.file)) void load(o.file);
    for (let i = 0; i < batch.length && found.length < limit; i++) {
      const occurrence = batch[i];
      const origin = origins[i];
      after = occurrence.key;
      checked++;
      if (!origin) {
        answer.unreadable++;
        continue;
      }
      if (searched.has(origin.file)) continue; // already listed where the phrase is in it now
      const text = await load(origin.file);
      if (!text) {
        answer.unreadable++;
        continue;
      }
      const checkKey = occurrence.continues ? [occurrence.document, ...occurrence.continues].join('\u0000') : occurrence.document;
      let check = checks.get(checkKey);
      if (!check) checks.set(checkKey, (check = new ChunkCheck(memory, occurrence.document, origin, text, occurrence.continues)));
      const place = check.place(occurrence.offset, tokens.length);
      if (place) {
        add({ file: origin.file, line: place.line + 1, column: place.column + 1, text: shownLine(place.text, place.column), offset: place.offset });
        continue;
      }
      answer.moved++;
      searched.add(origin.file);
      for (const now of searchWhole(text, origin.file, tokens, limit)) add(now);
    }
    if (exhausted) break;
  }
  // Files in the memory's order, places in a file by where they are now (a file searched again
  // may have listed some above places confirmed before).
  const fileRank = new Map<string, number>();
  for (const f of found) if (!fileRank.has(f.file)) fileRank.set(f.file, fileRank.size);
  found.sort((a, b) => fileRank.get(a.file)! - fileRank.get(b.file)! || a.offset - b.offset);
  answer.occurrences = found.slice(0, limit).map(({ file, line, column, text }) => ({ file, line, column, text }));
  // Occurrences not yet checked may be listable; a slow search may also have listed some early.
  answer.more = checked < answer.total;
  return answer;
}

/** Where the phrase is in the whole current text (secrets blanked first), at most `limit` places. */
function searchWhole(current: CurrentText, file: string, tokens: string[], limit: number): Array<FoundLine & { offset: number }> {
  const found: Array<FoundLine & { offset: number }> = [];
  const all = current.redactedTokens;
  const n = tokens.length;
  for (let i = 0; i + n <= all.length && found.length < limit; i++) {
    let k = 0;
    while (k < n && all[i + k].text === tokens[k]) k++;
    if (k < n) continue;
    const at = all[i].start;
    const line = current.lineOf(at);
    const column = at - current.lineStarts[line];
    found.push({ file, line: line + 1, column: column + 1, text: shownLine(current.line(line, true), column), offset: at });
  }
  return found;
}
