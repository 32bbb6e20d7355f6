// The HTML around the canvas: legend, statistics, search, hover card, selection card, labels and
// messages. Styled with VS Code's theme variables in media/light/light.css.
import { TONE_COLORS, TONE_LABELS } from '../lightfield/tone';
import { isForgettableWord } from '../protocol/forgettableWord';
import type { PredictionMessage } from '../protocol/lightMessages';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent?.appendChild(el);
  return el;
}

const swatch = (rgb: readonly number[]): string =>
  `rgb(${rgb.map((c) => Math.round(Math.min(1, c) * 255)).join(',')})`;

export interface CardContent {
  word: string;
  count?: number;
  successors?: PredictionMessage[];
  /** Collaborators who taught the team memory the word. */
  collaborators?: string[];
}

export class Chrome {
  readonly canvasHost: HTMLDivElement;
  readonly search: HTMLInputElement;
  readonly forgetButton: HTMLButtonElement;
  private readonly stats: HTMLDivElement;
  private readonly hover: HTMLDivElement;
  private readonly card: HTMLDivElement;
  private readonly cardBody: HTMLDivElement;
  private readonly message: HTMLDivElement;
  private readonly searchStatus: HTMLSpanElement;
  private readonly labelLayer: HTMLDivElement;
  private readonly labelPool: HTMLDivElement[] = [];

  constructor(root: HTMLElement) {
    root.classList.add('light-root');
    this.canvasHost = element('div', 'light-canvas-host', root);
    this.labelLayer = element('div', 'light-labels', root);
    this.labelLayer.setAttribute('aria-hidden', 'true');

    const bar = element('div', 'light-bar', root);
    const form = element('form', 'light-search', bar);
    this.search = element('input', 'light-search-input', form);
    this.search.type = 'search';
    this.search.placeholder = 'Search a word or a phrase…';
    this.search.setAttribute('aria-label', 'Search a word, or light the path of a phrase, in the light field');
    this.searchStatus = element('span', 'light-search-status', form);
    this.searchStatus.setAttribute('role', 'status');
    this.stats = element('div', 'light-stats', bar);

    const legend = element('details', 'light-legend', root);
    // Open where there is room for it beside the field; one click away otherwise.
    legend.open = window.innerWidth >= 900 && window.innerHeight >= 600;
    element('summary', '', legend).textContent = 'How to read the light';
    const list = element('ul', '', legend);
    const item = (title: string, text: string): HTMLLIElement => {
      const li = element('li', '', list);
      element('b', '', li).textContent = title;
      li.append(` ${text}`);
      return li;
    };
    item('Brightness', 'is the light a word receives from what you type, flowing along its connections: the words the completion predicts next glow brightest.');
    const tone = item('Colour', 'is the kind of word:');
    TONE_LABELS.slice(0, 5).forEach((label, i) => {
      const chip = element('span', 'light-chip', tone);
      element('i', '', chip).style.background = swatch(TONE_COLORS[i]);
      chip.append(label);
    });
    item('Pulse', 'is recency: words learned or typed recently pulse faster.');
    item('Rays', 'bend from a word to its likely next words; brighter rays are likelier transitions, and light travels along them.');
    item('Background glow', 'is the memory as a whole: it grows with the memory, swells while it learns or the team adds to it, and turns violet when a team shares it.');
    item('Coloured rings', 'are collaborators, on the word each is typing.');
    element('p', 'light-help', legend).textContent =
      'Drag or use the arrow keys to pan; wheel, pinch or +/− to zoom; 0 fits the field. Hover a light for its word, click to ignite it. Search a phrase to light the path of its words; Escape ends it.';

    this.hover = element('div', 'light-hover', root);
    this.hover.setAttribute('role', 'tooltip');
    this.hover.hidden = true;

    this.card = element('div', 'light-card', root);
    this.card.hidden = true;
    this.cardBody = element('div', 'light-card-body', this.card);
    this.forgetButton = element('button', 'light-forget', this.card);
    this.forgetButton.textContent = 'Forget this word…';
    this.forgetButton.title = 'Remove the word from the memory (asks for confirmation)';

    this.message = element('div', 'light-message', root);
    this.message.setAttribute('role', 'alert');
    this.message.hidden = true;
  }

  setStats(text: string): void {
    this.stats.textContent = text;
  }

  /** Puts a search in the box (the host asked to show a phrase). */
  setSearchText(text: string): void {
    this.search.value = text;
  }

  setSearchStatus(text: string): void {
    this.searchStatus.textContent = text;
  }

  showMessage(text: string | undefined): void {
    this.message.hidden = !text;
    this.message.textContent = text ?? '';
  }

  showHover(content: CardContent | undefined, x = 0, y = 0): void {
    if (!content) {
      this.hover.hidden = true;
      return;
    }
    this.fill(this.hover, content);
    this.hover.hidden = false;
    this.hover.style.left = `${Math.round(x + 14)}px`;
    this.hover.style.top = `${Math.round(y + 14)}px`;
  }

  showCard(content: CardContent | undefined): void {
    if (!content) {
      this.card.hidden = true;
      return;
    }
    this.fill(this.cardBody, content);
    // Only a word can be forgotten (the host refuses punctuation, line breaks, long tokens).
    this.forgetButton.hidden = !isForgettableWord(content.word);
    this.card.hidden = false;
  }

  private fill(target: HTMLElement, { word, count, successors, collaborators }: CardContent): void {
    target.replaceChildren();
    element('div', 'light-word', target).textContent = JSON.stringify(word).slice(1, -1);
    element('div', 'light-count', target).textContent = count === undefined ? 'counting…' : `${count.toLocaleString()} occurrences`;
    if (collaborators && collaborators.length) element('div', 'light-taught', target).textContent = `from ${collaborators.join(', ')}`;
    if (successors && successors.length) {
      element('div', 'light-next-title', target).textContent = 'Likely next:';
      const list = element('ol', 'light-next', target);
      for (const s of successors) {
        const li = element('li', '', list);
        li.textContent = `${JSON.stringify(s.token).slice(1, -1)} `;
        element('span', 'light-prob', li).textContent = `${(s.probability * 100).toFixed(1)}%`;
      }
    }
  }

  /** Places text labels (pooled elements) at screen positions; extra pooled labels are hidden. */
  setLabels(labels: { text: string; x: number; y: number; color?: string; strong?: boolean }[]): void {
    while (this.labelPool.length < labels.length) this.labelPool.push(element('div', 'light-label', this.labelLayer));
    this.labelPool.forEach((el, i) => {
      const label = labels[i];
      if (!label) {
        el.hidden = true;
        return;
      }
      el.hidden = false;
      el.textContent = label.text;
      el.style.transform = `translate(${Math.round(label.x + 8)}px, ${Math.round(label.y - 8)}px)`;
      el.style.color = label.color ?? '';
      el.classList.toggle('strong', !!label.strong);
    });
  }
}
