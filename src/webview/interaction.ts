// Pointer, wheel, keyboard and search: pan, zoom, hover for a word's card, click to ignite, search,
// forget. Everything goes through FieldView's public methods.
import type { FieldView } from './fieldView';

const KEY_PAN_PIXELS = 60;
const KEY_ZOOM = 1.25;

export function attachInteraction(view: FieldView): void {
  const host = view.chrome.canvasHost;
  let drag: { x: number; y: number; moved: number } | undefined;

  const local = (event: MouseEvent): [number, number] => {
    const rect = view.canvasElement.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  host.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, moved: 0 };
    host.setPointerCapture(event.pointerId);
    view.canvasElement.focus();
  });
  host.addEventListener('pointermove', (event) => {
    if (drag) {
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag = { x: event.clientX, y: event.clientY, moved: drag.moved + Math.abs(dx) + Math.abs(dy) };
      view.camera.panByPixels(dx, dy);
      return;
    }
    const [x, y] = local(event);
    view.hovered = view.pick(x, y);
    view.refreshCards();
  });
  host.addEventListener('pointerup', (event) => {
    const wasClick = drag && drag.moved < 4;
    drag = undefined;
    if (!wasClick) {
      view.userMovedCamera();
      return;
    }
    const [x, y] = local(event);
    const picked = view.pick(x, y);
    view.selected = picked;
    view.refreshCards();
    if (picked >= 0) view.post({ type: 'ignite', word: view.wordAt(picked), origin: 'click' });
  });
  host.addEventListener('pointerleave', () => {
    view.hovered = -1;
    view.refreshCards();
  });

  host.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const [x, y] = local(event);
      const lines = event.deltaMode === 1 ? 16 : 1;
      // Pinch on a trackpad arrives as a wheel with ctrlKey; two-finger scroll sideways pans.
      if (!event.ctrlKey && Math.abs(event.deltaX) > 0) {
        view.camera.panByPixels(-event.deltaX * lines, -event.deltaY * lines);
      } else {
        const speed = event.ctrlKey ? 0.01 : 0.0015;
        view.camera.zoomAt(Math.exp(-event.deltaY * lines * speed), x, y, host.clientWidth, host.clientHeight);
      }
      view.userMovedCamera();
    },
    { passive: false },
  );

  view.canvasElement.ownerDocument.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement) return;
    const width = host.clientWidth;
    const height = host.clientHeight;
    switch (event.key) {
      case 'ArrowLeft': view.camera.panByPixels(KEY_PAN_PIXELS, 0); break;
      case 'ArrowRight': view.camera.panByPixels(-KEY_PAN_PIXELS, 0); break;
      case 'ArrowUp': view.camera.panByPixels(0, KEY_PAN_PIXELS); break;
      case 'ArrowDown': view.camera.panByPixels(0, -KEY_PAN_PIXELS); break;
      case '+': case '=': view.camera.zoomAt(KEY_ZOOM, width / 2, height / 2, width, height); break;
      case '-': case '_': view.camera.zoomAt(1 / KEY_ZOOM, width / 2, height / 2, width, height); break;
      case '0': view.fit(); return;
      case '/': view.chrome.search.focus(); event.preventDefault(); return;
      case 'Escape': view.selected = -1; view.refreshCards(); return;
      default: return;
    }
    event.preventDefault();
    view.userMovedCamera();
  });

  view.chrome.search.form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = view.chrome.search.value.trim();
    const found = view.findWord(query);
    if (found < 0) {
      view.chrome.setSearchStatus(query ? `“${query}” is not among the words on show` : '');
      return;
    }
    view.chrome.setSearchStatus('');
    view.selected = found;
    view.focus(found);
    view.refreshCards();
    view.post({ type: 'ignite', word: view.wordAt(found), origin: 'search' });
  });

  view.chrome.forgetButton.addEventListener('click', () => {
    if (view.selected >= 0) view.post({ type: 'forget', word: view.wordAt(view.selected) });
  });
}
