// The team memory: collaborators' chunks of text (document ids `writer/key`, see textBatch.ts) in a
// live memory, an index with an overlay as the local memory is, so it costs what the text costs.
// Invariant: once whenIdle() resolves, the live memory holds exactly the documents last set (and
// not removed since) through setDocument, in the words they were set with, less forgotten words.
// Changes are queued and applied in two ways: a few (an edit a collaborator made) go into the
// overlay at once; many (a first sync brings a whole memory) go into a new index, built by `build`
// (in the extension, on the memory file worker; elsewhere in process), which never puts a bulk
// sync's n-grams in the overlay's trie, where each costs several times what the index asks.
// While a build runs, every change waits in the queue: one that went into the overlay meanwhile
// could be undone by the index being installed (a removal of a document only the build holds).
import { IndexedMemoryBuilder, type IndexedMemory } from '../memory/indexedMemory';
import { addSnapshot, LiveMemory, type PreparedIndex, type RebuildSnapshot } from '../memory/liveMemory';
import type { MemoryStats } from '../memory/types';
import { HOLE } from '../memory/vocabulary';
import { yieldToEventLoop } from '../threads/sliceScheduler';

/** Where the team layer puts collaborators' chunks: tokens ('' is a cut), or undefined to remove the document. */
export interface TeamSink {
  setDocument(id: string, tokens: readonly string[] | undefined): void;
}

/** What the batch validator needs to know of the team memory it guards. */
export interface TeamMemoryView {
  readonly order: number;
  wordCount(word: string): number;
  stats(): { vocabulary: number; tokens: number };
}

/** Builds a new index from a rebuild snapshot (see LiveMemory.beginRebuild and addSnapshot). */
export type TeamIndexBuild = (snapshot: RebuildSnapshot) => Promise<IndexedMemory | PreparedIndex>;

export interface TeamMemoryOptions {
  order?: number;
  /** Builds indexes off the caller's thread; the default builds in process. */
  build?: TeamIndexBuild;
  /** After queued changes were counted (applied to the overlay, or a new index installed). */
  onChanged?: () => void;
  /** A build failed: its changes are queued again and tried with the next. */
  onError?: (error: Error) => void;
  /** Queued tokens up to which changes go straight into the overlay (default 20,000: an edit's chunks). */
  directTokens?: number;
  /** Tokens of the overlay's documents past which the overlay is folded into a new index (default 500,000). */
  overlayTokens?: number;
  /**
   * How long a small change waits for more before it goes into the overlay, unless the team layer
   * says sooner that nothing more is queued (settle). Default 40 ms.
   */
  gatherMs?: number;
  /**
   * How long a bulk change smaller than the memory waits for more before an index is built for it:
   * a sync arrives in pieces (messages of the link, slices of the team layer), and building for each
   * would build the whole memory again and again. Default 150 ms.
   */
  bulkGatherMs?: number;
  /** Words never counted (the user forgot them in this workspace): they become cuts as they arrive. */
  withheld?: (word: string) => boolean;
}

/** Tokens interned between turns of the event loop while a build is prepared. */
const INTERN_SLICE = 65_536;

/** Builds the index in this thread (headless peers, the CLI, tests). */
export const buildInProcess: TeamIndexBuild = async (snapshot) => {
  const builder = new IndexedMemoryBuilder({ order: snapshot.base.order });
  addSnapshot(builder, snapshot);
  return builder.build();
};

/** Separates a team document id's writer from its chunk key. */
export const WRITER_SEPARATOR = '/';

export function writerOfDocument(id: string): string {
  const cut = id.indexOf(WRITER_SEPARATOR);
  return cut < 0 ? id : id.slice(0, cut);
}

export class TeamMemory implements TeamSink, TeamMemoryView {
  readonly live: LiveMemory;
  /**
   * Changes not yet counted ('' a cut); null removes. Kept as words, not ids: installing an index
   * replaces the live memory's vocabulary.
   */
  private readonly queued = new Map<string, readonly string[] | null>();
  private queuedTokens = 0;
  private building = false;
  private timer: NodeJS.Timeout | undefined;
  private lastChange = 0;
  /** Bumped by clear(): a build started before it is dropped. */
  private epoch = 0;
  /** Words forgotten while a build ran: the installed index may hold them, so they are forgotten again. */
  private forgottenDuringBuild: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly build: TeamIndexBuild;
  private readonly directTokens: number;
  private readonly overlayLimit: number;

