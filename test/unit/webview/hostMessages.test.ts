import assert from 'node:assert/strict';
import { packField } from '../../../src/lightfield/packing';
import { dispatchHostMessage, type HostMessageHandler } from '../../../src/webview/hostMessages';
import { field } from './fields';

/** A handler that records which method got what. */
function recorder(): { calls: [string, unknown[]][]; handler: HostMessageHandler } {
  const calls: [string, unknown[]][] = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, args]);
  const handler: HostMessageHandler = {
    settings: record('settings'),
    field: record('field'),
    ignite: record('ignite'),
    peers: record('peers'),
    lightPath: record('lightPath'),
    description: record('description'),
    error: record('error'),
  };
  return { calls, handler };
}

describe('host messages in the webview', () => {
  it('unpacks a field and says whether it grew (training and team growth do)', () => {
    const { calls, handler } = recorder();
    const bytes = packField(field(['a', 'b'], [[0, 1, 0.5]], 7));
    dispatchHostMessage({ type: 'field', bytes, source: 'training', changedAt: 42 }, handler);
    dispatchHostMessage({ type: 'field', bytes, source: 'edit', changedAt: 43 }, handler);
    assert.deepEqual(calls.map(([name, [f, at, grew]]) => [name, (f as { version: number }).version, at, grew]), [
      ['field', 7, 42, true],
      ['field', 7, 43, false],
    ]);
  });

  it('hands every other message to its own method', () => {
    const { calls, handler } = recorder();
    dispatchHostMessage({ type: 'ignite', word: 'a', predictions: [], origin: 'typing' }, handler);
    dispatchHostMessage({ type: 'description', requestId: 1, word: 'a', count: 3, successors: [] }, handler);
    dispatchHostMessage({ type: 'description', requestId: 2, word: 'b', count: 2, successors: [], collaborators: ['Ada', 'Grace'] }, handler);
    dispatchHostMessage({ type: 'error', message: 'no' }, handler);
    dispatchHostMessage({ type: 'lightPath', phrase: 'the keeper' }, handler);
    assert.deepEqual(calls, [
      ['ignite', ['a', []]],
      ['description', ['a', { count: 3, successors: [] }]],
      ['description', ['b', { count: 2, successors: [], collaborators: ['Ada', 'Grace'] }]],
      ['error', ['no']],
      ['lightPath', ['the keeper']],
    ]);
  });
});
