// Issue 4 in a real VS Code: the palette command opens the light field, the canvas really has lit
// pixels (read back from WebGL), hovering a known neuron shows its word, typing a word in an editor
// changes the light at that neuron's position, and the panel comes back after a window reload.
// Issue 11: a phrase typed in the field's search box lights the path of its words.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame } from 'playwright-core';
import { openStandalone, type Standalone } from '../../bench/light/standalone';
import { copyWorkspace, launchVSCode, removeDir, repoRoot, type VSCodeSession } from './harness/index';
import { installLightFieldProbes } from './harness/lightField/install';
import type { LightFieldProbes } from './harness/lightField/probes';

const SHOW = 'Light Network: Show Light Network';
/** A word the demo workspace uses often, so it is surely among the neurons. */
const KNOWN = 'keeper';

/** Put into the webview by installLightFieldProbes. */
declare const lightField: LightFieldProbes;

describe('Show Light Network in VS Code (issue 4)', function () {
  let session: VSCodeSession;
  let workspace: string;

  async function openField(): Promise<Frame> {
    const frame = await session.workbench.waitForWebview('canvas.light-canvas', 60_000);
    await installLightFieldProbes(frame);
    await frame.waitForFunction(() => lightField.version() > 0 && lightField.neurons() > 0, undefined, { timeout: 60_000 });
    // The worker's layout arrives after the first frame; then the field tweens for under a second.
    await frame.waitForFunction(() => lightField.layoutVersion() > 0, undefined, { timeout: 60_000 });
    await session.workbench.page.waitForTimeout(1_500);
    return frame;
  }

  /** Where a neuron is, in page coordinates. */
  async function pagePositionOf(frame: Frame, word: string): Promise<[number, number]> {
    const inFrame = await frame.evaluate((w) => lightField.screenPositionOf(w), word);
    assert.ok(inFrame, `"${word}" is not among the neurons`);
    const box = await (await frame.frameElement()).boundingBox();
    assert.ok(box, 'the webview frame has no box');
    return [box.x + inFrame[0], box.y + inFrame[1]];
  }

  /** Brightness (sum of r + g + b) of the pixels around a neuron, read back from WebGL. */
  async function lightAt(frame: Frame, word: string, radius = 16): Promise<number> {
    const light = await frame.evaluate(([w, r]) => lightField.lightAround(w, r), [word, radius] as const);
    assert.ok(light !== undefined, `"${word}" is not among the neurons`);
    return light;
  }

  before(async function () {
    workspace = copyWorkspace(join(repoRoot, 'demo'), 'light-e2e');
    session = await launchVSCode({
      workspace,
      label: 'light-e2e',
      viewport: { width: 1400, height: 860 },
      settings: { 'workbench.reduceMotion': 'off' },
    });
    await session.workbench.waitForStatus(/^Light Network ready/);
    // An editor first, so the panel opens beside it and both stay visible.
    mkdirSync(join(workspace, 'drafts'), { recursive: true });
    writeFileSync(join(workspace, 'drafts/typing.md'), '');
    await session.workbench.openFile('drafts/typing.md');
  });

  after(async function () {
    await session?.stop();
    if (workspace) removeDir(dirname(workspace));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await session.workbench.screenshot(`light-e2e-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
    }
  });

  it('opens from the command palette and draws lit pixels', async function () {
    await session.workbench.runCommand(SHOW);
    const frame = await openField();
    assert.ok(await frame.evaluate(() => lightField.hasWebGL()), 'WebGL started');
    const neurons = await frame.evaluate(() => lightField.neurons());
    assert.ok(neurons > 50, `the demo workspace should give many neurons, got ${neurons}`);
    const lit = await frame.evaluate(() => lightField.litPixels());
    assert.ok(lit > 500, `expected lit pixels read back from the canvas, got ${lit}`);
  });

  it('shows a neuron’s word, count and likely successors on hover', async function () {
    const frame = await openField();
    const [x, y] = await pagePositionOf(frame, KNOWN);
    await session.workbench.page.mouse.move(x, y);
    const hover = frame.locator('.light-hover');
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    await frame.waitForFunction(() => !document.querySelector('.light-hover')?.textContent?.includes('counting'), undefined, { timeout: 10_000 });
    const text = (await hover.textContent()) ?? '';
    assert.ok(text.includes(KNOWN), `hover shows ${JSON.stringify(text)}`);
    assert.match(text, /\d+ occurrences/);
    assert.match(text, /Likely next/);
    await session.workbench.page.mouse.move(2, 2);
  });

  it('lights the neuron of a word typed in an editor', async function () {
    // More room for the field (and the README's screenshot).
    await session.workbench.runCommand('View: Close Primary Side Bar');
    const frame = await openField();
    const before = await lightAt(frame, KNOWN);
    await session.workbench.runCommand('View: Focus First Editor Group');
    await session.workbench.focusEditor();
    await session.workbench.type(`Every watch the ${KNOWN} `);
    // Light arrives within a frame or two of the typing event and fades over seconds.
    let after = 0;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && after <= before * 1.5) {
      await session.workbench.page.waitForTimeout(100);
      after = await lightAt(frame, KNOWN);
    }
    assert.ok(after > before * 1.5, `light around "${KNOWN}" went from ${before} to ${after}`);
    // Let the light travel a hop or two along the rays before taking the picture.
    await session.workbench.page.waitForTimeout(900);
    const shot = await session.workbench.screenshot('light-field');
    if (process.env.LIGHT_NETWORK_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(repoRoot, 'media/screenshots'), { recursive: true });
      copyFileSync(shot, join(repoRoot, 'media/screenshots/light-field.png'));
    }
  });

  it('grows when the memory learns new words', async function () {
    const frame = await openField();
    const before = await frame.evaluate(() => lightField.neurons());
    writeFileSync(
      join(workspace, 'docs/new-crew.md'),
      'The lamplighters quarrelled about marmalade. Quartermasters whistled at the zeppelin.\n'.repeat(3),
    );
    await frame.waitForFunction((n) => lightField.neurons() > n && lightField.screenPositionOf('zeppelin') !== undefined, before, { timeout: 60_000 });
  });

  it('lights the path of a phrase typed in the search box, and says which word is not on show', async function () {
    const frame = await openField();
    // From the demo's docs ("the keeper trims the wick"); the third word is in no file.
    const path = ['keeper', 'trims', 'wick'];
    const search = frame.locator('.light-search-input');
    await search.click();
    await search.pressSequentially('keeper trims quixotry wick', { delay: 20 });
    await frame.locator('.light-search-status', { hasText: /Path: 3 of 4 words · skipped “quixotry”, not on show/ }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await frame.evaluate(() => lightField.path()), { words: path, missing: ['quixotry'] });
    for (const word of path) assert.ok(await frame.evaluate((w) => lightField.screenPositionOf(w), word), `${word} is a neuron`);
    // The path is framed: every word of it is on screen.
    const box = await (await frame.frameElement()).boundingBox();
    for (const word of path) {
      const [x, y] = await pagePositionOf(frame, word);
      assert.ok(box && x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height, `${word} is in view at ${x}, ${y}`);
    }
    // Let the light reach the last word (a hop is under half a second), then compare each word's
    // light with the path shown and, at the same camera, once it has ended and its light has faded.
    await session.workbench.page.waitForTimeout(1_500);
    await session.workbench.screenshot('light-field-path');
    const lit: number[] = [];
    for (const word of path) lit.push(await lightAt(frame, word, 24));
    await search.press('Escape');
    await frame.waitForFunction(() => lightField.path() === undefined, undefined, { timeout: 5_000 });
    // An ignition's light fades with a time constant of 3 s.
    await session.workbench.page.waitForTimeout(9_000);
    const ended: number[] = [];
    for (const word of path) ended.push(await lightAt(frame, word, 24));
    path.forEach((word, k) => assert.ok(lit[k] > ended[k] * 1.5, `light around "${word}": ${lit[k]} with the path, ${ended[k]} after it ended`));
    assert.equal(await frame.locator('.light-search-status').textContent(), '');
  });

  it('Ask the Memory lights the phrase asked in the open field', async function () {
    const frame = await openField();
    const { page } = session.workbench;
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Light Network: Ask the Memory');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ask the Memory' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[placeholder^="Type a phrase"]').waitFor({ timeout: 15_000 });
    await page.keyboard.type('the keeper trims the wick', { delay: 20 });
    await frame.waitForFunction(() => lightField.path()?.words.join(' ') === 'the keeper trims the wick', undefined, { timeout: 10_000 });
    assert.equal(await frame.locator('.light-search-input').inputValue(), 'the keeper trims the wick', 'the field’s search box shows the phrase');
    await page.keyboard.press('Escape');
  });

  it('forgets a word after the user confirms, and the field drops it', async function () {
    const frame = await openField();
    const word = await frame.evaluate(() => {
      const words = lightField.words(300);
      return words.slice(100).find((w) => /^[a-z]{5,}$/.test(w)) ?? '';
    });
    assert.ok(word, 'a plain word to forget');
    await frame.fill('.light-search-input', word);
    await frame.press('.light-search-input', 'Enter');
    await frame.click('.light-forget');
    // VS Code's own modal confirmation, in the workbench.
    const dialog = session.workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Forget "${word}"`));
    await dialog.locator('.monaco-button', { hasText: /^Forget$/ }).click();
    await frame.waitForFunction((w) => lightField.screenPositionOf(w) === undefined, word, { timeout: 30_000 });
  });

  it('comes back after a window reload', async function () {
    await session.workbench.reload();
    const frame = await openField();
    assert.ok((await frame.evaluate(() => lightField.neurons())) > 50);
    assert.ok((await frame.evaluate(() => lightField.litPixels())) > 500);
  });
});

