// The collaborators this workspace has met, by writer id: the names each id was announced with
// (presence; a peer may announce another's id, so every name seen is kept, not the last one) and
// whether the user forgot that writer. A forgotten writer's batches stay in the shared log (others
// keep them) but are never counted here, in this session or a later one, until the user remembers
// the writer. Persisted beside the team log, readable by the user only; no vscode import, so it
// is tested in plain Node.
import { promises as fs } from 'node:fs';
import { isValidWriterId } from '../../share/writerKey';
import { visibleText } from '../../share/displayText';
import { writeFileAtomic } from '../../persistence/atomicFile';

/** Names kept per writer (the most recent ones). */
const MAX_NAMES = 4;
/** Writers kept (forgotten ones are never dropped; of the rest, the longest unseen go first). */
const MAX_WRITERS = 1000;
const MAX_NAME = 40;
const FILE_VERSION = 1;

export interface CollaboratorRecord {
  writer: string;
  /** Names announced with this writer id, oldest first, made visible (displayText.ts). */
  names: string[];
  forgotten: boolean;
}

export class Collaborators {
  private readonly records = new Map<string, CollaboratorRecord>();

  private constructor(private readonly file: string) {}

  /** Reads the file (a missing or damaged one gives an empty list: names are seen again, and a forgotten writer would be reported). */
  static async load(file: string): Promise<{ collaborators: Collaborators; problem?: string }> {
    const collaborators = new Collaborators(file);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { collaborators };
      return { collaborators, problem: (error as Error).message };
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; writers?: unknown };
      if (parsed.version !== FILE_VERSION || !Array.isArray(parsed.writers)) throw new Error('unknown format');
      for (const raw of parsed.writers.slice(0, MAX_WRITERS)) {
        const { writer, names, forgotten } = (raw ?? {}) as Record<string, unknown>;
        if (typeof writer !== 'string' || !isValidWriterId(writer)) continue;
        const record: CollaboratorRecord = { writer, names: [], forgotten: forgotten === true };
        if (Array.isArray(names)) for (const name of names) if (typeof name === 'string') addName(record, name);
        collaborators.records.set(writer, record);
      }
      return { collaborators };
    } catch (error) {
      return { collaborators, problem: `${file} is not readable (${(error as Error).message})` };
    }
  }

  /** Notes that `writer` was announced as `name`; true when that is news (worth saving). */
  noteName(writer: string, name: string): boolean {
    if (!isValidWriterId(writer)) return false;
    const record = this.recordOf(writer);
    const shown = clean(name);
    if (!shown || record.names[record.names.length - 1] === shown) return false;
    addName(record, shown);
    return true;
  }

  /** Notes a writer seen in the team layer (no name yet). */
  noteWriter(writer: string): void {
    if (isValidWriterId(writer)) this.recordOf(writer);
  }

  /** How a writer is shown: its announced names, or its short id. */
  label(writer: string): string {
    const names = this.records.get(writer)?.names ?? [];
    return names.length > 0 ? [...names].reverse().join(' / ') : `collaborator ${shortId(writer)}`;
  }

  setForgotten(writer: string, forgotten: boolean): void {
    if (isValidWriterId(writer)) this.recordOf(writer).forgotten = forgotten;
  }

  isForgotten(writer: string): boolean {
    return this.records.get(writer)?.forgotten === true;
  }

  forgotten(): string[] {
    return [...this.records.values()].filter((record) => record.forgotten).map((record) => record.writer);
  }

  list(): CollaboratorRecord[] {
    return [...this.records.values()].map((record) => ({ ...record, names: [...record.names] }));
  }

  async save(): Promise<void> {
    const writers = [...this.records.values()];
    await writeFileAtomic(this.file, Buffer.from(JSON.stringify({ version: FILE_VERSION, writers })));
  }

  private recordOf(writer: string): CollaboratorRecord {
    let record = this.records.get(writer);
    if (record) {
      // Most recently seen last: the first to go when the list is full.
      this.records.delete(writer);
    } else {
      record = { writer, names: [], forgotten: false };
      if (this.records.size >= MAX_WRITERS) {
        for (const [id, old] of this.records) {
          if (old.forgotten) continue;
          this.records.delete(id);
          break;
        }
      }
    }
    this.records.set(writer, record);
    return record;
  }
}

/** The first characters of a writer id, enough to tell writers apart. */
export function shortId(writer: string): string {
  return writer.slice(0, 10);
}

function addName(record: CollaboratorRecord, name: string): void {
  const shown = clean(name);
  if (!shown) return;
  const at = record.names.indexOf(shown);
  if (at >= 0) record.names.splice(at, 1);
  record.names.push(shown);
  if (record.names.length > MAX_NAMES) record.names.shift();
}

function clean(name: string): string {
  return visibleText(name.slice(0, MAX_NAME)).trim();
}
