// Pointer, wheel, keyboard and search box: pan, zoom, hover for a word's card, click to ignite,
// search (a phrase as it is typed), forget; Escape deselects and ends a phrase's path. It turns DOM
// events into the user's intents; what they do is the target's business.

const KEY_PAN_PIXELS = 60;
const KEY_ZOOM = 1.25;
/** A press that moved less than this (pixels) is a click, not a drag. */
const CLICK_SLOP = 4;

/** What the user can do to the field (coordinates in CSS pixels of the canvas). */
export interface FieldIntents {
  panBy(dx: number, dy: number): void;
  zoomAt(factor: number, x: number, y: number): void;
  /** A pan or zoom is over: the view stays where the user put it. */
  placedView(): void;
  fitAll(): void;
  hoverAt(x: number, y: number): void;
  hoverNothing(): void;
  clickAt(x: number, y: number): void;
  deselect(): void;
  search(query: string): void;
  /** The search box's text changed (typed, pasted, cleared). */
  searchTyped(query: string): void;
  /** A phrase's path, if one is lit, ends. */
  endPath(): void;
  forgetSelected(): void;
}

export interface InteractionElements {
  /** Receives pointer and wheel events (it holds the canvas). */
  canvasHost: HTMLElement;
  /** The canvas now (a new one after the GPU restarts). */
  canvas(): HTMLCanvasElement;
  search: HTMLInputElement;
  forgetButton: HTMLButtonElement;
}

/** Listens until the returned function is called. */
export function attachInteraction(elements: InteractionElements, intents: FieldIntents): () => void {
  const { canvasHost: host, search, forgetButton } = elements;
  const listening = new AbortController();
  const signal = listening.signal;
  let drag: { x: number; y: number; moved: number } | undefined;

  const local = (event: MouseEvent): [number, number] => {
    const rect = elements.canvas().getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  host.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, moved: 0 };
    host.setPointerCapture(event.pointerId);
    elements.canvas().focus();
  }, { signal });
  host.addEventListener('pointermove', (event) => {
    if (drag) {
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag = { x: event.clientX, y: event.clientY, moved: drag.moved + Math.abs(dx) + Math.abs(dy) };
      intents.panBy(dx, dy);
      return;
    }
    intents.hoverAt(...local(event));
  }, { signal });
  host.addEventListener('pointerup', (event) => {
    const wasClick = drag && drag.moved < CLICK_SLOP;
    drag = undefined;
    if (wasClick) intents.clickAt(...local(event));
    else intents.placedView();
  }, { signal });
  host.addEventListener('pointerleave', () => intents.hoverNothing(), { signal });

  host.addEventListener('wheel', (event) => {
    event.preventDefault();
    const [x, y] = local(event);
    const lines = event.deltaMode === 1 ? 16 : 1;
    // Pinch on a trackpad arrives as a wheel with ctrlKey; two-finger scroll sideways pans.
    if (!event.ctrlKey && Math.abs(event.deltaX) > 0) {
      intents.panBy(-event.deltaX * lines, -event.deltaY * lines);
    } else {
      const speed = event.ctrlKey ? 0.01 : 0.0015;
      intents.zoomAt(Math.exp(-event.deltaY * lines * speed), x, y);
    }
    intents.placedView();
  }, { passive: false, signal });

  host.ownerDocument.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement) return;
    const centreX = host.clientWidth / 2;
    const centreY = host.clientHeight / 2;
    switch (event.key) {
      case 'ArrowLeft': intents.panBy(KEY_PAN_PIXELS, 0); break;
      case 'ArrowRight': intents.panBy(-KEY_PAN_PIXELS, 0); break;
      case 'ArrowUp': intents.panBy(0, KEY_PAN_PIXELS); break;
      case 'ArrowDown': intents.panBy(0, -KEY_PAN_PIXELS); break;
      case '+': case '=': intents.zoomAt(KEY_ZOOM, centreX, centreY); break;
      case '-': case '_': intents.zoomAt(1 / KEY_ZOOM, centreX, centreY); break;
      case '0': intents.fitAll(); return;
      case '/': search.focus(); event.preventDefault(); return;
      case 'Escape': intents.deselect(); intents.endPath(); return;
      default: return;
    }
    event.preventDefault();
    intents.placedView();
  }, { signal });

  search.form?.addEventListener('submit', (event) => {
    event.preventDefault();
    intents.search(search.value.trim());
  }, { signal });

  search.addEventListener('input', () => intents.searchTyped(search.value.trim()), { signal });
  search.addEventListener('keydown', (event) => {
    // A search box clears itself on Escape in some browsers only: the path ends either way.
    if (event.key === 'Escape') intents.endPath();
  }, { signal });

  forgetButton.addEventListener('click', () => intents.forgetSelected(), { signal });

  return () => listening.abort();
}
