// Keystroke replay over a test set: sampled windows of every file typed through a ghost-text
// source, each call timed, summed into keystroke savings and latency figures.
import { autoIndentMask, keystrokeSavings, simulateTyping, type GhostTextSource, type TypingResult } from './keystrokes';
import { summarizeLatency, type LatencySummary } from './latency';
import { perFileAllowance, typingWindows } from './sampling';

export interface KeystrokeDetail {
  characters: number;
  keystrokes: number;
  acceptances: number;
  acceptedCharacters: number;
}

export interface TypingOutcome {
  results: TypingResult[];
  latencies: number[];
  cpuLatencies: number[];
}

export interface TypingFigures {
  /** Percent of keystrokes saved; null when not measured. */
  keystrokeSavings: number | null;
  latencyMs: LatencySummary | null;
  latencyCpuMs: LatencySummary | null;
  keystrokes: KeystrokeDetail | null;
}

/** Replays the sampled windows of every test file; `sourceForWindow` gives a ghost-text source per window. */
export function replayTyping(
  test: ReadonlyArray<{ text: string }>,
  budget: number,
  sourceForWindow: () => GhostTextSource,
  cpuMs: (() => number) | undefined,
): TypingOutcome {
  const allowance = perFileAllowance(budget, test.length);
  const outcome: TypingOutcome = { results: [], latencies: [], cpuLatencies: [] };
  for (const doc of test) {
    const free = autoIndentMask(doc.text);
    for (const range of typingWindows(doc.text, allowance)) {
      const source = sourceForWindow();
      const timed: GhostTextSource = (before) => {
        const cpuStart = cpuMs?.();
        const start = performance.now();
        const ghost = source(before);
        outcome.latencies.push(performance.now() - start);
        if (cpuStart !== undefined) outcome.cpuLatencies.push(cpuMs!() - cpuStart);
        return ghost;
      };
      outcome.results.push(simulateTyping(doc.text, timed, range, free));
    }
  }
  return outcome;
}

export function typingFigures(outcome: TypingOutcome | null): TypingFigures {
  if (!outcome) return { keystrokeSavings: null, latencyMs: null, latencyCpuMs: null, keystrokes: null };
  const detail: KeystrokeDetail = { characters: 0, keystrokes: 0, acceptances: 0, acceptedCharacters: 0 };
  for (const r of outcome.results) {
    detail.characters += r.characters;
    detail.keystrokes += r.keystrokes;
    detail.acceptances += r.acceptances;
    detail.acceptedCharacters += r.acceptedCharacters;
  }
  return {
    keystrokeSavings: keystrokeSavings(outcome.results) * 100,
    latencyMs: summarizeLatency(outcome.latencies),
    latencyCpuMs: outcome.cpuLatencies.length ? summarizeLatency(outcome.cpuLatencies) : null,
    keystrokes: detail,
  };
}
