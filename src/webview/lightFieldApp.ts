// The light field in the browser, put together: the view model and what follows it (the scene on the
// GPU, cards, picking, framing), the host's messages, the layout worker, the user's intents and the
// animation loop. Independent of VS Code: `HostChannel` is the only link out, so the same field runs
// in the panel, the standalone bench page and the UI tests. `dispose` takes it all down.
import type { HostToWebview, LightPanelState, WebviewToHost } from '../protocol/lightMessages';
import { AnimationLoop } from './animationLoop';
import { Camera } from './camera';
import { Cards } from './cards';
import { Chrome } from './chrome';
import { FieldControls } from './controls';
import { WordDescriptions } from './descriptions';
import { FrameDrawer } from './frame';
import { Framing } from './framing';
import { GpuSession } from './gpu';
import { dispatchHostMessage, type HostMessageHandler } from './hostMessages';
import { answerInspectRequests, type FieldInspector } from './inspection';
import { attachInteraction } from './interaction';
import { LayoutRunner } from './layout/layoutRunner';
import { describePath } from './phrasePath';
import { Picker } from './picking';
import { Projection } from './projection';
import { FieldScene } from './scene';
import { FieldViewModel } from './viewModel';
import { ViewStateSaver } from './viewState';

export interface HostChannel {
  post(message: WebviewToHost): void;
  saveState(state: LightPanelState): void;
}

export interface LightFieldOptions {
  /** URL of the layout worker's script. */
  workerUrl: string;
  /** The view saved before a reload. */
  state?: LightPanelState;
  /** 'auto' tone-maps on GPUs only; 'on' and 'off' force it. */
  toneMap?: 'auto' | 'on' | 'off';
}

export class LightFieldApp {
  readonly chrome: Chrome;
  private readonly model: FieldViewModel;
  private readonly gpu: GpuSession;
  private readonly layout: LayoutRunner;
  private readonly frames: FrameDrawer;
  private readonly loop: AnimationLoop;
  private readonly projection: Projection;
  private readonly descriptions: WordDescriptions;
  private readonly controls: FieldControls;
  private readonly handler: HostMessageHandler;
  private readonly teardown: (() => void)[] = [];

  constructor(root: HTMLElement, host: HostChannel, options: LightFieldOptions) {
    const started = performance.now();
    const now = (): number => (performance.now() - started) / 1000;
    const chrome = (this.chrome = new Chrome(root));
    const camera = new Camera();
    const saver = new ViewStateSaver((state) => host.saveState(state), camera, chrome.search);
    if (options.state) saver.restore(options.state);

    const model = (this.model = new FieldViewModel({
      now,
      systemReducesMotion: () => matchMedia('(prefers-reduced-motion: reduce)').matches,
    }));
    const scene = new FieldScene(model, () => this.gpu.renderer);
    this.gpu = new GpuSession(chrome.canvasHost, options.toneMap ?? 'auto', {
      started: (renderer) => scene.uploadTo(renderer),
      unavailable: (reason) => {
        chrome.showMessage(
          `The light field needs WebGL, which is unavailable here (${reason}). Check that hardware acceleration is not disabled for VS Code, or try a software renderer.`,
        );
        host.post({ type: 'webglUnavailable', reason });
      },
      lost: () => chrome.showMessage('The GPU context was lost; the light field restarts when it comes back.'),
      restored: () => chrome.showMessage(undefined),
    });
    const size = () => this.gpu.size();
    const projection = (this.projection = new Projection(camera, model, size));
    const framing = new Framing(camera, model, size, () => saver.persist(), !options.state);
    const picker = new Picker(model, camera, projection);
    const descriptions = (this.descriptions = new WordDescriptions((message) => host.post(message)));
    const cards = new Cards(model, descriptions, chrome, projection);
    this.layout = new LayoutRunner(
      options.workerUrl,
      {
        moveTo: (field, positions) => model.moveTo(field, positions),
        unavailable: (reason) => chrome.showMessage(`The layout worker could not start (${reason}); words keep their first positions.`),
      },
      () => model.field,
    );
    this.frames = new FrameDrawer({ gpu: this.gpu, camera, framing, model, projection, chrome, now, post: (m) => host.post(m) });
    const controls = (this.controls = new FieldControls({ model, camera, framing, picker, chrome, size, post: (m) => host.post(m) }));
    // A new field finds the path's words again: the search box says what is skipped now.
    const stopDescribingPath = model.subscribe((change) => {
      if (change === 'field' && model.path) chrome.setSearchStatus(describePath(model.path));
    });
    const detachInteraction = attachInteraction(
      { canvasHost: chrome.canvasHost, canvas: () => this.gpu.canvas, search: chrome.search, forgetButton: chrome.forgetButton },
      controls,
    );
    this.handler = this.hostMessageHandler();
    this.loop = new AnimationLoop(() => this.frames.draw());
    this.loop.start();
    const stopAnswering = answerInspectRequests(this.inspector());
    this.teardown.push(
      () => this.loop.stop(),
      stopAnswering,
      stopDescribingPath,
      detachInteraction,
      () => this.layout.dispose(),
      () => cards.dispose(),
      () => picker.dispose(),
      () => framing.dispose(),
      () => scene.dispose(),
      () => this.gpu.dispose(),
    );
  }

