// The three questions over one workspace's memories: the local memory (counts and places), an
// optional team memory (counts only: peers share counts, not files, so it never answers `find`),
// and where the learned files' current text comes from. Each answer is data plus readable text;
// the MCP server (mcpServer.ts) and the editor's tools present the same answers.
import type { Predictor } from '../memory/index';
import type { CountingMemory, LocatingMemory, TextSource } from './askable';
import { complete, type CompleteAnswer } from './complete';
import { find, type FindAnswer } from './find';
import { AskError, completionText, listLimit, phraseTokens, wordToken } from './input';
import { neighbors, type NeighborsAnswer } from './neighbors';
import { renderComplete, renderFind, renderNeighbors } from './render';
import { SafePredictor } from './safePredictor';

export interface AskSources {
  local: LocatingMemory;
  team?: CountingMemory;
  /** The learned files' current text; without it `find` explains that it cannot look. */
  files?: TextSource;
  /** Why `find` cannot look, when `files` is missing (shown to the client). */
  noFilesReason?: string;
  /**
   * The predictor to complete with (the editor's own); otherwise one over local and team that
   * never completes with anything secret-looking, as ghost text never does.
   */
  predictor?: Predictor;
}

export interface Answer<T> {
  data: T;
  text: string;
}

const NOTHING_FORGOTTEN: ReadonlySet<string> = new Set();

export const DEFAULT_LIMITS = { complete: 5, find: 10, neighbors: 10 };

export class Asker {
  private readonly predictor: Predictor;

  constructor(private readonly sources: AskSources) {
    this.predictor = sources.predictor ?? new SafePredictor(sources.team ? [sources.local, sources.team] : [sources.local], () => NOTHING_FORGOTTEN);
  }

  /**
   * Builds the one lookup a question would otherwise build on first use, the predictor's index of
   * words by prefix (a second or more on a memory of tens of millions of tokens), by completing a
   * partly typed word that no memory holds. (Predictor.warmUp also ranks the contexts of the most
   * frequent words, which an indexed memory summarized when it was built, after sorting the whole
   * vocabulary: ~90 MB more at the peak on 32M tokens of C for nothing a question needs.) Then
   * what each memory builds for its first question (an indexed memory: its words by frequency).
   */
  warmUp(): void {
    this.predictor.complete('qzxqzjvkqzx');
    this.sources.local.prepare?.();
    this.sources.team?.prepare?.();
  }

  complete(text: string, limit?: number): Answer<CompleteAnswer> {
    const data = complete(this.predictor, this.sources.local, this.sources.team, completionText(text), listLimit(limit, DEFAULT_LIMITS.complete));
    return { data, text: renderComplete(data, !!this.sources.team) };
  }

  async find(phrase: string, limit?: number): Promise<Answer<FindAnswer>> {
    const tokens = phraseTokens(phrase);
    const n = listLimit(limit, DEFAULT_LIMITS.find);
    if (!this.sources.files) throw new AskError(`find cannot look in the learned files: ${this.sources.noFilesReason ?? 'no folder to read them from'}`);
    const data = await find(this.sources.local, this.sources.files, tokens, n);
    return { data, text: renderFind(data) };
  }

  neighbors(word: string, limit?: number): Answer<NeighborsAnswer> {
    const data = neighbors(this.sources.local, this.sources.team, wordToken(word), listLimit(limit, DEFAULT_LIMITS.neighbors));
    return { data, text: renderNeighbors(data, !!this.sources.team) };
  }
}
