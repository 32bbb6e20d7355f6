// The three questions of src/ask (complete, find, neighbors) over the open workspace's memories:
// the live local memory (counts and places, exact at every moment) and, when collaborators shared
// text, the team memory (counts only: it never answers `find`, as their files are not here to
// show). The language-model tools and Ask the Memory both ask through here, so a person and a model
// get the same answers.
//
// `find` lists a place only where the phrase is now: each learned occurrence's chunk is located in
// its file's current text (the editor's when open), and the queries of src/ask check every place
// against that same text before it is listed.
import * as vscode from 'vscode';
import { Asker, DEFAULT_LIMITS, type Answer } from '../../ask/asker';
import type { TextSource } from '../../ask/askable';
import type { CompleteAnswer } from '../../ask/complete';
import type { FindAnswer } from '../../ask/find';
import { listLimit, phraseTokens } from '../../ask/input';
import type { NeighborsAnswer } from '../../ask/neighbors';
import type { LiveMemory } from '../../memory/liveMemory';
import { fileKeyOfDocument } from '../../workspace/chunks';
import { isSafeWord } from '../../workspace/completionFilter';
import type { LightNetworkCore } from '../core/lightNetworkCore';
import { chunkOrigin, type LearnedText } from './learnedText';
import type { WordFilter } from '../../ask/askable';
import { LiveAskable } from './liveAskable';
import { SafePredictor } from '../../ask/safePredictor';
import { WorkspaceText } from './workspaceText';

/**
 * Learned occurrences `find` checks at most for a question of `limit` places (src/ask/find.ts:
 * CHECKS_PER_RESULT and MIN_CHECKS): the files of exactly these are read before it looks.
 */
const checksFor = (limit: number) => Math.max(64, limit * 4);
/** Files read at once while preparing a question (each is read, blanked and cut into chunks). */
const READS_AT_ONCE = 8;

export class WorkspaceAsk {
  private readonly local: LiveAskable;
  /** The team memory's live memory, as a CountingMemory: Asker never asks it for places. */
  private readonly team: LiveAskable;
  private predictor: SafePredictor | undefined;
  /** Neighbour lists show no secret-looking or forgotten word, whatever a memory holds (as ghost text). */
  private readonly keep: WordFilter;
  private predictorOf: [LiveMemory, LiveMemory] | undefined;

  constructor(
    private readonly core: LightNetworkCore,
    readonly text: WorkspaceText = new WorkspaceText(core.forgotten),
  ) {
    this.keep = (word) => isSafeWord(word, core.forgottenWords);
    this.local = new LiveAskable(() => core.local, undefined, this.keep);
    this.team = new LiveAskable(() => core.team.live, undefined, this.keep);
  }

  complete(text: string, limit?: number): Answer<CompleteAnswer> {
    return this.asker().complete(text, limit);
  }

  neighbors(word: string, limit?: number): Answer<NeighborsAnswer> {
    return this.asker().neighbors(word, limit);
  }

  async find(phrase: string, limit?: number): Promise<Answer<FindAnswer>> {
    // Bad input is refused before any file is read (the same checks Asker.find makes).
    const tokens = phraseTokens(phrase);
    const n = listLimit(limit, DEFAULT_LIMITS.find);
    if (!hasFolder()) return this.asker().find(phrase, n); // says why it cannot look
    // A document's origin is needed synchronously inside find, and is only known from its file's
    // current text: read the files of every occurrence find may check first, once per question.
    const texts = new Map<string, LearnedText | undefined>();
    const keys = [...new Set(this.local.occurrences(tokens, checksFor(n)).map((o) => fileKeyOfDocument(o.document)))];
    this.text.clearCaches();
    await eachAtMost(keys, READS_AT_ONCE, async (key) => texts.set(key, await this.text.read(key).catch(() => undefined)));
    const local = new LiveAskable(
      () => this.core.local,
      (document) => {
        const key = fileKeyOfDocument(document);
        const current = texts.get(key);
        return current && chunkOrigin(key, document.slice(key.length + 1), current);
      },
      this.keep,
    );
    const files: TextSource = {
      read: async (key) => {
        if (!texts.has(key)) texts.set(key, await this.text.read(key).catch(() => undefined));
        return texts.get(key)?.text;
      },
    };
    return this.asker(local, files).find(phrase, n);
  }

  /** An asker over the memories in use now (the host replaces them when a saved memory loads). */
  private asker(local: LiveAskable = this.local, files?: TextSource): Asker {
    const live = this.core.local;
    const team = this.core.team.live;
    if (!this.predictor || !this.predictorOf || this.predictorOf[0] !== live || this.predictorOf[1] !== team) {
      // The editor's own mix of local and team memory and its filter; kept, so its lookups are built once.
      this.predictor = new SafePredictor([live, team], () => this.core.forgottenWords);
      this.predictorOf = [live, team];
    }
    return new Asker({
      local,
      // A team memory only once collaborators shared text: answers then show local and team apart.
      team: team.tokenTotal > 0 ? this.team : undefined,
      files,
      noFilesReason: hasFolder() ? undefined : 'no workspace folder is open',
      predictor: this.predictor,
    });
  }
}

function hasFolder(): boolean {
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
}

/** Runs `work` on every item, at most `n` at a time. */
async function eachAtMost<T>(items: T[], n: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
