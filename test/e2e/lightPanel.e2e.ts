// Issue 4 in a real VS Code: the palette command opens the light field, the canvas really has lit
// pixels (read back from WebGL), hovering a known neuron shows its word, typing a word in an editor
// changes the light at that neuron's position, and the panel comes back after a window reload.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame } from 'playwright-core';
import { copyWorkspace, launchVSCode, removeDir, repoRoot, type VSCodeSession } from './harness/index';

const SHOW = 'Light Network: Show Light Network';
/** A word the demo workspace uses often, so it is surely among the neurons. */
const KNOWN = 'keeper';

type LightFieldApi = {
  version(): number;
  layoutVersion(): number;
  neurons(): number;
  rays(): number;
  hasWebGL(): boolean;
  screenPositionOf(word: string): [number, number] | undefined;
  sample(x: number, y: number): [number, number, number, number] | undefined;
  litPixels(threshold?: number): number;
  lightAround(word: string, radius?: number): number | undefined;
};
declare const lightField: LightFieldApi;

describe('Show Light Network in VS Code (issue 4)', function () {
  let session: VSCodeSession;
  let workspace: string;

  async function openField(): Promise<Frame> {
    const frame = await session.workbench.waitForWebview('canvas.light-canvas', 60_000);
    await frame.waitForFunction(() => typeof lightField !== 'undefined' && lightField.version() > 0 && lightField.neurons() > 0, undefined, { timeout: 60_000 });
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
  async function lightAt(frame: Frame, word: string): Promise<number> {
    const light = await frame.evaluate((w) => lightField.lightAround(w, 16), word);
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

  it('comes back after a window reload', async function () {
    await session.workbench.reload();
    const frame = await openField();
    assert.ok((await frame.evaluate(() => lightField.neurons())) > 50);
    assert.ok((await frame.evaluate(() => lightField.litPixels())) > 500);
  });
});
