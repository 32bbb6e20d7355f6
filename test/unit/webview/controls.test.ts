import assert from 'node:assert/strict';
import type { WebviewToHost } from '../../../src/protocol/lightMessages';
import { Camera } from '../../../src/webview/camera';
import { FieldControls } from '../../../src/webview/controls';
import { Framing } from '../../../src/webview/framing';
import { Picker } from '../../../src/webview/picking';
import { Projection } from '../../../src/webview/projection';
import { FieldViewModel } from '../../../src/webview/viewModel';
import { field } from './fields';

/** The user's intents on a field of three words, on a 200 x 100 canvas; what reaches the host is kept. */
function setUp() {
  let now = 0;
  const model = new FieldViewModel({ now: () => now, systemReducesMotion: () => false });
  const camera = new Camera();
  const size = () => ({ width: 200, height: 100 });
  const sent: WebviewToHost[] = [];
  let saved = 0;
  let status = '';
  const framing = new Framing(camera, model, size, () => saved++, true);
  const projection = new Projection(camera, model, size);
  const picker = new Picker(model, camera, projection);
  const controls = new FieldControls({
    model,
    camera,
    framing,
    picker,
    chrome: { setSearchStatus: (text) => (status = text) },
    size,
    post: (message) => sent.push(message),
  });
  model.setField(field(['lamp', 'lamplighter', 'wick'], [[0, 1, 0.5], [1, 2, 0.5]]), false);
  return { model, camera, controls, projection, sent, saved: () => saved, status: () => status, advance: (seconds: number) => (now += seconds) };
}

describe('what the user’s intents do to the light field', () => {
  it('search selects the word, centres it close up, saves the view and asks the host to ignite it', () => {
    const { model, camera, controls, sent, saved } = setUp();
    const zoom = Math.max(camera.state.zoom, 40);
    controls.search('LAMPL');
    assert.equal(model.wordAt(model.selected), 'lamplighter');
    const [x, y] = model.positionOf(model.selected);
    assert.deepEqual(camera.state, { x, y, zoom });
    assert.equal(saved(), 1);
    assert.deepEqual(sent, [{ type: 'ignite', word: 'lamplighter', origin: 'search' }]);
  });

  it('a search that finds nothing says so and changes nothing', () => {
    const { model, controls, sent, status } = setUp();
    controls.search('zeppelin');
    assert.equal(model.selected, -1);
    assert.deepEqual(sent, []);
    assert.match(status(), /“zeppelin” is not among the words on show/);
  });

  it('clicking a neuron selects it and asks the host to ignite it; forgetting it asks the host too', () => {
    const { model, controls, projection, sent } = setUp();
    const [sx, sy] = projection.screenOf(2);
    controls.clickAt(sx, sy);
    assert.equal(model.selected, 2);
    controls.forgetSelected();
    assert.deepEqual(sent, [
      { type: 'ignite', word: 'wick', origin: 'click' },
      { type: 'forget', word: 'wick' },
    ]);
    controls.deselect();
    controls.forgetSelected();
    assert.equal(sent.length, 2, 'nothing to forget without a selection');
  });

  it('hovering picks the neuron under the pointer, and nothing far from any', () => {
    const { model, controls, projection } = setUp();
    const [sx, sy] = projection.screenOf(1);
    controls.hoverAt(sx + 2, sy - 2);
    assert.equal(model.hovered, 1);
    controls.hoverAt(-500, -500);
    assert.equal(model.hovered, -1);
  });

  it('keeps the whole field framed until the user moves the view, and again after fitAll', () => {
    const { model, camera, controls } = setUp();
    const framedOn = (): Camera['state'] => {
      const expected = new Camera();
      expected.fit(model.positions.to, 200, 100);
      return expected.state;
    };
    model.setField(field(['lamp', 'lamplighter', 'wick', 'oil'], [[0, 3, 0.5]], 2), false);
    assert.deepEqual(camera.state, framedOn(), 'a grown field is framed');
    controls.panBy(30, 0);
    controls.placedView();
    const placed = { ...camera.state };
    model.setField(field(['lamp', 'lamplighter', 'wick', 'oil', 'flame'], [[4, 3, 0.5]], 3), false);
    assert.deepEqual(camera.state, placed, 'the view stays where the user put it');
    controls.fitAll();
    assert.deepEqual(camera.state, framedOn());
  });

  it('typing a phrase lights its path, frames its words and says which were skipped', () => {
    const { model, camera, controls, sent, status, saved } = setUp();
    controls.searchTyped('lamp zeppelin wick');
    assert.deepEqual(model.path?.steps, [0, 2]);
    assert.match(status(), /Path: 2 of 3 words · skipped “zeppelin”, not on show/);
    assert.deepEqual(sent, [], 'a path needs nothing from the host');
    assert.equal(saved(), 1, 'the framed view is saved');
    const [ax, ay] = model.positionOf(0);
    const [bx, by] = model.positionOf(2);
    assert.ok(Math.abs(camera.state.x - (ax + bx) / 2) < 1e-3 && Math.abs(camera.state.y - (ay + by) / 2) < 1e-3, 'centred on the path');
    for (const i of [0, 2]) {
      const [sx, sy] = camera.toScreen(...model.positionOf(i), 200, 100);
      assert.ok(sx >= 0 && sx <= 200 && sy >= 0 && sy <= 100, `word ${i} is in frame at ${sx}, ${sy}`);
    }
  });

  it('keeps the path in frame as the layout settles, until the user moves the view', () => {
    const { model, camera, controls } = setUp();
    controls.searchTyped('lamp wick');
    const shown = model.field!;
    model.moveTo(shown, new Float32Array([100, 100, 0, 0, 104, 100]));
    assert.deepEqual([camera.state.x, camera.state.y], [102, 100]);
    controls.panBy(20, 0);
    controls.placedView();
    const placed = { ...camera.state };
    model.moveTo(shown, new Float32Array([0, 0, 5, 5, 10, 10]));
    assert.deepEqual(camera.state, placed);
  });

  it('a phrase with no word on show says so and lights nothing', () => {
    const { model, controls, status } = setUp();
    controls.search('zeppelin marmalade');
    assert.deepEqual(model.path?.steps, []);
    assert.equal(model.light.energy.some((e) => e > 0), false);
    assert.match(status(), /None of these words is on show: “zeppelin”, “marmalade”/);
  });

  it('Escape, clearing the box or going back to one word ends the path; one word still waits for Enter', () => {
    const { model, controls, sent, status } = setUp();
    controls.searchTyped('lamp wick');
    controls.endPath();
    assert.equal(model.path, undefined);
    assert.equal(status(), '');
    controls.searchTyped('lamp wick');
    controls.searchTyped('');
    assert.equal(model.path, undefined);
    controls.searchTyped('lamp wick');
    controls.searchTyped('lamp');
    assert.equal(model.path, undefined);
    assert.equal(model.selected, -1, 'typing one word does not fly to it');
    controls.search('lamp');
    assert.deepEqual(sent, [{ type: 'ignite', word: 'lamp', origin: 'search' }]);
    controls.searchTyped('lamp-wick');
    assert.equal(model.path, undefined, 'one word without spaces is a search, even where the memory cuts it');
  });

  it('Enter on a phrase lights its path again; typing on without changing its words does not', () => {
    const { model, controls, advance } = setUp();
    controls.searchTyped('lamp wick');
    advance(5);
    controls.searchTyped('lamp wick ');
    assert.equal(model.path?.litAt, 0);
    controls.search('lamp wick');
    assert.equal(model.path?.litAt, 5);
    assert.equal(model.light.igniteAt[0], 5, 'the light enters again');
  });
});
