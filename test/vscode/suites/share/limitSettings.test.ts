// Issue 10 in a real VS Code: the share and signaling caps a team may tune are VS Code settings,
// read with hard bounds (a setting cannot lift a cap past its ceiling), and the signaling server
// that Start Signaling Server runs applies its own.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import { shareSettings } from '../../../../src/extension/share/shareSettings';
import { extensionApi } from '../extension/helpers';

const MiB = 1024 * 1024;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Opens a WebSocket; resolves with it once open, or with the HTTP status that refused it. */
function connect(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('share: limits as settings, with hard ceilings (issue 10)', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('lightNetwork.share');
  const touched = ['maxLogMB', 'maxTeamTokens', 'peerRequestsPerMinute', 'signalingServer.port', 'signalingServer.maxConnectionsPerAddress'];

  before(async () => {
    await extensionApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('lightNetwork.stopSignalingServer');
    for (const name of touched) await config().update(name, undefined, vscode.ConfigurationTarget.Global);
  });

  it('reads the share caps from settings, clamped to their ceilings', async () => {
    assert.deepEqual(shareSettings().limitNotes, [], 'the defaults need no clamping');
    await config().update('maxLogMB', 100_000, vscode.ConfigurationTarget.Global);
    await config().update('maxTeamTokens', 5000, vscode.ConfigurationTarget.Global);
    await config().update('peerRequestsPerMinute', 1e9, vscode.ConfigurationTarget.Global);
    const { limits, limitNotes } = shareSettings();
    assert.equal(limits.maxLogBytes, 256 * MiB, 'the log cap stops at its ceiling');
    assert.equal(limits.maxMessageBytes, 256 * MiB, 'and a first sync of that log still fits a message');
    assert.equal(limits.maxTeamTokens, 5000);
    assert.equal(limits.peerRequestsPerMinute, 60);
    assert.ok(limitNotes.some((note) => /^maxLogMB: 100000 is outside 1\.\.256; 256 is used$/.test(note)), limitNotes.join('\n'));
  });

  it('runs the signaling server with the connection cap the settings give', async () => {
    const port = await freePort();
    await config().update('signalingServer.port', port, vscode.ConfigurationTarget.Global);
    await config().update('signalingServer.maxConnectionsPerAddress', 1, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('lightNetwork.startSignalingServer');
    const url = `ws://127.0.0.1:${port}`;
    const first = await connect(url);
    assert.ok(first instanceof WebSocket, 'the first connection is admitted');
    try {
      assert.equal(await connect(url), 429, 'a second one from the same address is refused');
    } finally {
      first.close();
    }
  });
});
