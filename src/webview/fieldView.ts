// The light field in the browser: takes host messages, keeps the field, its layout, its light and
// the camera, and draws them every frame. Independent of VS Code: `HostChannel` is the only link out,
// so the same view runs in the panel, the standalone bench page and the UI tests.
import { seedPositions } from '../lightfield/layout';
import { unpackField, type LightField } from '../lightfield/packing';
import { SpatialGrid } from '../lightfield/spatialGrid';
import { MAX_WORD_LENGTH } from '../protocol/forgettableWord';
import type { FieldSettings, HostToWebview, LightPanelState, PeerMessage, WebviewToHost } from '../protocol/lightMessages';
import { Camera } from './camera';
import { Chrome } from './chrome';
import { Ignition } from './ignition';
import { attachInteraction } from './interaction';
import { LayoutClient } from './layoutClient';
import { Renderer, WebGLUnavailableError, type Layer } from './renderer';

export interface HostChannel {
  post(message: WebviewToHost): void;
  saveState(state: LightPanelState): void;
}

const TWEEN_SECONDS = 0.8;
const FIRST_LAYOUT_ITERATIONS = 60;
const UPDATE_LAYOUT_ITERATIONS = 20;

export class FieldView {
  readonly chrome: Chrome;
  readonly camera: Camera;
  private canvas!: HTMLCanvasElement;
  private renderer: Renderer | undefined;
  private layout: LayoutClient | undefined;
  private field: LightField | undefined;
  private indexOf = new Map<string, number>();
  private ignition: Ignition | undefined;
  private litOrder: number[] = [];
  private posA: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private posB: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private grid: SpatialGrid | undefined;
  private tweenStart = -1e9;
  /** Keep the whole field framed as it grows, until the user pans, zooms or searches. */
  private autoFit = true;
  private growthAt = -1e9;
  private peers: PeerMessage[] = [];
  private settings: FieldSettings = { reduceMotion: 'auto', neuronLimit: 0 };
  private frame = 0;
  private pendingRendered: { version: number; changedAt: number } | undefined;
  private readonly started = performance.now();
  private nextRequest = 1;
  private readonly descriptions = new Map<string, { count: number; successors: { token: string; probability: number }[] }>();
  hovered = -1;
  selected = -1;
  /** Frame time statistics (ms), for the bench. */
  readonly frameTimes: number[] = [];
  /** The field version whose worker layout is on screen (seeded positions until then). */
  layoutVersion = 0;
  private layoutFailed = false;
  private layoutWaiting: [LightField, Float32Array, ReadonlyMap<string, unknown>, boolean] | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
    workerUrl: string,
    state?: LightPanelState,
    private readonly toneMap: 'auto' | 'on' | 'off' = 'auto',
  ) {
    this.chrome = new Chrome(root);
    this.camera = new Camera(state ? { ...state.camera } : undefined);
    this.autoFit = !state;
    if (state?.search) this.chrome.search.value = state.search;
    this.startRenderer();
    attachInteraction(this);
    document.addEventListener('visibilitychange', () => (document.hidden ? this.releaseGpu() : this.startRenderer()));
    LayoutClient.start(workerUrl).then(
      (client) => {
        this.layout = client;
        // A field that arrived while the worker was starting is laid out now.
        const waiting = this.layoutWaiting;
        this.layoutWaiting = undefined;
        if (waiting) void this.refineLayout(...waiting);
      },
      (error) => {
        this.layoutFailed = true;
        this.layoutVersion = this.field?.version ?? 0;
        this.chrome.showMessage(`The layout worker could not start (${String(error)}); words keep their first positions.`);
      },
    );
    // Where frames are slow (software WebGL), leave the processor idle at least as long as a frame
    // takes, so the panel never holds a whole core.
    let nextFrameAt = 0;
    const loop = (now: number): void => {
      this.frame = requestAnimationFrame(loop);
      if (now < nextFrameAt) return;
      const started = performance.now();
      this.drawFrame();
      const cost = performance.now() - started;
      nextFrameAt = cost > 30 ? now + 2 * cost : 0;
    };
    this.frame = requestAnimationFrame(loop);
  }

  get canvasElement(): HTMLCanvasElement {
    return this.canvas;
  }

  get motion(): number {
    if (this.settings.reduceMotion === 'on') return 0;
    if (this.settings.reduceMotion === 'off') return 1;
    return matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1;
  }

  private now(): number {
    return (performance.now() - this.started) / 1000;
  }

  private startRenderer(): void {
    if (this.renderer) return;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'light-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('aria-label', 'Light field: the memory’s words as points of light');
    this.chrome.canvasHost.replaceChildren(this.canvas);
    try {
      this.renderer = Renderer.create(this.canvas, this.toneMap);
    } catch (error) {
      const reason = error instanceof WebGLUnavailableError ? error.message : String(error);
      this.chrome.showMessage(
        `The light field needs WebGL, which is unavailable here (${reason}). Check that hardware acceleration is not disabled for VS Code, or try a software renderer.`,
      );
      this.host.post({ type: 'webglUnavailable', reason });
      return;
    }
    this.canvas.addEventListener('webglcontextlost', (event) => {
      event.preventDefault();
      this.renderer = undefined;
      if (!document.hidden) this.chrome.showMessage('The GPU context was lost; the light field restarts when it comes back.');
    });
    this.canvas.addEventListener('webglcontextrestored', () => {
      this.chrome.showMessage(undefined);
      this.startRenderer();
    });
    if (this.field) this.uploadAll();
  }

  /** While hidden the panel gives its WebGL context back; it is rebuilt from the kept field when shown. */
  private releaseGpu(): void {
    const renderer = this.renderer;
    this.renderer = undefined;
    renderer?.destroy();
  }

  receive(message: HostToWebview): void {
    switch (message.type) {
      case 'settings':
        this.settings = message.settings;
        return;
      case 'field':
        this.setField(unpackField(message.bytes), message.changedAt, message.source === 'training' || message.source === 'team');
        return;
      case 'ignite':
        this.ignite(message.word, message.predictions);
        return;
      case 'peers':
        this.peers = message.peers;
        this.uploadPeers();
        return;
      case 'description':
        this.descriptions.set(message.word, { count: message.count, successors: message.successors });
        this.refreshCards();
        return;
      case 'error':
        this.chrome.showMessage(message.message);
        return;
    }
  }

  /** The position a neuron is drawn at now (mid-tween included). */
  positionOf(i: number): [number, number] {
    const t = this.tweenProgress();
    return [
      this.posA[2 * i] + (this.posB[2 * i] - this.posA[2 * i]) * t,
      this.posA[2 * i + 1] + (this.posB[2 * i + 1] - this.posA[2 * i + 1]) * t,
    ];
  }

  private tweenProgress(): number {
    if (this.motion === 0) return 1;
    const t = Math.min(1, Math.max(0, (this.now() - this.tweenStart) / TWEEN_SECONDS));
    return t * t * (3 - 2 * t);
  }

  setField(field: LightField, changedAt: number, grew: boolean): void {
    const previous = this.field;
    const previousPositions = new Map<string, readonly [number, number]>();
    previous?.words.forEach((word, i) => previousPositions.set(word, this.positionOf(i)));
    const n = field.words.length;
    const graph = { size: n, from: field.from, to: field.to, weight: field.weight };
    const seeded = seedPositions(field.words, graph, previousPositions);

    this.indexOf = new Map(field.words.map((w, i) => [w, i]));
    const ignition = new Ignition(field, this.indexOf);
    if (this.ignition && previous) ignition.carryFrom(this.ignition, previous.words);
    this.ignition = ignition;
    this.field = field;
    this.litOrder = this.litOrder.map((i) => (previous ? this.indexOf.get(previous.words[i]) ?? -1 : -1)).filter((i) => i >= 0);
    this.hovered = -1;
    this.selected = -1;
    this.descriptions.clear();
    this.posA = seeded;
    this.posB = seeded.slice();
    this.grid = new SpatialGrid(this.posB);
    if (grew && previous) this.growthAt = this.now();
    if (this.autoFit) this.fitNow();
    this.uploadAll();
    this.pendingRendered = { version: field.version, changedAt };
    this.chrome.setStats(
      `${n.toLocaleString()} of ${field.stats.vocabulary.toLocaleString()} words · ${field.from.length.toLocaleString()} rays · ${field.stats.tokens.toLocaleString()} tokens learned` +
        (field.stats.teamWords ? ` · ${field.stats.teamWords.toLocaleString()} from the team` : ''),
    );
    this.chrome.showMessage(n === 0 ? 'The memory is empty: train on the workspace or start typing, and the field lights up.' : undefined);
    void this.refineLayout(field, seeded, previousPositions, !previous);
  }

  private async refineLayout(field: LightField, seeded: Float32Array, previous: ReadonlyMap<string, unknown>, first: boolean): Promise<void> {
    if (field.words.length === 0 || this.layoutFailed) {
      this.layoutVersion = field.version;
      return;
    }
    if (!this.layout) {
      this.layoutWaiting = [field, seeded, previous, first];
      return;
    }
    const mobility = Float32Array.from(field.words, (w) => (previous.has(w) ? 0.15 : 1));
    const result = await this.layout.run({
      positions: seeded.slice(),
      mobility,
      from: field.from.slice(),
      to: field.to.slice(),
      weight: field.weight.slice(),
      // Past 50k neurons each pass costs a lot more than it changes the picture.
      iterations: (first ? FIRST_LAYOUT_ITERATIONS : UPDATE_LAYOUT_ITERATIONS) / (field.words.length > 50_000 ? 2 : 1),
    });
    if (!result || this.field !== field) return;
    const current = new Float32Array(this.posA.length);
    for (let i = 0; i < field.words.length; i++) {
      const [x, y] = this.positionOf(i);
      current[2 * i] = x;
      current[2 * i + 1] = y;
    }
    this.posA = current;
    this.posB = result.positions;
    this.tweenStart = this.now();
    this.grid = new SpatialGrid(this.posB);
    if (this.autoFit) this.fitNow();
    this.uploadPositions();
    this.uploadPeers();
    this.layoutVersion = field.version;
  }

  private uploadAll(): void {
    const field = this.field;
    if (!field || !this.renderer) return;
    let maxCount = 1;
    for (const c of field.count) maxCount = Math.max(maxCount, c);
    const logMax = Math.log(maxCount + 1);
    const size = Float32Array.from(field.count, (c) => 0.35 + 0.9 * (Math.log(c + 1) / logMax));
    this.renderer.setNeurons(Float32Array.from(field.tone), size, field.recency);
    this.renderer.setRays(field.from, field.to, field.weight);
    this.uploadPositions();
    this.uploadLight();
    this.uploadPeers();
  }

  private uploadPositions(): void {
    if (this.field && this.renderer) this.renderer.setPositions(this.posA, this.posB);
  }

  private uploadLight(): void {
    if (!this.ignition || !this.renderer) return;
    this.renderer.setLight(this.ignition.energy, this.ignition.igniteAt);
  }

  private uploadPeers(): void {
    if (!this.renderer) return;
    const shown = this.peers.filter((p) => this.indexOf.has(p.word));
    const positions = new Float32Array(2 * shown.length);
    const colors = new Float32Array(3 * shown.length);
    shown.forEach((peer, k) => {
      const i = this.indexOf.get(peer.word)!;
      positions[2 * k] = this.posB[2 * i];
      positions[2 * k + 1] = this.posB[2 * i + 1];
      colors.set(parseColor(peer.color), 3 * k);
    });
    this.renderer.setPeers(positions, colors);
  }

  /** Lights a word and what the memory expects after it. */
  ignite(word: string, predictions: { token: string; probability: number }[]): void {
    if (!this.ignition) return;
    const lit = this.ignition.ignite(word, predictions, this.now());
    if (lit.length) this.litOrder = lit.slice(0, 12);
    this.uploadLight();
  }

  /** Asks the host for a word's count and successors (cached per field). */
  describe(word: string): { count: number; successors: { token: string; probability: number }[] } | undefined {
    const known = this.descriptions.get(word);
    if (!known && word.length <= MAX_WORD_LENGTH) this.host.post({ type: 'describe', requestId: this.nextRequest++, word });
    return known;
  }

  wordAt(i: number): string {
    return this.field?.words[i] ?? '';
  }

  /** The neuron under a screen point (CSS pixels), or -1. */
  pick(sx: number, sy: number): number {
    if (!this.grid || !this.field) return -1;
    const [wx, wy] = this.camera.toWorld(sx, sy, this.canvas.clientWidth, this.canvas.clientHeight);
    return this.grid.nearest(wx, wy, Math.max(0.6, 10 / this.camera.state.zoom));
  }

  findWord(query: string): number {
    const field = this.field;
    if (!field || !query) return -1;
    const exact = this.indexOf.get(query);
    if (exact !== undefined) return exact;
    const lower = query.toLowerCase();
    const prefix = field.words.findIndex((w) => w.toLowerCase().startsWith(lower));
    return prefix >= 0 ? prefix : field.words.findIndex((w) => w.toLowerCase().includes(lower));
  }

  /** Centres the camera on a neuron and zooms in close enough to read its neighbourhood. */
  focus(i: number): void {
    const [x, y] = this.positionOf(i);
    this.camera.state = { x, y, zoom: Math.max(this.camera.state.zoom, 40) };
    this.userMovedCamera();
  }

  refreshCards(): void {
    if (this.hovered >= 0) {
      const word = this.wordAt(this.hovered);
      const [sx, sy] = this.screenOf(this.hovered);
      this.chrome.showHover({ word, ...this.describe(word) }, sx, sy);
    } else {
      this.chrome.showHover(undefined);
    }
    if (this.selected >= 0) {
      const word = this.wordAt(this.selected);
      this.chrome.showCard({ word, ...this.describe(word) });
    } else {
      this.chrome.showCard(undefined);
    }
  }

  screenOf(i: number): [number, number] {
    const [x, y] = this.positionOf(i);
    return this.camera.toScreen(x, y, this.canvas.clientWidth, this.canvas.clientHeight);
  }

  persist(): void {
    this.host.saveState({ camera: { ...this.camera.state }, search: this.chrome.search.value });
  }

  post(message: WebviewToHost): void {
    this.host.post(message);
  }

  /** The user asked to see the whole field (key 0): framing follows the field again. */
  fit(): void {
    this.autoFit = true;
    this.fitNow();
    this.persist();
  }

  private fitNow(): void {
    // Frame where the field is going (posB); while the canvas has no size yet, retry on resize.
    if (this.canvas.clientWidth > 0 && this.canvas.clientHeight > 0) {
      this.camera.fit(this.posB, this.canvas.clientWidth, this.canvas.clientHeight);
    }
  }

  /** Called on any camera move by the user: from then on the view stays where they put it. */
  userMovedCamera(): void {
    this.autoFit = false;
    this.persist();
  }

  /** Draws one frame now. Returns false when nothing can be drawn (no WebGL). */
  drawFrame(layers?: ReadonlySet<Layer>): boolean {
    const renderer = this.renderer;
    if (!renderer) return false;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      if (this.autoFit) this.fitNow();
    }
    const time = this.now();
    const zoom = this.camera.state.zoom * dpr;
    const stats = this.field?.stats;
    renderer.draw({
      center: [this.camera.state.x, this.camera.state.y],
      zoom,
      viewport: [this.canvas.width, this.canvas.height],
      mixT: this.tweenProgress(),
      time,
      motion: this.motion,
      // Zoomed out, many neurons share a pixel and their light adds up: dim each one accordingly.
      // The layout keeps about one word per unit squared, so zoom alone says how crowded pixels are.
      rest: Math.min(0.6, Math.max(0.015, this.camera.state.zoom / 40)),
      rayRest: Math.min(0.3, Math.max(0.002, this.camera.state.zoom / 150)),
      backlight: {
        level: stats ? Math.min(1, Math.log10(stats.tokens + 1) / 7) : 0,
        swell: this.motion ? Math.exp(-(time - this.growthAt) / 1.5) : 0,
        team: Math.min(1, this.peers.length / 3 + (stats?.teamWords ? 0.3 : 0)),
      },
    }, layers);
    this.updateLabels(time);
    this.frameTimes.push(performance.now() - t0);
    if (this.frameTimes.length > 600) this.frameTimes.splice(0, 300);
    if (this.pendingRendered && this.field) {
      const { version, changedAt } = this.pendingRendered;
      this.pendingRendered = undefined;
      this.host.post({ type: 'rendered', version, changedAt, neurons: this.field.words.length, rays: this.field.from.length });
    }
    return true;
  }

  private updateLabels(time: number): void {
    if (!this.field || !this.ignition) return;
    const labels: { text: string; x: number; y: number; color?: string; strong?: boolean }[] = [];
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const onScreen = ([x, y]: [number, number]): boolean => x >= 0 && y >= 0 && x <= width && y <= height;
    const named = new Set<number>();
    const fade = this.motion ? 3 : 8;
    for (const i of this.litOrder) {
      const light = this.ignition.energy[i] * Math.exp(-Math.max(0, time - this.ignition.igniteAt[i]) / fade);
      if (time < this.ignition.igniteAt[i] || light < 0.08) continue;
      const at = this.screenOf(i);
      if (onScreen(at)) labels.push({ text: this.wordAt(i), x: at[0], y: at[1], strong: light > 0.5 });
      named.add(i);
    }
    for (const peer of this.peers) {
      const i = this.indexOf.get(peer.word);
      if (i === undefined) continue;
      const at = this.screenOf(i);
      if (onScreen(at)) labels.push({ text: `${peer.name}: ${peer.word}`, x: at[0], y: at[1] + 18, color: peer.color, strong: true });
    }
    if (this.selected >= 0 && !named.has(this.selected)) {
      const at = this.screenOf(this.selected);
      if (onScreen(at)) labels.push({ text: this.wordAt(this.selected), x: at[0], y: at[1], strong: true });
      named.add(this.selected);
    }
    // Close up, the biggest words on screen are named too.
    if (this.camera.state.zoom > 18) {
      for (let i = 0, shown = 0; i < this.field.words.length && shown < 40 && labels.length < 60; i++) {
        const at = this.screenOf(i);
        if (named.has(i) || !onScreen(at)) continue;
        labels.push({ text: this.wordAt(i), x: at[0], y: at[1] });
        shown++;
      }
    }
    this.chrome.setLabels(labels);
  }

  /** A debugging and testing surface, exposed as window.lightField. */
  debugApi() {
    return {
      version: () => this.field?.version ?? 0,
      layoutVersion: () => this.layoutVersion,
      neurons: () => this.field?.words.length ?? 0,
      rays: () => this.field?.from.length ?? 0,
      hasWebGL: () => !!this.renderer,
      toneMapped: () => this.renderer?.toneMapped ?? false,
      /** 1 when pulses and travelling light are on, 0 under reduced motion. */
      motion: () => this.motion,
      words: (limit = 20) => this.field?.words.slice(0, limit) ?? [],
      /** CSS-pixel position inside the canvas where a word is drawn now. */
      screenPositionOf: (word: string): [number, number] | undefined => {
        const i = this.indexOf.get(word);
        return i === undefined ? undefined : this.screenOf(i);
      },
      /** Draws a frame and sums the brightness (r + g + b) of the square of pixels around a word. */
      lightAround: (word: string, radius = 16): number | undefined => {
        const i = this.indexOf.get(word);
        if (i === undefined || !this.drawFrame() || !this.renderer) return undefined;
        const dpr = window.devicePixelRatio || 1;
        const [x, y] = this.screenOf(i);
        const side = Math.round(2 * radius * dpr) + 1;
        const gl = this.canvas.getContext('webgl')!;
        const left = Math.round(x * dpr - radius * dpr);
        const bottom = Math.round(gl.drawingBufferHeight - 1 - y * dpr - radius * dpr);
        const pixels = new Uint8Array(side * side * 4);
        gl.readPixels(left, bottom, side, side, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
        let sum = 0;
        for (let k = 0; k < pixels.length; k += 4) sum += pixels[k] + pixels[k + 1] + pixels[k + 2];
        return sum;
      },
      /** Draws a frame and reads back the colour at a CSS-pixel point of the canvas. */
      sample: (x: number, y: number): [number, number, number, number] | undefined => {
        if (!this.drawFrame() || !this.renderer) return undefined;
        const dpr = window.devicePixelRatio || 1;
        return this.renderer.readPixel(x * dpr, y * dpr);
      },
      /** Counts lit pixels in a grid of samples over the whole canvas (read back, not assumed). */
      litPixels: (threshold = 40): number => {
        if (!this.drawFrame() || !this.renderer) return 0;
        const gl = this.canvas.getContext('webgl')!;
        const w = gl.drawingBufferWidth;
        const h = gl.drawingBufferHeight;
        const pixels = new Uint8Array(w * h * 4);
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
        let lit = 0;
        for (let k = 0; k < pixels.length; k += 4) if (pixels[k] + pixels[k + 1] + pixels[k + 2] > threshold * 3) lit++;
        return lit;
      },
      /** Draws `frames` frames back to back, waiting for the GPU each time; mean ms per frame. */
      timeFrames: (frames: number): number => {
        const t0 = performance.now();
        for (let k = 0; k < frames; k++) {
          this.drawFrame();
          this.renderer?.finish();
        }
        return (performance.now() - t0) / frames;
      },
      /** Mean ms per frame drawing only one layer, waiting for the GPU each time. */
      timeLayer: (layer: Layer, frames: number): number => {
        const t0 = performance.now();
        for (let k = 0; k < frames; k++) {
          this.drawFrame(new Set([layer]));
          this.renderer?.finish();
        }
        return (performance.now() - t0) / frames;
      },
      ignite: (word: string, predictions: { token: string; probability: number }[] = []) => this.ignite(word, predictions),
      setField: (bytes: Uint8Array, changedAt = Date.now()) => this.setField(unpackField(bytes), changedAt, true),
      frameTimes: () => this.frameTimes.slice(),
      stopLoop: () => cancelAnimationFrame(this.frame),
    };
  }
}

function parseColor(css: string): [number, number, number] {
  const hex = /^#?([0-9a-f]{6})$/i.exec(css.trim());
  if (!hex) return [1, 1, 1];
  const value = parseInt(hex[1], 16);
  return [((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255];
}
