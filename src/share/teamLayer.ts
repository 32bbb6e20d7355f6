// Keeps the team memory equal to the other writers' live chunks of text. Invariant (once idle):
// for each writer (not ourselves, not forgotten) and each chunk key its live batches name, the team
// memory holds document `writer/key` with the tokens of that key's record of highest seq among the
// batches applied, or no such document when that record has no tokens (the writer removed the
// chunk). A batch is live when genuine (signed: DeltaLog passes on nothing else, and the signature
// is checked here), valid (batchValidator.ts: refused whole, or applied with its secrets cut), and
// not superseded (its seq below the writer's floor, or its nonce listed dead by a later genuine
// batch of that writer).
// - A record older than what the layer has for its key (lower seq) is skipped: a replayed or late
//   batch never brings old text back.
// - When a writer supersedes batches, the keys whose record is theirs go: the writer's compaction
//   re-publishes every chunk it still has in the superseding batch, which is applied first.
// - A batch that merely vanishes from the log (any peer can delete a Yjs item) keeps its effect;
//   the deletion is reported and the batch handed to onVanished (the session puts it back).
// - Writers' rights hold by construction: a batch only ever touches `writer/*` ids of its writer,
//   so no writer can change or remove another writer's text.
// - forget(writer) takes a writer's documents out and holds its batches; remember(writer) applies
//   its held live batches again in seq order, which rebuilds exactly what the invariant says.
// - Bounds: a batch that would take the team memory past maxTeamTokens is rejected whole (a chunk,
//   or a removal kept, counts at least MIN_CHUNK_COST tokens); the validator bounds its size and
//   new words.
// The local memory is never touched here. Work is done in short time slices, in log order (a first
// sync can carry millions of tokens): each job is an explicit step machine that applies a batch's
// records part by part, so the host's event loop stays responsive.
import { signatureProblem, type LoggedBatch } from './batchFormat';
import type { BatchValidator } from './batchValidator';
import type { LogChange } from './deltaLog';
import { recordTokens, type BulkTextBatch } from './textBatch';
import { WRITER_SEPARATOR, type TeamSink } from './teamMemory';
import { SliceScheduler } from '../threads/sliceScheduler';

export type { TeamSink };

/** Where accepted chunks go: a TeamMemory (or anything that keeps documents), with its attribution when it has one. */
export interface TeamLayerSink extends TeamSink {
  /** The writers whose documents hold `ngram` (TeamMemory.writersOf). */
  writersOf?(ngram: readonly string[], limit?: number): string[];
  /** Resolves once everything set so far is counted (TeamMemory.whenIdle). */
  whenIdle?(): Promise<void>;
  /** Nothing more is queued here for now: what was set may be counted at once (TeamMemory.settle). */
  settle?(): void;
}

/** What a writer has superseded so far (sticky: a later deletion of the superseding batch changes nothing). */
interface WriterHistory {
  floor: number;
  /** Nonces of superseded batches. */
  dead: Set<string>;
}

export interface Rejection {
  writer: string;
  batchId: string;
  reason: string;
}

/** A writer whose batches this layer has seen (applied, or held because the user forgot the writer). */
export interface TeamWriter {
  writer: string;
  /** Batches applied to the team memory now. */
  batches: number;
  /** Batches held, not applied (the writer is forgotten). */
  held: number;
  /** The user forgot this writer: its batches are held, not applied. */
  forgotten: boolean;
  /** Its chunks in the team memory now. */
  chunks: number;
  /** Their tokens (cuts not counted). */
  tokens: number;
}

/** Who taught the team memory an n-gram: the writers whose chunks hold it. */
export interface Attribution {
  contributors(ngram: readonly string[]): string[];
}

export interface TeamLayerOptions {
  /** Longest stretch of work before yielding to the event loop. */
  sliceMs?: number;
  /** Tokens applied per step of a job (records are never split). */
  partTokens?: number;
  /** Most tokens the team memory may hold, all writers together; a batch that would pass it is rejected. */
  maxTeamTokens?: number;
  /** Writers whose batches are held, never applied (the user forgot them). */
  forgotten?: Iterable<string>;
  /** Called after each slice that changed the team memory. */
  onApplied?: () => void;
  /** An applied batch was deleted from the log without its writer superseding it. */
  onVanished?: (batch: LoggedBatch) => void;
}

