// Runs layout jobs in the worker bundle (dist/layoutWorker.js). Webviews cannot start a worker from
// their resource origin directly, so the script is fetched and started from a blob: URL.
import type { LayoutJob, LayoutResult } from './layoutJob';

export class LayoutClient {
  private nextId = 1;
  private waiting = new Map<number, (result: LayoutResult | undefined) => void>();

  static async start(scriptUrl: string): Promise<LayoutClient> {
    const response = await fetch(scriptUrl);
    if (!response.ok) throw new Error(`could not load the layout worker (${response.status})`);
    const blob = new Blob([await response.text()], { type: 'text/javascript' });
    const url = URL.createObjectURL(blob);
    return new LayoutClient(new Worker(url));
  }

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<LayoutResult>) => {
      const resolve = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      resolve?.(event.data);
    };
  }

  /** Refines positions; an older job still running resolves undefined once a newer one is asked. */
  run(job: Omit<LayoutJob, 'id'>): Promise<LayoutResult | undefined> {
    for (const [id, resolve] of this.waiting) {
      this.waiting.delete(id);
      resolve(undefined);
    }
    const id = this.nextId++;
    const full: LayoutJob = { ...job, id };
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      // Copies of the ray arrays (they view the field message); positions and mobility move over.
      this.worker.postMessage(full, [full.positions.buffer, full.mobility.buffer]);
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }
}
