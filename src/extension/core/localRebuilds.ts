// Rebuilds of the local memory's index (see liveMemory.ts): the snapshot is taken as one job of the
// host's queue, the worker learns what a training feeds it and builds the index (writing the file
// with it when asked), and the result is installed as another job, which learns again what changed
// meanwhile. One rebuild at a time; a failed or cancelled one leaves the memory as it was.
import { memoryFromSectionsInSteps } from '../../memory/indexedCodec';
import { prepareIndex, type LiveMemory, type PreparedIndex } from '../../memory/liveMemory';
import { packRebuildSnapshot, type SaveOutcome } from '../../persistence/memoryFileJobs';
import type { Manifest } from '../../persistence/savedMemory';
import type { MemoryStore } from '../store/memoryStore';
import type { SliceScheduler } from '../../threads/sliceScheduler';

/** Adds documents to the rebuild under way (texts redacted and chunked) and drops older ones. */
export type FeedRebuild = (documents: Array<{ id: string; text: string }>, drop: string[]) => Promise<void>;

export interface RebuildOptions {
  /**
   * Learns more documents into the rebuild (a training); it may throw to abandon the rebuild. With
   * `save`, it updates the manifest to be saved (taken with the snapshot) for what it adds.
   */
  feed?: (add: FeedRebuild, manifest: Manifest | undefined) => Promise<void>;
  /**
   * What to save with the rebuilt index: the manifest as it is when the snapshot is taken (it must
   * describe what the index holds).
   */
  save?: { manifest: () => Manifest };
  /** Runs in the job that installs the rebuilt index, right after it (e.g. the learner's index). */
  installed?: () => void;
}

export interface RebuildReport {
  tokens: number;
  buildMs: number;
  ms: number;
  saved?: SaveOutcome;
}

export class LocalRebuilds {
  private tail: Promise<unknown> = Promise.resolve();
  private running = 0;

  constructor(
    private readonly store: MemoryStore,
    private readonly scheduler: SliceScheduler,
    /** The live memory now (a reset or a load may replace it). */
    private readonly memory: () => LiveMemory,
    /** Keeps the sections of the installed index (what a save without rebuild writes). */
    private readonly onInstalled: (memory: LiveMemory, sections: Uint8Array[]) => void,
  ) {}

  get busy(): boolean {
    return this.running > 0;
  }

  /** Resolves when no rebuild runs or waits. */
  async idle(): Promise<void> {
    while (this.running > 0) await this.tail.catch(() => undefined);
  }

  /** Rebuilds the index of the live memory (after any rebuild before it). Throws if it failed. */
  run(options: RebuildOptions = {}): Promise<RebuildReport> {
    this.running++;
    const next = this.tail.catch(() => undefined).then(() => this.rebuild(options));
    this.tail = next.finally(() => this.running--);
    return next;
  }

  private async rebuild(options: RebuildOptions): Promise<RebuildReport> {
    const started = performance.now();
    const live = this.memory();
    const save = options.save;
    const { snapshot, manifest } = await this.scheduler.runSteps(
      (function* () {
        return { snapshot: live.beginRebuild(), manifest: save?.manifest() };
      })(),
    );
    let session: number | undefined;
    try {
      session = await this.store.rebuildStart(packRebuildSnapshot(snapshot));
      const open = session;
      if (options.feed) await options.feed((documents, drop) => this.store.rebuildAdd(open, documents, drop), manifest);
      const target = save && manifest ? { manifest } : undefined;
      session = undefined; // finishing closes it, whatever happens
      const result = await this.store.rebuildFinish(open, target);
      // Made in pieces between other jobs (it touches nothing live), then installed in one job.
      const next = await this.scheduler.runSteps(
        (function* () {
          return yield* prepareIndex(yield* memoryFromSectionsInSteps(result.sections, true));
        })(),
      );
      await this.scheduler.runSteps(
        (function* (onInstalled: LocalRebuilds['onInstalled'], memory: () => LiveMemory, next: PreparedIndex) {
          if (memory() !== live) {
            live.abortRebuild();
            return; // replaced meanwhile (a reset or a load): this index is for a memory gone
          }
          live.finishRebuild(next);
          onInstalled(live, result.sections);
          options.installed?.();
        })(this.onInstalled, this.memory, next),
      );
      if (result.saveError) throw new Error(`the memory was rebuilt but could not be saved: ${result.saveError}`);
      return { tokens: result.tokens, buildMs: result.buildMs, ms: performance.now() - started, saved: result.saved };
    } catch (error) {
      if (live.rebuilding) live.abortRebuild();
      if (session !== undefined) await this.store.rebuildAbort(session);
      throw error;
    }
  }
}