/** One of the layer's jobs, an explicit step machine: run as a Job of the slice scheduler until it says it is finished. */
interface StepMachine {
  /** Does some work; true when the job is finished. */
  step(): boolean;
}

/** Where a chunk's current record came from. */
interface Chunk {
  seq: number;
  /** The id of the batch holding the record. */
  batch: string;
  /** The document is in the team memory (the record has tokens). */
  present: boolean;
  /** Its tokens, cuts not counted. */
  tokens: number;
}

/** A writer's chunks as the layer applied them. */
interface WriterChunks {
  keys: Map<string, Chunk>;
  tokens: number;
  /** Chunks present. */
  present: number;
}

export class TeamLayer {
  /** Batches applied, by id: the keys whose record is one of theirs go when their writer supersedes them. */
  private readonly applied = new Map<string, LoggedBatch>();
  /** Genuine, live batches of forgotten writers, by id: applied again if the user remembers the writer. */
  private readonly held = new Map<string, LoggedBatch>();
  private readonly forgotten: Set<string>;
  private readonly chunks = new Map<string, WriterChunks>();
  /** Tokens of every writer's present chunks. */
  private tokens = 0;
  /** What maxTeamTokens bounds: each chunk's tokens, at least MIN_CHUNK_COST, a removal kept MIN_CHUNK_COST (see charge). */
  private charged = 0;
  private readonly histories = new Map<string, WriterHistory>();
  /** The layer's jobs, run in time slices; after each slice, what changed is announced. */
  private readonly jobs: SliceScheduler;
  private changed = false;
  private readonly partTokens: number;
  private readonly maxTeamTokens: number;

  constructor(
    private readonly sink: TeamLayerSink,
    private readonly validator: BatchValidator,
    private readonly ownWriter: string,
    private readonly onReject: (rejection: Rejection) => void,
    private readonly options: TeamLayerOptions = {},
  ) {
    this.jobs = new SliceScheduler(options.sliceMs ?? 20, () => this.finishSlice());
    this.partTokens = options.partTokens ?? 50_000;
    this.maxTeamTokens = options.maxTeamTokens ?? 20_000_000;
    this.forgotten = new Set(options.forgotten ?? []);
  }

  /** Number of batches currently applied to the team memory. */
  get batchCount(): number {
    return this.applied.size;
  }

  /** Tokens of the chunks applied, all writers together. */
  get tokenCount(): number {
    return this.tokens;
  }

  get idle(): boolean {
    return this.jobs.pending === 0;
  }

  /** Writers seen (applied or held), in order of first appearance. */
  writers(): TeamWriter[] {
    const batches = new Map<string, number>();
    for (const { writer } of this.applied.values()) batches.set(writer, (batches.get(writer) ?? 0) + 1);
    const held = new Map<string, number>();
    for (const { writer } of this.held.values()) held.set(writer, (held.get(writer) ?? 0) + 1);
    const seen = new Set([...batches.keys(), ...held.keys()]);
    return [...seen].map((writer) => ({
      writer,
      batches: batches.get(writer) ?? 0,
      held: held.get(writer) ?? 0,
      forgotten: this.forgotten.has(writer),
      chunks: this.chunks.get(writer)?.present ?? 0,
      tokens: this.chunks.get(writer)?.tokens ?? 0,
    }));
  }

  /** The writers (not forgotten) whose chunks in the team memory hold `ngram`. */
  contributors(ngram: readonly string[]): string[] {
    return this.attribution().contributors(ngram);
  }

  /**
   * `contributors` as an object that asks the team memory (where each occurrence is a writer's
   * document): it stays right after the session closes or an offline rebuild lets the batches go.
   */
  attribution(): Attribution {
    const { sink, forgotten, ownWriter } = this;
    return {
      contributors: (ngram) => (ngram.length === 0 || !sink.writersOf ? [] : sink.writersOf(ngram).filter((writer) => writer !== ownWriter && !forgotten.has(writer))),
    };
  }

  /**
   * Takes `writer`'s documents out of the team memory and holds its batches, present and future,
   * unapplied until `remember(writer)`. Queued after the work already queued.
   */
  forget(writer: string): void {
    if (writer === this.ownWriter || this.forgotten.has(writer)) return;
    this.forgotten.add(writer);
    this.enqueue(this.forgetJob(writer));
  }

