// Turns ranked next tokens into the ghost text a user sees: complete the partly typed word, then
// extend greedily while the chained confidence stays above a threshold, never past the end of the
// line, and join tokens with the spacing the memories learned.
import { shouldSpace, type SpacingVotes } from './spacing';
import { isWordy } from './tokenizer';
import { NEWLINE, type Completion, type CompletionResult } from './types';

export interface Ranked {
  tokens: string[];
  probs: number[];
}

/** What the continuation search needs from the predictor. */
export interface ContinuationModel {
  rank(context: string[], k: number, prefix: string): Ranked;
  spacingVotes(prev: string, next: string, out: SpacingVotes): void;
}

export interface ContinuationRequest {
  context: string[];
  partialWord: string;
  /** The text before the cursor ends in whitespace (so no space is added before the ghost text). */
  afterSpace: boolean;
  maxWords: number;
  minConfidence: number;
  alternatives: number;
}

export const DEFAULT_MAX_WORDS = 6;
export const DEFAULT_MIN_CONFIDENCE = 0.3;
const MAX_TOKENS_PER_WORD = 3;

export function searchContinuation(model: ContinuationModel, req: ContinuationRequest): CompletionResult {
  const want = Math.max(1, req.alternatives + 1);
  const first = model.rank(req.context, want + 1, req.partialWord); // one spare: a NEWLINE is skipped
  const alternatives: Completion[] = [];
  for (let i = 0; i < first.tokens.length && alternatives.length < want; i++) {
    const c = extend(model, req, first.tokens[i], first.probs[i]);
    if (c) alternatives.push(c);
  }
  const top = alternatives[0];
  const best = top && top.confidence >= req.minConfidence && top.text.length > 0 ? top : undefined;
  return { best, alternatives };
}

function extend(model: ContinuationModel, req: ContinuationRequest, firstToken: string, firstProb: number): Completion | undefined {
  if (firstToken === NEWLINE) return undefined;
  const tokens = [firstToken];
  const context = [...req.context, firstToken];
  let confidence = firstProb;
  let words = isWordy(firstToken) && firstToken !== req.partialWord ? 1 : 0;
  while (words < req.maxWords && tokens.length < req.maxWords * MAX_TOKENS_PER_WORD) {
    const next = model.rank(context, 1, '');
    if (next.tokens.length === 0) break;
    const token = next.tokens[0];
    if (token === NEWLINE) break;
    const c = confidence * next.probs[0];
    if (c < req.minConfidence) break;
    confidence = c;
    tokens.push(token);
    context.push(token);
    if (isWordy(token)) words++;
  }
  let text: string;
  if (req.partialWord) {
    text = firstToken.slice(req.partialWord.length);
  } else {
    const prev = req.context[req.context.length - 1];
    const space = !req.afterSpace && prev !== undefined && prev !== NEWLINE && spaced(model, prev, firstToken);
    text = (space ? ' ' : '') + firstToken;
  }
  for (let i = 1; i < tokens.length; i++) text += (spaced(model, tokens[i - 1], tokens[i]) ? ' ' : '') + tokens[i];
  return { text, partialWord: req.partialWord, tokens, confidence };
}

function spaced(model: ContinuationModel, prev: string, next: string): boolean {
  const votes: SpacingVotes = { pairSpaced: 0, pairJoined: 0, classSpaced: 0, classJoined: 0 };
  model.spacingVotes(prev, next, votes);
  return shouldSpace(prev, next, votes);
}
