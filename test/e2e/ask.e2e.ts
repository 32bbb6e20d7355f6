// Ask the Memory in a real VS Code (issue 11): the command opens a quick pick, a typed phrase lists
// its continuations and where it occurs, and picking an occurrence opens its file at that line.
import * as assert from 'node:assert/strict';
import { launchVSCode, makeWorkspace, removeWorkspace, type VSCodeSession } from './harness/index';

const PHRASE = 'lanternWick(emberTide)';

// The phrase on line 12 of tide.ts and line 3 of mill.ts, nowhere else.
const tide = Array.from({ length: 20 }, (_, i) => (i === 11 ? `  const glow = ${PHRASE} + 1;` : `export const harbour${i} = computeTide(${i}, 'ebb');`)).join('\n');
// The line's text is shown as it reads: `$(price)` in it is text, not an icon.
const mill = ['// The mill', '', `  return ${PHRASE}; // costs $(price)`, ''].join('\n');

describe('Ask the Memory in VS Code (issue 11)', function () {
  let session: VSCodeSession;

  before(async () => {
    const workspace = makeWorkspace({ 'src/tide.ts': `${tide}\n`, 'src/mill.ts': mill });
    session = await launchVSCode({ workspace, label: 'ask' });
    await session.workbench.waitForStatus('Light Network ready', 120_000);
  });

  after(async () => {
    const workspace = session?.server.workspace;
    await session?.stop();
    if (workspace) removeWorkspace(workspace);
  });

  it('opens an occurrence at its line', async () => {
    const { page } = session.workbench;
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'src/tide.ts:12' }).first();
    // The workspace may still be being learned when the window is ready: ask again until it answers.
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('>Light Network: Ask the Memory');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ask the Memory' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget input[placeholder^="Type a phrase"]').waitFor({ timeout: 15_000 });
      await page.keyboard.type(PHRASE, { delay: 20 });
      try {
        await row.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
    // Both places are listed, each with its line's text; the separator gives the count.
    const millRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'src/mill.ts:3' }).first();
    await millRow.waitFor();
    assert.match((await millRow.textContent()) ?? '', /return lanternWick\(emberTide\); \/\/ costs \$\(price\)/);
    assert.match((await row.textContent()) ?? '', /const glow = lanternWick\(emberTide\) \+ 1;/);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'occurs 2× in the learned files' }).waitFor({ timeout: 10_000 });
    await row.click();
    await page.locator('.tab.active[aria-label*="tide.ts"]').waitFor({ timeout: 15_000 });
    const cursor = page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
    await cursor.waitFor();
    // The cursor is on the occurrence: line 12, where the phrase begins (column 16).
    await page.waitForFunction(() => /Ln 12, Col 16/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), undefined, { timeout: 15_000 });
    assert.match((await cursor.textContent()) ?? '', /Ln 12, Col 16/);
  });
});