  constructor(private readonly options: TeamMemoryOptions = {}) {
    this.live = new LiveMemory(new IndexedMemoryBuilder({ order: options.order ?? 8 }).build());
    this.build = options.build ?? buildInProcess;
    this.directTokens = options.directTokens ?? 20_000;
    this.overlayLimit = options.overlayTokens ?? 500_000;
  }

  get order(): number {
    return this.live.order;
  }

  /**
   * Queues document `id` to become `tokens` ('' a cut), or to go (undefined); counted by whenIdle().
   * The array is kept as it is until then: the caller hands it over.
   */
  setDocument(id: string, tokens: readonly string[] | undefined): void {
    const withheld = this.options.withheld;
    if (tokens && withheld && tokens.some((t) => t !== '' && withheld(t))) tokens = tokens.map((t) => (t !== '' && withheld(t) ? '' : t));
    const before = this.queued.get(id);
    if (before) this.queuedTokens -= before.length;
    this.queued.set(id, tokens ?? null);
    this.queuedTokens += tokens?.length ?? 0;
    this.schedule();
  }

  /** Resolves once every change queued so far is counted. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get idle(): boolean {
    return this.queued.size === 0 && !this.building;
  }

  /** Changes waiting to be counted (documents, tokens). */
  get pending(): { documents: number; tokens: number } {
    return { documents: this.queued.size, tokens: this.queuedTokens };
  }

  wordCount(word: string): number {
    return this.live.wordCount(word);
  }

  count(ngram: string[]): number {
    return this.live.count(ngram);
  }

  stats(): MemoryStats {
    return this.live.stats();
  }

  get bytes(): number {
    // The queued arrays hold references to strings the batches' tables share.
    return this.live.bytes + 8 * this.queuedTokens;
  }

  /**
   * The writers whose documents hold `ngram`, from up to `limit` of its occurrences (an n-gram met
   * more often than that may name fewer writers than taught it).
   */
  writersOf(ngram: readonly string[], limit = 256): string[] {
    if (ngram.length === 0) return [];
    const ids = new Int32Array(ngram.length);
    for (let i = 0; i < ngram.length; i++) {
      const id = this.live.vocab.get(ngram[i]);
      if (id === undefined || id === HOLE) return [];
      ids[i] = id;
    }
    const writers = new Set<string>();
    for (const { document } of this.live.occurrences(ids, limit)) writers.add(writerOfDocument(document));
    return [...writers];
  }

  /** The documents of `writer` counted now or queued to be. */
  documentsOf(writer: string): string[] {
    const prefix = writer + WRITER_SEPARATOR;
    const out = new Set<string>();
    for (const id of this.live.documentIds()) if (id.startsWith(prefix)) out.add(id);
    for (const [id, tokens] of this.queued) {
      if (!id.startsWith(prefix)) continue;
      if (tokens) out.add(id);
      else out.delete(id);
    }
    return [...out];
  }

  /** Forgets every document, queued or counted. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.epoch++;
    this.queued.clear();
    this.queuedTokens = 0;
    this.forgottenDuringBuild = [];
    this.live.clear();
    this.building = false;
    this.resolveWaiters();
    this.options.onChanged?.();
  }

  /** Removes `word` from every document (it becomes a cut), counted and queued. */
  forgetWord(word: string): void {
    const target = this.live.vocab.get(word);
    if (target === undefined || target === HOLE) return;
    for (const [id, tokens] of this.queued) if (tokens?.includes(word)) this.queued.set(id, tokens.map((t) => (t === word ? '' : t)));
    if (this.building) this.forgottenDuringBuild.push(word);
    this.live.forgetWord(word);
    this.options.onChanged?.();
  }

