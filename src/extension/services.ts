// What the extension host's core offers to its features (light panel, share session, tests).
// extension.ts builds one `LightNetworkServices` and hands it to each feature's register function,
// so features never reach into each other's internals.
import type * as vscode from 'vscode';
import type { Memory } from '../memory/memory';
import type { LiveMemory } from '../memory/liveMemory';
import type { CompleteOptions, CompletionResult, DeltaBatch, Prediction } from '../memory/types';

/** Why the memory changed; the light field grows visibly on 'training' and 'team'. */
export type MemoryChangeSource = 'training' | 'edit' | 'file' | 'team' | 'forget' | 'reset' | 'load';

export interface MemoryChange {
  source: MemoryChangeSource;
}

/** The user typed in an editor: the word at the cursor and what the memory expects next. */
export interface TypingEvent {
  /** The word (token) just typed or being typed at the cursor. */
  word: string;
  /** The tokens before the cursor on which predictions were made (most recent last). */
  context: string[];
  /** The same predictions the ghost text is built from, best first. */
  predictions: Prediction[];
}

/** A collaborator in a shared session, as the light field shows them. */
export interface PeerPresence {
  id: string;
  name: string;
  /** CSS colour, e.g. '#e0a030'. */
  color: string;
  /** The word the peer is typing now ('' when idle). */
  word: string;
}

export interface LightNetworkServices {
  readonly context: vscode.ExtensionContext;
  /** The memory learned from this workspace. Never changed by peers. */
  readonly local: LiveMemory;
  /** The team layer: counts merged from a shared session's peers, kept apart from `local`. */
  readonly team: Memory;
  /** Where diagnostics are written (the "Light Network" output channel). */
  readonly log: vscode.LogOutputChannel;

  /** The real completion path (local and team memories together), as the ghost text uses it.
   *  With `cacheKey` (the ghost text passes the document's URI) a recency cache of that document's
   *  text before the cursor is kept and followed incrementally. */
  complete(textBeforeCursor: string, options?: CompleteOptions & { cacheKey?: string }): CompletionResult;
  /** Ranked next tokens after a context, from local and team memories together. */
  predictNext(context: string[], k: number): Prediction[];

  /** Fires, throttled, whenever the local or team memory changed. */
  readonly onDidChangeMemory: vscode.Event<MemoryChange>;
  /** Fires as the user types in any editor. */
  readonly onDidType: vscode.Event<TypingEvent>;
  /** Fires with each net change of the local memory (training, edits, file events, forgetting). */
  readonly onDidChangeLocal: vscode.Event<DeltaBatch>;

  /** Fires when a shared session's collaborators or their current words change. */
  readonly onDidChangePeers: vscode.Event<PeerPresence[]>;
  /** Called by the share session with the current collaborators (empty when not sharing). */
  setPeers(peers: PeerPresence[]): void;

  /** Applies a validated batch from peers to the team layer and fires onDidChangeMemory('team'). */
  applyTeamDelta(batch: DeltaBatch): void;
  /** Empties the team layer (leaving a session without keeping it, or "forget team memory"). */
  clearTeam(): void;
  /** Which collaborators taught the team memory `ngram` (names as shown; empty when none or not known). */
  teamContributors(ngram: readonly string[]): string[];
  /** The share feature says who taught the team memory's counts while it knows (undefined: nobody knows). */
  setTeamContributors(source: ((ngram: readonly string[]) => string[]) | undefined): void;
  /** Removes a word from every memory and from future learning in this workspace. */
  forgetWord(word: string): Promise<void>;
}