  /** A message from the host; one that cannot be shown is reported in the panel. */
  receive(message: HostToWebview): void {
    try {
      dispatchHostMessage(message, this.handler);
    } catch (error) {
      this.chrome.showMessage(`The light field could not show an update: ${String(error)}`);
    }
  }

  /** Draws one frame now; false without WebGL. */
  drawFrame(): boolean {
    return this.frames.draw();
  }

  /** Stops the loop, the worker and every listener, and gives the GPU back. */
  dispose(): void {
    for (const step of this.teardown.splice(0)) step();
  }

  /** The read-only look inside for tests and the bench (see inspection.ts). */
  inspector(): FieldInspector {
    const { model, gpu, layout, frames, projection } = this;
    return {
      version: () => model.field?.version ?? 0,
      layoutVersion: () => layout.layoutVersion,
      neurons: () => model.field?.words.length ?? 0,
      rays: () => model.field?.from.length ?? 0,
      hasWebGL: () => gpu.renderer !== undefined,
      toneMapped: () => gpu.renderer?.toneMapped ?? false,
      motion: () => model.motion,
      words: (limit) => model.field?.words.slice(0, limit) ?? [],
      path: () => {
        const path = model.path;
        return path && { words: path.steps.map((i) => model.wordAt(i)), missing: [...path.missing] };
      },
      screenPositionOf: (word) => {
        const i = model.indexOfWord(word);
        return i === undefined ? undefined : projection.screenOf(i);
      },
      pixelRatio: () => window.devicePixelRatio || 1,
      drawFrame: (layers) => frames.draw(layers),
      readPixels: (rect) => gpu.renderer?.readPixels(rect),
      finish: () => gpu.renderer?.finish(),
      frameTimes: () => frames.frameTimes.slice(),
    };
  }

  private hostMessageHandler(): HostMessageHandler {
    const { model, chrome, layout, frames, descriptions, controls } = this;
    return {
      settings: (settings) => model.setSettings(settings),
      field: (field, changedAt, grew) => {
        const placement = model.setField(field, grew);
        frames.expectRendered(field.version, changedAt);
        const n = field.words.length;
        chrome.setStats(
          `${n.toLocaleString()} of ${field.stats.vocabulary.toLocaleString()} words · ${field.from.length.toLocaleString()} rays · ${field.stats.tokens.toLocaleString()} tokens learned` +
            (field.stats.teamWords ? ` · ${field.stats.teamWords.toLocaleString()} from the team` : ''),
        );
        chrome.showMessage(n === 0 ? 'The memory is empty: train on the workspace or start typing, and the field lights up.' : undefined);
        void layout.refine({ field, ...placement });
      },
      ignite: (word, predictions) => model.ignite(word, predictions),
      peers: (peers) => model.setPeers(peers),
      // As if the user had searched the phrase: the same path, status and framing.
      lightPath: (phrase) => {
        chrome.setSearchText(phrase);
        controls.search(phrase.trim());
      },
      description: (word, description) => descriptions.add(word, description),
      error: (message) => chrome.showMessage(message),
    };
  }
}