  /**
   * The team layer has nothing more queued: a small change is counted now (an edit reaches the
   * team memory in a few ms rather than after gatherMs), and so is a bulk change as large as the
   * memory or a million tokens; a smaller bulk change waits bulkGatherMs for more (a sync through
   * a relay arrives in many pieces, each of which would otherwise build the whole index again).
   */
  settle(): void {
    if (this.building || this.queued.size === 0) return;
    if (!this.small() && this.queuedTokens < this.bulkTokens()) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** A queue this large is built at once: builds of a long sync then double in size (linear in all). */
  private bulkTokens(): number {
    return Math.max(this.directTokens * 50, this.live.tokenTotal);
  }

  private small(): boolean {
    return this.queuedTokens <= this.directTokens && this.live.overlayTokens + this.queuedTokens <= this.overlayLimit;
  }

  /**
   * Counts what is queued once changes stop coming (gatherMs for a small change, bulkGatherMs for a
   * bulk one), or at once when the queue is as large as the memory: the builds of a long sync then
   * double in size, so they cost a linear total.
   */
  private schedule(): void {
    this.lastChange = performance.now();
    if (this.timer || this.building) return;
    const wait = (ms: number): void => {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const quiet = performance.now() - this.lastChange;
        const gather = this.small() ? (this.options.gatherMs ?? 40) : (this.options.bulkGatherMs ?? 150);
        if (quiet < gather && this.queuedTokens < this.bulkTokens()) wait(gather - quiet);
        else this.flush();
      }, ms);
    };
    wait(this.options.gatherMs ?? 40);
  }

  private flush(): void {
    if (this.building) return;
    if (this.queued.size === 0) {
      this.resolveWaiters();
      return;
    }
    if (this.small()) {
      this.applyToOverlay();
      this.options.onChanged?.();
      this.resolveWaiters();
      return;
    }
    void this.rebuild();
  }

  private applyToOverlay(): void {
    const live = this.live;
    for (const [id, tokens] of this.queued) {
      if (tokens === null) live.removeDocument(id);
      else live.setDocumentTokens(id, tokens);
    }
    this.queued.clear();
    this.queuedTokens = 0;
  }

  /** Folds the overlay and everything queued into a new index, built by `build`. */
  private async rebuild(): Promise<void> {
    this.building = true;
    const epoch = this.epoch;
    const batch = new Map(this.queued);
    this.queued.clear();
    this.queuedTokens = 0;
    // In the words of the snapshot, which is taken once they are all in the vocabulary; a few
    // million tokens take a few hundred ms to intern, so the event loop turns in between.
    const added: Array<{ id: string; ids: Int32Array; bits: undefined }> = [];
    let interned = 0;
    for (const [id, tokens] of batch) {
      if (!tokens) continue;
      const vocab = this.live.vocab;
      added.push({ id, ids: Int32Array.from(tokens, (t) => (t === '' ? HOLE : vocab.intern(t))), bits: undefined });
      interned += tokens.length;
      if (interned < INTERN_SLICE) continue;
      interned = 0;
      await yieldToEventLoop();
      if (epoch !== this.epoch) return;
    }
    // A word forgotten meanwhile left the vocabulary: its ids read as '' in the snapshot's words,
    // and the build makes them cuts.
    const snapshot = this.live.beginRebuild();
    const without = new Set(snapshot.without);
    for (const id of batch.keys()) without.add(id);
    const documents = snapshot.documents.filter((doc) => !batch.has(doc.id));
    documents.push(...added);
    try {
      const next = await this.build({ ...snapshot, without: [...without], documents });
      if (epoch !== this.epoch) return;
      this.live.finishRebuild(next);
      const forgotten = this.forgottenDuringBuild;
      this.forgottenDuringBuild = [];
      for (const word of forgotten) this.live.forgetWord(word);
    } catch (error) {
      if (epoch !== this.epoch) return;
      this.live.abortRebuild();
      // Queued again under what came meanwhile (newer versions win).
      for (const [id, tokens] of batch) {
        if (this.queued.has(id)) continue;
        this.queued.set(id, tokens);
        this.queuedTokens += tokens?.length ?? 0;
      }
      this.options.onError?.(error as Error);
      this.building = false;
      // Not at once: a build that fails every time must not spin.
      setTimeout(() => this.flush(), 1000);
      return;
    } finally {
      if (epoch === this.epoch) this.building = false;
    }
    this.options.onChanged?.();
    this.flush();
  }

  private resolveWaiters(): void {
    if (!this.idle) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
