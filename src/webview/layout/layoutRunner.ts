// Refines each new field's layout in the worker and hands the result back: the field on show moves
// to it. Fields that arrive while the worker starts wait (only the latest); if the worker cannot
// start, words keep their seeded positions. `layoutVersion` says which field's layout is on screen.
import type { LightField } from '../../lightfield/packing';
import type { FieldPlacement } from '../viewModel';
import { LayoutClient } from './layoutClient';

const FIRST_LAYOUT_ITERATIONS = 60;
const UPDATE_LAYOUT_ITERATIONS = 20;
/** Past this many neurons each pass costs a lot more than it changes the picture: half as many passes. */
const LARGE_FIELD = 50_000;
/** How freely a word that was already on show moves, against 1 for a new word. */
const KEPT_MOBILITY = 0.15;

/** A field to lay out, and where its neurons start. */
export interface LayoutRequest extends FieldPlacement {
  field: LightField;
}

export interface LayoutTarget {
  /** Moves `field`'s neurons to `positions`; false when another field is on show by now. */
  moveTo(field: LightField, positions: Float32Array): boolean;
  /** The worker could not start: the reason, and the field on show (it keeps its seeded layout). */
  unavailable(reason: string): void;
}

export class LayoutRunner {
  private client: LayoutClient | undefined;
  private failed = false;
  private disposed = false;
  private waiting: LayoutRequest | undefined;
  private version = 0;

  constructor(workerUrl: string, private readonly target: LayoutTarget, private readonly current: () => LightField | undefined) {
    LayoutClient.start(workerUrl).then(
      (client) => {
        if (this.disposed) {
          client.dispose();
          return;
        }
        this.client = client;
        const waiting = this.waiting;
        this.waiting = undefined;
        if (waiting) void this.refine(waiting);
      },
      (error) => {
        this.failed = true;
        this.version = this.current()?.version ?? 0;
        this.target.unavailable(String(error));
      },
    );
  }

  /** The version of the field whose worker layout is on screen (seeded positions until then). */
  get layoutVersion(): number {
    return this.version;
  }

  async refine(request: LayoutRequest): Promise<void> {
    const { field, seeded, kept, first } = request;
    if (field.words.length === 0 || this.failed) {
      this.version = field.version;
      return;
    }
    if (!this.client) {
      this.waiting = request;
      return;
    }
    const result = await this.client.run({
      positions: seeded.slice(),
      mobility: Float32Array.from(field.words, (w) => (kept.has(w) ? KEPT_MOBILITY : 1)),
      from: field.from.slice(),
      to: field.to.slice(),
      weight: field.weight.slice(),
      iterations: (first ? FIRST_LAYOUT_ITERATIONS : UPDATE_LAYOUT_ITERATIONS) / (field.words.length > LARGE_FIELD ? 2 : 1),
    });
    if (result && this.target.moveTo(field, result.positions)) this.version = field.version;
  }

  dispose(): void {
    this.disposed = true;
    this.client?.dispose();
    this.client = undefined;
  }
}
