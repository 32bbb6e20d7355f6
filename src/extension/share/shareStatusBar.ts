// The share status bar item: shown during a session, with who is in it; a click copies the invite.
import * as vscode from 'vscode';
import { SHARE_COMMANDS } from './shareCommandIds';
import type { ShareController, ShareState } from './shareController';
import { shareTooltipMarkdown } from './shareTooltip';

export function createShareStatusBar(controller: ShareController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('lightNetwork.share', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Light Network Share';
  const render = (state: ShareState): void => {
    if (state.kind === 'idle') return item.hide();
    if (state.kind === 'starting') {
      item.text = '$(loading~spin) Sharing';
      item.accessibilityInformation = { label: 'Light Network session starting' };
      item.command = undefined;
      return item.show();
    }
    const offline = state.signaling.length > 0 && state.signaling.every((server) => !server.connected);
    const names = state.peers.map((peer) => peer.name);
    item.text = `${offline ? '$(debug-disconnect)' : '$(live-share)'} ${names.length}`;
    const who = names.length > 0 ? `with ${names.join(', ')}` : 'waiting for collaborators';
    const label = `Light Network session ${who}${offline ? ', signaling server unreachable, retrying' : ''}`;
    item.accessibilityInformation = { label, role: 'button' };
    const tooltip = new vscode.MarkdownString(shareTooltipMarkdown(label, state.peers));
    tooltip.supportHtml = true;
    item.tooltip = tooltip;
    item.command = SHARE_COMMANDS.copyInvite;
    item.show();
  };
  render(controller.state);
  const subscription = controller.onDidChangeState(render);
  return vscode.Disposable.from(item, subscription);
}
