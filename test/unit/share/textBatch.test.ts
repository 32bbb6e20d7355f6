// The text batch codec: round trips, and every way a peer's bytes can be wrong is refused before
// anything large is allocated.
import { strict as assert } from 'node:assert';
import * as encoding from 'lib0/encoding';
import { chunkKey, decodeTextBatch, encodeTextBatch, estimatedRecordBytes, recordTokens, textBatchOf, TextBatchError, type TextBatch } from '../../../src/share/textBatch';

const LIMITS = { maxRecords: 100, maxTokens: 10_000, maxTokenLength: 64 };
const salt = new Uint8Array(32).fill(7);

describe('share/textBatch', () => {
  it('round-trips records, cuts and removals', () => {
    const batch: TextBatch = {
      records: [
        { key: chunkKey(salt, 'src/a.ts\u00000'), tokens: ['const', 'x', '=', '', '1', ';', 'const'] },
        { key: chunkKey(salt, 'src/b.ts\u00000'), tokens: [] },
        { key: chunkKey(salt, 'docs/é.md\u00001'), tokens: ['naïve', 'café', '\n'] },
      ],
    };
    const bytes = encodeTextBatch(batch);
    const bulk = decodeTextBatch(bytes, LIMITS);
    assert.equal(bulk.count, 3);
    assert.deepEqual(textBatchOf(bulk), { records: batch.records.map((r) => ({ key: r.key, tokens: [...r.tokens] })) });
    assert.deepEqual(recordTokens(bulk, 0), ['const', 'x', '=', '', '1', ';', 'const']);
    for (const record of batch.records) assert.ok(estimatedRecordBytes(record) >= encodeTextBatch({ records: [record] }).byteLength - 1);
  });

  it('hides document ids behind keys that depend on the salt', () => {
    const a = chunkKey(salt, 'secret/plan.md\u00000');
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(a, chunkKey(salt, 'secret/plan.md\u00000'));
    assert.notEqual(a, chunkKey(new Uint8Array(32).fill(8), 'secret/plan.md\u00000'));
  });

  it('costs about two bytes a token of code on the wire', () => {
    const code = 'for ( int i = 0 ; i < n ; i ++ ) { sum += values [ i ] ; }'.split(' ');
    const tokens = Array.from({ length: 200 }, () => code).flat();
    const bytes = encodeTextBatch({ records: [{ key: chunkKey(salt, 'f'), tokens }] }).byteLength;
    assert.ok(bytes < 1.2 * tokens.length, `${bytes} bytes for ${tokens.length} tokens`);
  });

  const bad: Array<[string, () => Uint8Array, RegExp]> = [
    ['a truncated batch', () => encodeTextBatch({ records: [{ key: chunkKey(salt, 'a'), tokens: ['x', 'y'] }] }).subarray(0, 8), /truncated|claims/],
    ['trailing bytes', () => Uint8Array.from([...encodeTextBatch({ records: [] }), 0]), /after the last record/],
    ['a table claiming more words than bytes', () => raw((e) => encoding.writeVarUint(e, 1_000_000)), /claims 1000000 words/],
    ['a record claiming more tokens than bytes', () => raw((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeUint8Array(e, new Uint8Array(16));
      encoding.writeVarUint(e, 5_000_000);
    }), /claims 5000000 tokens/],
    ['an unused table word', () => raw((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, 'unused');
      encoding.writeVarUint(e, 0);
    }), /no record uses/],
    ['a token outside the table', () => raw((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeUint8Array(e, new Uint8Array(16));
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 3);
    }), /outside the string table/],
    ['a key twice', () => raw((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      for (let i = 0; i < 2; i++) {
        encoding.writeUint8Array(e, new Uint8Array(16));
        encoding.writeVarUint(e, 0);
      }
    }), /appears twice/],
    ['too long a word', () => encodeTextBatch({ records: [{ key: chunkKey(salt, 'a'), tokens: ['x'.repeat(65)] }] }), /at most 64/],
    ['too many records', () => encodeTextBatch({ records: Array.from({ length: 101 }, (_, i) => ({ key: chunkKey(salt, String(i)), tokens: [] })) }), /more than 100/],
    ['too many tokens', () => encodeTextBatch({ records: [{ key: chunkKey(salt, 'a'), tokens: Array.from({ length: 10_001 }, () => 'x') }] }), /more than 10000 tokens/],
  ];
  for (const [name, make, reason] of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(() => decodeTextBatch(make(), LIMITS), (error: Error) => error instanceof TextBatchError && reason.test(error.message));
    });
  }
});

function raw(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}