  /** Applies a forgotten writer's live batches again (those it has not superseded meanwhile). */
  remember(writer: string): void {
    if (!this.forgotten.delete(writer)) return;
    this.enqueue(this.rememberJob(writer));
  }

  /** Queues the change; it is applied in slices, in order, after this call returns. */
  apply(change: LogChange): void {
    // One report per change, however many entries it holds: reports must not multiply an attack.
    if (change.malformed.length > 0) {
      const more = change.malformed.length > 1 ? ` (and ${change.malformed.length - 1} more entries that are not batches)` : '';
      this.onReject({ writer: '?', batchId: '?', reason: `${change.malformed[0]}${more}` });
    }
    const superseding = new Set<string>();
    for (const batch of inWriterOrder(change.added)) {
      if (batch.writer === this.ownWriter) continue;
      if (batch.floor > 0 || batch.dead.length > 0) superseding.add(batch.writer);
      this.enqueue(this.addJob(batch));
    }
    // After the additions, which record (once their signature holds) what they supersede: a
    // compaction adds its result and deletes what it folded at once.
    for (const writer of superseding) this.enqueue(this.removeJob(writer));
    const vanished = change.removed.filter((batch) => batch.writer !== this.ownWriter);
    if (vanished.length > 0) this.enqueue(this.vanishedJob(vanished));
  }

  /** Does all queued work now (tests, and before saving). The team memory may still be counting (whenIdle). */
  drain(): void {
    this.jobs.drain();
  }

  /** Resolves once the queued work is done and the team memory has counted it. */
  async whenIdle(): Promise<void> {
    await this.jobs.whenIdle();
    await this.sink.whenIdle?.();
  }

  /** Notes what a genuine `batch` supersedes. */
  private record(batch: LoggedBatch): void {
    if (batch.floor === 0 && batch.dead.length === 0) return;
    let history = this.histories.get(batch.writer);
    if (!history) this.histories.set(batch.writer, (history = { floor: 0, dead: new Set() }));
    history.floor = Math.max(history.floor, batch.floor);
    for (const nonce of batch.dead) history.dead.add(nonce);
  }

  private superseded(batch: LoggedBatch): boolean {
    const history = this.histories.get(batch.writer);
    return history !== undefined && (batch.seq < history.floor || history.dead.has(batch.nonce));
  }

  private enqueue(job: StepMachine): void {
    this.jobs.enqueue(() => job.step());
  }

  private finishSlice(): void {
    if (this.changed) {
      this.changed = false;
      this.options.onApplied?.();
    }
    if (this.jobs.pending === 0) this.sink.settle?.();
  }

  private chunksOf(writer: string): WriterChunks {
    let chunks = this.chunks.get(writer);
    if (!chunks) this.chunks.set(writer, (chunks = { keys: new Map(), tokens: 0, present: 0 }));
    return chunks;
  }

  /**
   * Checks a batch (put back, forged, superseded, forgotten, invalid, over the cap), then applies
   * its records part by part. Nothing is applied before every check passed.
   */
  private addJob(logged: LoggedBatch): StepMachine {
    let batch: BulkTextBatch | undefined;
    let done = 0;
    const reject = (reason: string): true => {
      this.onReject({ writer: logged.writer, batchId: logged.id, reason });
      return true;
    };
    return {
      step: () => {
        if (!batch) {
          // Put back after a deletion: applied (or held) already.
          if (this.applied.has(logged.id) || this.held.has(logged.id)) return true;
          const forged = signatureProblem(logged);
          if (forged) return reject(forged);
          if (this.superseded(logged)) return reject('superseded batch ignored (an old batch replayed into the log)');
          this.record(logged);
          if (this.forgotten.has(logged.writer)) {
            this.held.set(logged.id, logged);
            return true;
          }
          const result = this.validator.validate(logged);
          if (!result.ok) return reject(result.reason);
          const growth = this.growth(logged, result.batch);
          if (growth > 0 && this.charged + growth > this.maxTeamTokens) {
            return reject(`the team memory holds ${this.charged} tokens; this batch's ${growth} more would pass the cap of ${this.maxTeamTokens}`);
          }
          batch = result.batch;
          // Applied from here on: a superseding batch takes out what it applied, even a part.
          this.applied.set(logged.id, logged);
        }
        const chunks = this.chunksOf(logged.writer);
        let budget = this.partTokens;
        try {
          while (done < batch.count && budget > 0) {
            budget -= 1 + batch.starts[done + 1] - batch.starts[done];
            this.applyRecord(logged, chunks, batch, done++);
          }
        } catch (error) {
          // Only if the team memory refused a document: the records before it stay (each is whole).
          return reject(`applying the batch failed after ${done - 1} of ${batch.count} chunks: ${(error as Error).message}`);
        }
        return done >= batch.count;
      },
    };
  }

