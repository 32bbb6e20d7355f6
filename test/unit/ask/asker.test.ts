// The questions over a memory that holds a secret-looking word (learned without blanking, as a
// memory made by another tool or an older version could): complete and neighbors never show it,
// and show the ordinary words around it as before.
import { strict as assert } from 'node:assert';
import { Asker } from '../../../src/ask/asker';
import { IndexedAskable } from '../../../src/ask/indexedAskable';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { SECRET } from './fixtures';

function memoryWithSecret(): IndexedAskable {
  const builder = new IndexedMemoryBuilder();
  for (let i = 0; i < 6; i++) {
    builder.addDocument(`config${i}.ts`, `const harbourToken = ${SECRET};\nconst harbourName = lantern;\nconst harbourToken = ${SECRET};\n`);
  }
  builder.addDocument('plain.ts', 'const harbourToken = lantern;\n');
  return new IndexedAskable(builder.build(), undefined);
}

describe('ask/Asker over a memory holding a secret', () => {
  const asker = new Asker({ local: memoryWithSecret() });

  it('never completes with it, though it is by far the most frequent continuation', () => {
    const { data, text } = asker.complete('const harbourToken = ');
    assert.ok(!text.includes(SECRET));
    assert.ok(!JSON.stringify(data).includes(SECRET));
    assert.ok(data.alternatives.some((a) => a.tokens[0] === 'lantern'), 'the ordinary continuation is still offered');
  });

  it('never lists it as a neighbour, and still lists the other words', () => {
    const { data, text } = asker.neighbors('=');
    assert.ok(!text.includes(SECRET));
    assert.ok(!data.following.some((n) => n.word === SECRET));
    assert.ok(data.following.some((n) => n.word === 'lantern'));
    assert.ok(!asker.neighbors(';').data.preceding.some((n) => n.word === SECRET));
  });
});
