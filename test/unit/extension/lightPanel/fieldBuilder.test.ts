import assert from 'node:assert/strict';
import { FieldBuilder } from '../../../../src/extension/lightPanel/fieldBuilder';
import { unpackField } from '../../../../src/lightfield/packing';
import { RecencyClock } from '../../../../src/lightfield/recency';
import { Memory } from '../../../../src/memory/memory';
import { Predictor } from '../../../../src/memory/predictor';

/** A real memory and predictor, with the words whose successors were asked for counted. */
function setup(text: string) {
  const local = new Memory();
  const team = new Memory();
  local.setDocument('a.md', text);
  const predictor = new Predictor([local, team]);
  const asked: string[] = [];
  const sources = {
    local,
    team,
    predictNext: (context: string[], k: number) => {
      asked.push(context[context.length - 1]);
      return predictor.predictNext(context, k);
    },
  };
  return { local, team, asked, builder: new FieldBuilder(sources, new RecencyClock()) };
}

const story = 'the keeper trims the wick . the keeper lights the lamp . the lamp burns all night .\n'.repeat(5);

describe('field builder (host snapshots)', () => {
  it('draws the most frequent words with rays to their likely successors', async () => {
    const { builder } = setup(story);
    const built = await builder.build(8);
    assert.ok(built);
    const field = unpackField(built.bytes);
    assert.equal(field.words[0], 'the');
    const rays = Array.from(field.from, (f, r) => `${field.words[f]}>${field.words[field.to[r]]}`);
    assert.ok(rays.includes('the>keeper') || rays.includes('the>lamp'), rays.join(' '));
    assert.ok(rays.includes('keeper>trims') || rays.includes('keeper>lights'), rays.join(' '));
  });

  it('asks for each word’s successors once, and again only for words a change touched', async () => {
    const { local, builder, asked } = setup(story);
    await builder.build(20);
    const first = asked.length;
    assert.ok(first > 0);
    await builder.build(20);
    assert.equal(asked.length, first, 'a second build uses the cache');
    const delta = local.setDocument('b.md', 'the keeper sleeps', { collectDelta: true });
    builder.invalidate(delta);
    asked.length = 0;
    await builder.build(20);
    // 'the' and 'keeper' gained bigrams; 'sleeps' is a new neuron.
    assert.deepEqual(asked.sort(), ['keeper', 'sleeps', 'the']);
  });

  it('refreshes cached successors after a team change', async () => {
    const { team, builder, asked } = setup(story);
    await builder.build(20);
    team.setDocument('peer.md', 'the keeper sings . the keeper sings .');
    builder.markStale();
    asked.length = 0;
    const built = await builder.build(20);
    assert.ok(asked.includes('keeper'));
    const field = unpackField(built!.bytes);
    assert.ok(field.words.includes('sings'), 'the team’s words join the field');
  });

  it('shows the neurons first when a cold build is long, then the finished field', async () => {
    const words = Array.from({ length: 2600 }, (_, i) => `w${i}`);
    const { builder } = setup(`${words.join(' ')}\n`);
    const partials: number[] = [];
    const built = await builder.build(3000, undefined, (partial) => partials.push(partial.field.from.length));
    assert.ok(partials.length >= 1, 'a first snapshot with the neurons');
    assert.equal(partials[0], 0, 'before any successor was found there are no rays');
    assert.ok(built!.field.from.length > 0);
    assert.equal(built!.field.words.length, 2600);
  });

  it('can be cancelled between slices', async () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i}`);
    const { builder } = setup(`${words.join(' ')}\n`);
    assert.equal(await builder.build(3000, () => true), undefined);
  });
});
