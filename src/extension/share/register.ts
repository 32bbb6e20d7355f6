// The share feature's entry point, called by extension.ts with the host's services. Cheap: the
// session code and its heavy dependencies load only when a session or signaling server starts.
import type * as vscode from 'vscode';
import type { LightNetworkServices } from '../services';
import { registerShareCommands } from './shareCommands';
import { ShareController } from './shareController';
import { createShareStatusBar } from './shareStatusBar';

export function registerShare(services: LightNetworkServices): vscode.Disposable[] {
  const controller = new ShareController(services);
  return [controller, createShareStatusBar(controller), ...registerShareCommands(services, controller)];
}
