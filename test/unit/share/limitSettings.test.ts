// The share and signaling caps a team may tune in settings: clamped to hard bounds whatever the
// settings say, kept consistent with each other, and declared in package.json with the same bounds
// and defaults as the code.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LIMITS, SHARE_LIMIT_SETTINGS, SIGNALING_LIMIT_SETTINGS, tuneLimits, tunedShareLimits } from '../../../src/share/limits';

const MiB = 1024 * 1024;
const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; minimum: number; maximum: number }>;

describe('share/limit settings', () => {
  it('clamps every setting to its bounds: no setting lifts a cap past its ceiling', () => {
    const huge = Object.fromEntries(Object.keys(SHARE_LIMIT_SETTINGS).map((name) => [name, 1e12]));
    const { values, notes } = tunedShareLimits(huge);
    for (const [name, { key, unit, max }] of Object.entries(SHARE_LIMIT_SETTINGS)) {
      assert.equal(values[key], max * unit, name);
    }
    assert.equal(notes.length, Object.keys(SHARE_LIMIT_SETTINGS).length);
    const tiny = tunedShareLimits({ peerRequestsPerMinute: 0, maxTeamTokens: -5, maxLogBatches: 3 });
    assert.equal(tiny.values.peerRequestsPerMinute, 1);
    assert.equal(tiny.values.maxTeamTokens, 1000);
    assert.equal(tiny.values.maxLogBatches, 100);
  });

  it('ignores what is not a number, and leaves unset caps at their defaults', () => {
    const { values, notes } = tunedShareLimits({ maxLogMB: '999', peerItemsPerSecond: Number.NaN, maxTeamVocabulary: undefined });
    assert.deepEqual(values, {});
    assert.equal(notes.length, 2);
    assert.match(notes[0], /maxLogMB: "999" is not a number/);
  });

  it('keeps the caps consistent: a first sync (the whole log) fits a message, and its answer the send queue', () => {
    const { values, notes } = tunedShareLimits({ maxLogMB: 200, maxMessageMB: 16, maxSendQueueMB: 8 });
    assert.equal(values.maxLogBytes, 200 * MiB);
    assert.equal(values.maxMessageBytes, 200 * MiB);
    assert.equal(values.maxSendQueueBytes, 200 * MiB);
    assert.equal(notes.length, 2);
    assert.deepEqual(tunedShareLimits({ maxMessageMB: 64, maxLogMB: 64, maxSendQueueMB: 96 }).values, {
      maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
      maxLogBytes: DEFAULT_LIMITS.maxLogBytes,
      maxSendQueueBytes: DEFAULT_LIMITS.maxSendQueueBytes,
    });
  });

  it('clamps the signaling server settings the same way', () => {
    const { values } = tuneLimits(SIGNALING_LIMIT_SETTINGS, { maxConnections: 1e9, maxConnectionsPerAddress: 0, maxBufferedKB: 100 });
    assert.deepEqual(values, { maxConnections: 20_000, maxConnectionsPerAddress: 1, maxBufferedBytes: 100 * 1024 });
  });

  it('declares each setting in package.json with the code\'s bounds and default', () => {
    for (const [prefix, table, defaults] of [
      ['lightNetwork.share.', SHARE_LIMIT_SETTINGS, DEFAULT_LIMITS as unknown as Record<string, number>],
      ['lightNetwork.share.signalingServer.', SIGNALING_LIMIT_SETTINGS, { maxConnections: 1024, maxConnectionsPerAddress: 32, maxTopics: 10_000, maxBufferedBytes: 1024 * 1024 }],
    ] as const) {
      for (const [name, { key, unit, min, max }] of Object.entries(table)) {
        const declared = properties[`${prefix}${name}`];
        assert.ok(declared, `${prefix}${name} is declared`);
        assert.equal(declared.minimum, min, `${name} minimum`);
        assert.equal(declared.maximum, max, `${name} maximum`);
        assert.equal((declared.default as number) * unit, (defaults as Record<string, number>)[key], `${name} default`);
      }
    }
  });
});
