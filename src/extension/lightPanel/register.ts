// Entry point of the light panel feature: the palette command, the serializer that brings the panel
// back after a window reload, and a state query for tests.
import * as vscode from 'vscode';
import { LIGHT_PANEL_VIEW_TYPE } from '../../protocol/lightMessages';
import type { LightNetworkServices } from '../services';
import { LightPanelController, type LightPanelDebugState } from './lightPanel';

export const SHOW_LIGHT_NETWORK_COMMAND = 'lightNetwork.showLightNetwork';
/** Not in the palette: lets in-host tests see what the webview last reported. */
export const LIGHT_PANEL_STATE_COMMAND = 'lightNetwork.lightField.state';

export function registerLightPanel(services: LightNetworkServices): vscode.Disposable[] {
  const controller = new LightPanelController(services);
  return [
    controller,
    vscode.commands.registerCommand(SHOW_LIGHT_NETWORK_COMMAND, () => controller.show()),
    vscode.commands.registerCommand(LIGHT_PANEL_STATE_COMMAND, (): LightPanelDebugState => ({ ...controller.debug })),
    vscode.window.registerWebviewPanelSerializer(LIGHT_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => controller.restore(panel),
    }),
  ];
}