  /** How much applying `batch` would add to what maxTeamTokens bounds (negative: it takes more out). */
  private growth(logged: LoggedBatch, batch: BulkTextBatch): number {
    const keys = this.chunks.get(logged.writer)?.keys;
    let growth = 0;
    for (let i = 0; i < batch.count; i++) {
      const chunk = keys?.get(batch.keys[i]);
      if (chunk && chunk.seq > logged.seq) continue;
      const present = batch.starts[i + 1] > batch.starts[i];
      growth += charge(present, present ? liveTokens(batch, i) : 0) - (chunk ? charge(chunk.present, chunk.tokens) : 0);
    }
    return growth;
  }

  /** Sets (or removes) the document of record i of `batch`, unless the layer has a newer record for its key. */
  private applyRecord(logged: LoggedBatch, chunks: WriterChunks, batch: BulkTextBatch, i: number): void {
    const key = batch.keys[i];
    const before = chunks.keys.get(key);
    if (before && before.seq > logged.seq) return;
    const present = batch.starts[i + 1] > batch.starts[i];
    // A removal is kept (until its batch is superseded) even for a chunk the layer never had: a
    // record of the chunk older than it may still come (a batch put back, a forgotten writer's
    // held batches remembered), and must not bring the chunk back.
    if (present || before?.present) this.sink.setDocument(documentId(logged.writer, key), present ? recordTokens(batch, i) : undefined);
    const chunk = { seq: logged.seq, batch: logged.id, present, tokens: present ? liveTokens(batch, i) : 0 };
    chunks.keys.set(key, chunk);
    this.count(chunks, chunk, 1);
    if (before) this.count(chunks, before, -1);
    this.changed = true;
  }

  /** Counts `chunk` in (1) or out (-1) of the totals. */
  private count(chunks: WriterChunks, chunk: Chunk, sign: 1 | -1): void {
    chunks.tokens += sign * chunk.tokens;
    if (chunk.present) chunks.present += sign;
    this.tokens += sign * chunk.tokens;
    this.charged += sign * charge(chunk.present, chunk.tokens);
  }

  /**
   * Takes out the chunks whose record belongs to a batch `writer` has superseded (looked up when
   * the job runs: the additions queued before it have finished by then), part by part. Superseded
   * held batches are dropped too.
   */
  private removeJob(writer: string): StepMachine {
    let doomed: Array<[string, Chunk]> | undefined;
    let done = 0;
    return {
      step: () => {
        if (!doomed) {
          const gone = new Set<string>();
          for (const [id, logged] of this.applied) {
            if (logged.writer !== writer || !this.superseded(logged)) continue;
            this.applied.delete(id);
            gone.add(id);
          }
          for (const [id, logged] of this.held) if (logged.writer === writer && this.superseded(logged)) this.held.delete(id);
          const keys = this.chunks.get(writer)?.keys;
          doomed = gone.size === 0 || !keys ? [] : [...keys].filter(([, chunk]) => gone.has(chunk.batch));
        }
        return this.removeChunks(writer, doomed, (done = this.removePart(writer, doomed, done)));
      },
    };
  }

  /** Removes chunks [from, ...) of `doomed` for up to a part's tokens; returns where it stopped. */
  private removePart(writer: string, doomed: Array<[string, Chunk]>, from: number): number {
    const chunks = this.chunksOf(writer);
    let budget = this.partTokens;
    let i = from;
    for (; i < doomed.length && budget > 0; i++) {
      const [key, chunk] = doomed[i];
      budget -= 1 + chunk.tokens;
      // Still the record it was when the job started (nothing else runs in between).
      if (chunks.keys.get(key) !== chunk) continue;
      if (chunk.present) this.sink.setDocument(documentId(writer, key), undefined);
      chunks.keys.delete(key);
      this.count(chunks, chunk, -1);
      this.changed = true;
    }
    return i;
  }

