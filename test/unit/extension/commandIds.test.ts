// Every command package.json declares is one of the features' command ids (each registered from
// its feature's table), and every id of a table meant for people is declared: a renamed command
// cannot leave a palette entry that does nothing, or a handler nobody can reach.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASK_COMMAND } from '../../../src/extension/ask/askIds';
import { LIGHT_PANEL_COMMANDS } from '../../../src/extension/lightPanel/lightPanelIds';
import { SHARE_COMMANDS } from '../../../src/extension/share/shareCommandIds';
import { COMMANDS } from '../../../src/extension/ui/commandIds';

interface Manifest {
  contributes: { commands: Array<{ command: string }>; menus?: Record<string, Array<{ command: string }>> };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const declared = manifest.contributes.commands.map((c) => c.command);

/** Ids registered for tests only, never shown to people. */
const INTERNAL = new Set<string>([LIGHT_PANEL_COMMANDS.state, LIGHT_PANEL_COMMANDS.lightPath]);

const ids = [...Object.values(COMMANDS), ...Object.values(SHARE_COMMANDS), ...Object.values(LIGHT_PANEL_COMMANDS), ASK_COMMAND];

describe('extension/command ids', () => {
  it('declares each command once, and each is a feature command id', () => {
    assert.equal(new Set(declared).size, declared.length, 'a command is declared twice');
    for (const command of declared) assert.ok(ids.includes(command), `${command} is declared but no feature has its id`);
  });

  it('declares every command id meant for people, each id in one feature only', () => {
    assert.equal(new Set(ids).size, ids.length, 'two features share a command id');
    for (const id of ids) if (!INTERNAL.has(id)) assert.ok(declared.includes(id), `${id} is not declared in package.json`);
  });

  it('lists only declared commands in menus', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) assert.ok(declared.includes(item.command), `${menu} lists ${item.command}`);
    }
  });
});
