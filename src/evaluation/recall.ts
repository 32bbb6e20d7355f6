// Recall of what the memory has seen: a user expects a memory to finish a line it has seen twice.
// Lines of the test files that occur (trimmed) at least twice among the training files' lines are
// typed up to half their length, in their file (the text before the line counts as written), and
// the ghost text's next word (Ctrl+→) must be exactly what follows.
import { nextWordLength, type GhostTextSource } from './keystrokes';
import { tokenize } from '../memory/index';

export interface RecallFigures {
  /** Test lines seen at least twice in training (before sampling). */
  eligibleLines: number;
  /** Lines asked (evenly spaced among the eligible ones). */
  lines: number;
  /** Lines whose ghost text's next word was what follows. */
  hits: number;
  /** hits / lines, in percent. */
  recall: number;
}

/** A test line to finish: where its first half ends in its file, and what follows there. */
export interface RecallProbe {
  file: number;
  cursor: number;
  rest: string;
}

/** The test lines seen at least twice in training, evenly sampled down to `maxLines`. */
export function recallProbes(train: ReadonlyArray<{ text: string }>, test: ReadonlyArray<{ text: string }>, maxLines: number): { probes: RecallProbe[]; eligible: number } {
  const seen = new Map<string, number>();
  for (const doc of train) {
    for (const line of doc.text.split('\n')) {
      const key = line.trim();
      if (key) seen.set(key, Math.min(2, (seen.get(key) ?? 0) + 1));
    }
  }
  const eligible: RecallProbe[] = [];
  test.forEach((doc, file) => {
    let start = 0;
    for (const line of doc.text.split('\n')) {
      const key = line.trim();
      if (seen.get(key) === 2 && tokenize(key).length >= 2) {
        const indent = line.length - line.trimStart().length;
        const half = Math.max(1, Math.floor(key.length / 2));
        const cursor = start + indent + half;
        eligible.push({ file, cursor, rest: key.slice(half) });
      }
      start += line.length + 1;
    }
  });
  const step = Math.max(1, eligible.length / Math.max(1, maxLines));
  const probes: RecallProbe[] = [];
  for (let i = 0; i < eligible.length && probes.length < maxLines; i = Math.floor(probes.length * step)) probes.push(eligible[i]);
  return { probes, eligible: eligible.length };
}

/** Asks `sourceForFile(file)` for the ghost text at each probe; a hit is a next word that matches. */
export function measureRecall(test: ReadonlyArray<{ text: string }>, probes: { probes: RecallProbe[]; eligible: number }, sourceForFile: (file: number) => GhostTextSource): RecallFigures {
  let hits = 0;
  for (const probe of probes.probes) {
    const ghost = sourceForFile(probe.file)(test[probe.file].text.slice(0, probe.cursor)) ?? '';
    const word = ghost.slice(0, nextWordLength(ghost));
    if (word.trim().length > 0 && probe.rest.startsWith(word)) hits++;
  }
  const lines = probes.probes.length;
  return { eligibleLines: probes.eligible, lines, hits, recall: lines > 0 ? (100 * hits) / lines : 0 };
}