  private removeChunks(writer: string, doomed: Array<[string, Chunk]>, done: number): boolean {
    if (done < doomed.length) return false;
    const chunks = this.chunks.get(writer);
    if (chunks && chunks.keys.size === 0) this.chunks.delete(writer);
    return true;
  }

  /** Holds the writer's applied batches and takes all its documents out, part by part. */
  private forgetJob(writer: string): StepMachine {
    let doomed: Array<[string, Chunk]> | undefined;
    let done = 0;
    return {
      step: () => {
        if (!doomed) {
          for (const [id, logged] of this.applied) {
            if (logged.writer !== writer) continue;
            this.applied.delete(id);
            this.held.set(id, logged);
          }
          doomed = [...(this.chunks.get(writer)?.keys ?? [])];
        }
        return this.removeChunks(writer, doomed, (done = this.removePart(writer, doomed, done)));
      },
    };
  }

  /** Applies the writer's held batches again, in seq order (a superseded one is dropped by its check). */
  private rememberJob(writer: string): StepMachine {
    let queue: StepMachine[] | undefined;
    return {
      step: () => {
        if (!queue) {
          const batches = [...this.held.values()].filter((logged) => logged.writer === writer).sort((a, b) => a.seq - b.seq);
          for (const logged of batches) this.held.delete(logged.id);
          queue = batches.map((logged) => this.addJob(logged));
        }
        if (queue.length > 0 && queue[0].step()) queue.shift();
        return queue.length === 0;
      },
    };
  }

  /** Batches gone from the log: their chunks stay unless their writer superseded them. */
  private vanishedJob(vanished: LoggedBatch[]): StepMachine {
    return {
      step: () => {
        for (const logged of vanished) {
          if (!(this.applied.has(logged.id) || this.held.has(logged.id)) || this.superseded(logged)) continue;
          this.onReject({
            writer: logged.writer,
            batchId: logged.id,
            reason: 'a batch was deleted from the log without its writer superseding it; its text is kept',
          });
          this.options.onVanished?.(logged);
        }
        return true;
      },
    };
  }
}

/** The team memory's id of a writer's chunk: only the writer's own batches can name it. */
export function documentId(writer: string, key: string): string {
  return `${writer}${WRITER_SEPARATOR}${key}`;
}

/**
 * What a chunk counts toward maxTeamTokens: its tokens, but at least MIN_CHUNK_COST, and as much
 * for a removal kept: each costs the layer (and a present one the team memory) an entry whatever
 * its length, so a writer of one-token chunks or endless removals must not get 20M entries in.
 * (An honest writer's removals, one per edited chunk, go with its next full compaction.)
 */
function charge(present: boolean, tokens: number): number {
  return present ? Math.max(tokens, MIN_CHUNK_COST) : MIN_CHUNK_COST;
}

const MIN_CHUNK_COST = 16;

/** Tokens of record i that are not cuts. */
function liveTokens(batch: BulkTextBatch, i: number): number {
  let n = 0;
  for (let k = batch.starts[i]; k < batch.starts[i + 1]; k++) if (batch.tokens[k] !== 0) n++;
  return n;
}

/**
 * Batches grouped by writer (in order of first appearance), each writer's in the order it wrote
 * them (seq): a snapshot put back after a deletion sits after its writer's later deltas in the
 * log. (The record of highest seq wins in any order; in seq order a batch is applied before the
 * one that supersedes it is seen, so a compaction met in one change is taken out, not reported.)
 */
function inWriterOrder(batches: LoggedBatch[]): LoggedBatch[] {
  const groups = new Map<string, LoggedBatch[]>();
  for (const batch of batches) {
    const group = groups.get(batch.writer);
    if (group) group.push(batch);
    else groups.set(batch.writer, [batch]);
  }
  const ordered: LoggedBatch[] = [];
  for (const group of groups.values()) ordered.push(...group.sort((a, b) => a.seq - b.seq));
  return ordered;
}
