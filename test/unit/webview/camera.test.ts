import assert from 'node:assert/strict';
import { Camera, MAX_ZOOM, MIN_ZOOM } from '../../../src/webview/camera';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

describe('camera (pan and zoom maths)', () => {
  it('maps screen to world and back, with world y pointing up', () => {
    const camera = new Camera({ x: 5, y: -2, zoom: 4 });
    const [wx, wy] = camera.toWorld(130, 40, 200, 100);
    assert.ok(close(wx, 5 + 30 / 4) && close(wy, -2 + 10 / 4));
    const [sx, sy] = camera.toScreen(wx, wy, 200, 100);
    assert.ok(close(sx, 130) && close(sy, 40));
  });

  it('keeps the world point under the pointer fixed while zooming, within limits', () => {
    const camera = new Camera({ x: 0, y: 0, zoom: 10 });
    const before = camera.toWorld(30, 70, 200, 100);
    camera.zoomAt(2.5, 30, 70, 200, 100);
    const after = camera.toWorld(30, 70, 200, 100);
    assert.ok(close(before[0], after[0]) && close(before[1], after[1]));
    camera.zoomAt(1e9, 0, 0, 200, 100);
    assert.equal(camera.state.zoom, MAX_ZOOM);
    camera.zoomAt(1e-12, 0, 0, 200, 100);
    assert.equal(camera.state.zoom, MIN_ZOOM);
  });

  it('pans with the pointer: dragging right moves the world right', () => {
    const camera = new Camera({ x: 0, y: 0, zoom: 2 });
    camera.panByPixels(20, 10);
    assert.deepEqual(camera.state, { x: -10, y: 5, zoom: 2 });
  });

  it('frames the field, ignoring a few stray words far out', () => {
    const points: number[] = [];
    for (let i = 0; i < 200; i++) points.push((i % 20) - 10, Math.floor(i / 20) - 5);
    points.push(1000, 1000, -1000, 800);
    const camera = new Camera();
    camera.fit(Float32Array.from(points), 400, 200);
    assert.ok(Math.abs(camera.state.x) < 2 && Math.abs(camera.state.y) < 2, JSON.stringify(camera.state));
    assert.ok(camera.state.zoom > 10, `zoomed to the crowd, not the strays: ${camera.state.zoom}`);
  });
});
