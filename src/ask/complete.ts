// `complete`: how a text continues in this memory: the ghost text the editor would show and its
// alternatives with their probabilities (the predictor mixing local and team memory, as in the
// editor), and for each alternative how often each memory saw it after the text's last tokens,
// local and team apart.
import { endsInsideWord, tokenize, type Predictor } from '../memory/index';
import type { CountingMemory } from './askable';

export interface MemoryCount {
  /** How many times the memory saw the counted tokens: `after`, then the alternative's first tokens. */
  count: number;
  /** The tokens of the text that preceded them in that count (the longest that was seen, up to the memory's order). */
  after: string[];
  /** How many of the alternative's tokens the count covers (its memory's order bounds it). */
  covered: number;
}

export interface CompleteAlternative {
  /** Text to insert after the given text (it finishes a partly typed last word). */
  text: string;
  tokens: string[];
  /** The predictor's confidence in the whole continuation, 0..1. */
  probability: number;
  local: MemoryCount;
  /** Null when no team memory is attached. */
  team: MemoryCount | null;
}

export interface CompleteAnswer {
  /** The ghost text the editor would show ('' when the memory is not sure enough). */
  ghostText: string;
  /** The partly typed word the continuations finish ('' when the text ends between words). */
  partialWord: string;
  alternatives: CompleteAlternative[];
  /** Tokens each memory holds (team: null when none is attached). */
  memories: { local: number; team: number | null };
}

/** Characters before the end of the text read as context (the predictor reads the same). */
const CONTEXT_CHARS = 1024;

export function complete(predictor: Predictor, local: CountingMemory, team: CountingMemory | undefined, text: string, limit: number): CompleteAnswer {
  const result = predictor.complete(text, { alternatives: limit - 1 });
  const context = contextTokens(text);
  return {
    ghostText: result.best?.text ?? '',
    partialWord: result.best?.partialWord ?? result.alternatives[0]?.partialWord ?? '',
    alternatives: result.alternatives.slice(0, limit).map((c) => ({
      text: c.text,
      tokens: c.tokens,
      probability: c.confidence,
      local: countAfter(local, context, c.tokens),
      team: team ? countAfter(team, context, c.tokens) : null,
    })),
    memories: { local: local.tokenTotal, team: team ? team.tokenTotal : null },
  };
}

/** The whole tokens before the end of the text (a partly typed word is what the alternatives finish). */
function contextTokens(text: string): string[] {
  const tail = text.length > CONTEXT_CHARS ? text.slice(-CONTEXT_CHARS) : text;
  const tokens = tokenize(tail);
  if (tail.length < text.length) tokens.shift(); // may be cut
  if (endsInsideWord(text)) tokens.pop();
  return tokens;
}

/**
 * The count of the alternative's first tokens after the longest end of the context the memory saw
 * them after. A longer context is seen no more often than a shorter one, so the longest seen is
 * found by halving (a few lookups, not one per length).
 */
function countAfter(memory: CountingMemory, context: string[], tokens: string[]): MemoryCount {
  const body = tokens.slice(0, memory.order);
  const counted = (k: number) => memory.count([...context.slice(context.length - k), ...body]);
  let best = 0;
  let bestCount = counted(0);
  let lo = 1;
  let hi = Math.max(0, Math.min(context.length, memory.order - body.length));
  if (bestCount > 0) {
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = counted(mid);
      if (c > 0) {
        best = mid;
        bestCount = c;
        lo = mid + 1;
      } else hi = mid - 1;
    }
  }
  return { count: bestCount, after: context.slice(context.length - best), covered: body.length };
}
