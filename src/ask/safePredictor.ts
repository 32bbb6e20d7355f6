// The completion path for the questions, in the editor and the MCP server: the predictor over local
// and team memory with the same defence in depth on the way out as ghost text (completionFilter.ts): nothing
// secret-looking and no forgotten word, whatever the memories hold (the team layer comes from
// peers, who are untrusted). Pure (no vscode).
import { Predictor, type PredictorOptions, type RankSource } from '../memory/predictor';
import type { CompleteOptions, CompletionResult } from '../memory/types';
import { filterCompletion } from '../workspace/completionFilter';

export class SafePredictor extends Predictor {
  constructor(
    memories: RankSource[],
    private readonly forgotten: () => ReadonlySet<string>,
    options?: PredictorOptions,
  ) {
    super(memories, options);
  }

  override complete(textBeforeCursor: string, options?: CompleteOptions & { cacheKey?: string }): CompletionResult {
    return filterCompletion(textBeforeCursor, super.complete(textBeforeCursor, options), this.forgotten());
  }
}
