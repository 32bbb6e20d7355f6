// A headless seed's own contribution: a folder learned the way the editor learns a workspace (the
// same walk honouring .gitignore and the default excludes, the same safe reader and content
// filters, secrets blanked by the same redaction, the same chunks), kept in its own memory so a
// later scan contributes only what changed. A team runs one on a server that tracks its main
// branch: `light-network peer --share --relay … --learn <folder> --watch`.
import { Memory } from '../memory';
import type { DeltaBatch, NgramDelta } from '../memory/types';
import { readCorpusText } from '../cli/corpus';
import { DEFAULT_EXCLUDES } from '../workspace/fileFilter';
import { prepareForLearning } from '../workspace/learnable';
import { Learner, type DocumentMemory, type Job } from '../workspace/learner';
import { LearnablePaths } from '../workspace/learnablePaths';

export interface ScanReport {
  /** Files learned or learned again. */
  changed: number;
  /** Files forgotten (gone, or no longer learnable). */
  removed: number;
  /** Secrets blanked in what was read. */
  redacted: number;
  /** The net change of the memory since the last scan (empty on the first). */
  delta: DeltaBatch;
  /** The documents (chunks) this scan set, removed or renamed: what a session publishes again. */
  documents: string[];
}

export class FolderSeed {
  readonly memory: Memory;
  private readonly learner: Learner;
  /** What each learned file looked like when it was read: size and modification time. */
  private readonly seen = new Map<string, string>();
  private collecting = false;
  private collected: NgramDelta[] = [];
  private touched = new Set<string>();
  /** The memory as the learner changes it, noting which documents each scan touches. */
  private readonly tracked: DocumentMemory = {
    setDocument: (id, text, opts) => (this.touched.add(id), this.memory.setDocument(id, text, opts)),
    removeDocument: (id, opts) => (this.touched.add(id), this.memory.removeDocument(id, opts)),
    renameDocument: (oldId, newId) => (this.touched.add(oldId).add(newId), this.memory.renameDocument(oldId, newId)),
    documentIds: () => this.memory.documentIds(),
  };

  constructor(
    private readonly root: string,
    order?: number,
  ) {
    this.memory = new Memory(order ? { order } : {});
    this.learner = new Learner(
      {
        memory: () => this.tracked,
        // The first scan is published whole as a snapshot: its deltas would only be thrown away.
        wantsDeltas: () => this.collecting,
        onDelta: (entries) => {
          for (const entry of entries) this.collected.push(entry);
        },
      },
      { runBudgetMs: 50 },
    );
  }

  /** Learns what changed since the last scan (everything on the first) and forgets what went. */
  async scan(): Promise<ScanReport> {
    const first = this.seen.size === 0 && this.learner.fileCount === 0;
    this.collecting = !first;
    this.collected = [];
    this.touched = new Set();
    let changed = 0;
    let redacted = 0;
    const present = new Set<string>();
    for await (const file of new LearnablePaths(this.root, { exclude: DEFAULT_EXCLUDES }).list()) {
      present.add(file.rel);
      const stamp = `${file.size}:${file.mtimeMs}`;
      if (this.seen.get(file.rel) === stamp) continue;
      this.seen.set(file.rel, stamp);
      const text = await readCorpusText({ id: file.rel, path: file.path, root: this.root }, { filter: 'workspace' }, []);
      if (text === undefined) {
        // Became unlearnable (binary, too large, minified): its old contribution goes.
        if (this.learner.has(file.rel)) (this.learner.removeFile(file.rel), present.delete(file.rel));
        continue;
      }
      const learnable = prepareForLearning(text);
      redacted += learnable.redacted;
      await runJobs(this.learner.planReplace(file.rel, learnable.chunks));
      changed++;
    }
    let removed = 0;
    for (const key of [...this.learner.keys()]) {
      if (present.has(key)) continue;
      this.learner.removeFile(key);
      this.seen.delete(key);
      removed++;
    }
    const delta = { entries: this.collected };
    this.collected = [];
    return { changed, removed, redacted, delta, documents: [...this.touched] };
  }
}

/** Runs a learner's jobs to their end, yielding between runs (the seed's session keeps talking). */
async function runJobs(jobs: Job[]): Promise<void> {
  for (const job of jobs) {
    while (job() === false) await new Promise((resolve) => setImmediate(resolve));
  }
}
