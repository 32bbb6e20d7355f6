// What the host is doing, as the status bar and the API report it: loading the saved memory,
// training (with its progress) or ready. Its one owner is the core; the trainer and start-up set it
// through the core's `setPhase`, everything else only reads it.
/** What the host is doing. */
export type LightNetworkPhase = 'loading' | 'training' | 'ready';

export interface TrainingProgress {
  done: number;
  total: number;
}

export class HostPhase {
  private current: LightNetworkPhase = 'loading';
  private progress: TrainingProgress | undefined;

  constructor(private readonly changed: () => void) {}

  get phase(): LightNetworkPhase {
    return this.current;
  }

  /** Files done and to do while training (undefined while the files are listed, and in other phases). */
  get training(): TrainingProgress | undefined {
    return this.progress;
  }

  set(phase: LightNetworkPhase, training?: TrainingProgress): void {
    this.current = phase;
    this.progress = training;
    this.changed();
  }
}
