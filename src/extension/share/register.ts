// The share feature's entry point, called by extension.ts with the host's services. Cheap: the
// session code and its heavy dependencies load only when a session or signaling server starts.
import type * as vscode from 'vscode';
import type { LightNetworkServices } from '../services';
import { registerShareCommands } from './shareCommands';
import { ShareController } from './shareController';
import { createShareStatusBar } from './shareStatusBar';

export function registerShare(services: LightNetworkServices): vscode.Disposable[] {
  const controller = new ShareController(services);
  // The memory file does not keep the team memory: a log saved by an earlier session rebuilds it.
  void controller.restoreSavedTeam();
  return [controller, createShareStatusBar(controller), ...registerShareCommands(services, controller)];
}
