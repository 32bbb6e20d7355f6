// The table of reactions names settings that exist: a misspelt or renamed setting would make its
// reaction silently never run.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_REACTIONS } from '../../../src/extension/settingReactions';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};
const declared = new Set(Object.keys(manifest.contributes.configuration.properties));
/** VS Code's own settings we react to. */
const BUILT_IN = new Set(['files.exclude', 'workbench.reduceMotion']);

describe('extension/settingReactions', () => {
  for (const [reaction, settings] of Object.entries(SETTING_REACTIONS)) {
    it(`${reaction}: every setting is one package.json declares (or VS Code's own)`, () => {
      assert.ok(settings.length > 0);
      for (const setting of settings) {
        assert.ok(declared.has(setting) || BUILT_IN.has(setting), `${setting} is not a setting`);
      }
    });
  }
});