// The same webview code on the standalone page (headless Chromium, no VS Code): the interactions
// whose other end is a peer or a confirmation dialog, checked by the messages the view sends.
describe('light field page: collaborators, search, forget, no WebGL', function () {
  let page: Standalone | undefined;

  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  async function openWithField(): Promise<Standalone> {
    page = await openStandalone({ width: 900, height: 600 });
    await page.page.evaluate(() => {
      const w = window as any;
      w.bench.deliver(w.bench.pack(2000).bytes);
    });
    await page.page.waitForFunction(() => (window as any).lightField.layoutVersion() > 0, undefined, { timeout: 60_000 });
    await page.page.waitForTimeout(1_000);
    return page;
  }

  it('draws a collaborator as a coloured ring on the word they type, with their name', async function () {
    const { page: p } = await openWithField();
    const word = await p.evaluate(() => (window as any).lightField.words(50)[42] as string);
    const before = await p.evaluate((w) => (window as any).lightField.lightAround(w, 30) as number, word);
    await p.evaluate((w) => {
      (window as any).bench.peers([{ id: 'p1', name: 'Ada', color: '#ff3366', word: w }]);
    }, word);
    const after = await p.evaluate((w) => (window as any).lightField.lightAround(w, 30) as number, word);
    assert.ok(after > before * 1.3, `light around the peer's word went from ${before} to ${after}`);
    await p.locator('.light-label', { hasText: `Ada: ${word}` }).waitFor({ timeout: 5_000 });
  });

  it('search flies to a word, selects it and asks the host to ignite it', async function () {
    const { page: p } = await openWithField();
    const word = await p.evaluate(() => (window as any).lightField.words(400)[321] as string);
    await p.fill('.light-search-input', word);
    await p.press('.light-search-input', 'Enter');
    await p.locator('.light-card .light-word', { hasText: word }).waitFor({ timeout: 5_000 });
    const sent = await p.evaluate(() => (window as any).sentMessages as { type: string; word?: string; origin?: string }[]);
    assert.ok(sent.some((m) => m.type === 'ignite' && m.word === word && m.origin === 'search'), JSON.stringify(sent.slice(-3)));
    assert.ok(sent.some((m) => m.type === 'describe' && m.word === word), 'the card asks the host for the word’s count and successors');
    const at = await p.evaluate((w) => (window as any).lightField.screenPositionOf(w) as [number, number], word);
    assert.ok(Math.abs(at[0] - 450) < 2 && Math.abs(at[1] - 300) < 2, `the searched word is centred, at ${at}`);
    await p.fill('.light-search-input', 'no-such-word-anywhere');
    await p.press('.light-search-input', 'Enter');
    await p.locator('.light-search-status', { hasText: 'not among the words on show' }).waitFor({ timeout: 5_000 });
  });

  it('a word’s card names the collaborators who taught it, as the host describes it', async function () {
    const { page: p } = await openWithField();
    const word = await p.evaluate(() => (window as any).lightField.words(400)[123] as string);
    await p.fill('.light-search-input', word);
    await p.press('.light-search-input', 'Enter');
    await p.locator('.light-card .light-word', { hasText: word }).waitFor({ timeout: 5_000 });
    assert.equal(await p.locator('.light-card .light-taught').count(), 0, 'no names before the host says');
    await p.evaluate((w) => {
      (window as any).bench.receive({ type: 'description', requestId: 1, word: w, count: 7, successors: [], collaborators: ['Ada', '<b>Grace</b>'] });
    }, word);
    await p.locator('.light-card .light-count', { hasText: '7 occurrences' }).waitFor({ timeout: 5_000 });
    assert.equal(await p.locator('.light-card .light-taught').textContent(), 'from Ada, <b>Grace</b>', 'names are shown as plain text');
  });

  it('clicking a neuron selects it and asks the host to ignite it', async function () {
    const { page: p } = await openWithField();
    // A word in the open middle of the canvas, away from the legend and the search bar.
    const [word, x, y] = await p.evaluate(() => {
      const lf = (window as any).lightField;
      for (const w of lf.words(200) as string[]) {
        const [sx, sy] = lf.screenPositionOf(w) as [number, number];
        if (sx > 500 && sx < 800 && sy > 120 && sy < 450) return [w, sx, sy] as const;
      }
      return ['', 0, 0] as const;
    });
    assert.ok(word, 'a neuron in the middle of the canvas');
    await p.mouse.click(x, y);
    await p.locator('.light-card .light-word', { hasText: word }).waitFor({ timeout: 5_000 });
    const sent = await p.evaluate(() => (window as any).sentMessages as { type: string; word?: string; origin?: string }[]);
    assert.ok(sent.some((m) => m.type === 'ignite' && m.word === word && m.origin === 'click'), JSON.stringify(sent.slice(-3)));
  });

  it('forgetting a selected word goes to the host, which asks the user to confirm', async function () {
    const { page: p } = await openWithField();
    const word = await p.evaluate(() => (window as any).lightField.words(5)[3] as string);
    await p.fill('.light-search-input', word);
    await p.press('.light-search-input', 'Enter');
    await p.click('.light-forget');
    const sent = await p.evaluate(() => (window as any).sentMessages as { type: string; word?: string }[]);
    assert.deepEqual(sent.filter((m) => m.type === 'forget'), [{ type: 'forget', word }]);
  });

  it('pans and zooms with the keyboard and the wheel', async function () {
    const { page: p } = await openWithField();
    const word = await p.evaluate(() => (window as any).lightField.words(1)[0] as string);
    const start = await p.evaluate((w) => (window as any).lightField.screenPositionOf(w) as [number, number], word);
    await p.click('.light-canvas', { position: { x: 5, y: 5 } });
    await p.keyboard.press('ArrowRight');
    const panned = await p.evaluate((w) => (window as any).lightField.screenPositionOf(w) as [number, number], word);
    assert.ok(panned[0] < start[0] - 30, `ArrowRight moves the view right, the word left: ${start} -> ${panned}`);
    await p.mouse.move(450, 300);
    await p.mouse.wheel(0, -400);
    const zoomed = await p.evaluate((w) => (window as any).lightField.screenPositionOf(w) as [number, number], word);
    const spread = (a: [number, number]) => Math.hypot(a[0] - 450, a[1] - 300);
    assert.ok(spread(zoomed) > spread(panned) * 1.2, `zooming in moves words away from the pointer: ${panned} -> ${zoomed}`);
  });

  it('gives the WebGL context back while hidden and draws the same field when shown again', async function () {
    const { page: p } = await openWithField();
    const setHidden = (hidden: boolean) =>
      p.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, value: h });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    assert.equal(await p.evaluate(() => (window as any).lightField.hasWebGL()), false, 'no renderer while hidden');
    assert.equal(await p.locator('canvas.light-canvas').evaluate((c: HTMLCanvasElement) => c.getContext('webgl')?.isContextLost()), true);
    await setHidden(false);
    assert.equal(await p.evaluate(() => (window as any).lightField.hasWebGL()), true);
    assert.ok((await p.evaluate(() => (window as any).lightField.litPixels() as number)) > 1000, 'the field is drawn again');
  });

  it('respects reduced motion: VS Code’s setting first, the system’s when it says auto', async function () {
    page = await openStandalone({ width: 400, height: 300 });
    const motion = () => page!.page.evaluate(() => (window as any).lightField.motion() as number);
    await page.page.evaluate(() => (window as any).bench.settings('on'));
    assert.equal(await motion(), 0);
    await page.page.evaluate(() => (window as any).bench.settings('auto'));
    await page.page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await motion(), 0);
    await page.page.emulateMedia({ reducedMotion: 'no-preference' });
    assert.equal(await motion(), 1);
    await page.page.evaluate(() => (window as any).bench.settings('off'));
    await page.page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await motion(), 1);
  });

  it('tone-maps light added up in a float buffer (the GPU path), drawing the same field', async function () {
    page = await openStandalone({ width: 600, height: 400 }, [], '?tonemap=on');
    const { page: p } = page;
    await p.evaluate(() => {
      const w = window as any;
      w.bench.deliver(w.bench.pack(2000).bytes);
    });
    assert.equal(await p.evaluate(() => (window as any).lightField.toneMapped()), true);
    assert.ok((await p.evaluate(() => (window as any).lightField.litPixels() as number)) > 1000);
    const word = await p.evaluate(() => (window as any).lightField.words(5)[2] as string);
    const before = await p.evaluate((w) => (window as any).lightField.lightAround(w, 20) as number, word);
    await p.evaluate((w) => (window as any).bench.ignite(w, []), word);
    const after = await p.evaluate((w) => (window as any).lightField.lightAround(w, 20) as number, word);
    assert.ok(after > before * 1.5, `ignition shows through tone mapping: ${before} -> ${after}`);
  });

  it('says so, and tells the host, where WebGL is unavailable', async function () {
    page = await openStandalone({ width: 600, height: 400 }, ['--disable-webgl']);
    const message = await page.page.locator('.light-message').textContent();
    assert.match(message ?? '', /needs WebGL/);
    const sent = await page.page.evaluate(() => (window as any).sentMessages as { type: string }[]);
    assert.ok(sent.some((m) => m.type === 'webglUnavailable'));
  });
});
