// What a share session publishes of the local memory after its snapshot: the documents (chunks of
// files) that changed, each with its tokens as they are when it goes. Pure (no vscode).
import { yieldToEventLoop } from '../../threads/sliceScheduler';

/** Documents read and handed to the session per turn of the event loop. */
const PUBLISH_SLICE = 256;

/**
 * The local documents changed and not yet handed to the session. Their tokens are read when they
 * go, so what is published is each document's latest version (a document removed meanwhile goes
 * as a removal). A training installs thousands of documents at once: they go a slice at a time,
 * with the event loop free in between, rather than read whole in one turn.
 */
export class LocalDocumentFeed {
  private readonly ids = new Set<string>();
  private opened = false;
  private draining = false;

  constructor(
    private readonly memory: { documentTokens(id: string): readonly string[] | undefined },
    private readonly publish: (changes: Array<{ id: string; tokens: readonly string[] | undefined }>) => void,
    private readonly live: () => boolean,
  ) {}

  changed(ids: readonly string[]): void {
    for (const id of ids) this.ids.add(id);
    void this.drain();
  }

  /** Publishing starts (the snapshot went first). */
  open(): void {
    this.opened = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining || !this.opened) return;
    this.draining = true;
    try {
      while (this.ids.size > 0 && this.live()) {
        const slice: Array<{ id: string; tokens: readonly string[] | undefined }> = [];
        for (const id of this.ids) {
          this.ids.delete(id);
          slice.push({ id, tokens: this.memory.documentTokens(id) });
          if (slice.length >= PUBLISH_SLICE) break;
        }
        this.publish(slice);
        if (this.ids.size > 0) await yieldToEventLoop();
      }
    } finally {
      this.draining = false;
    }
  }
}
