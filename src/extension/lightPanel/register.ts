// Entry point of the light panel feature: the palette command, the serializer that brings the panel
// back after a window reload, and a state query for tests.
import * as vscode from 'vscode';
import { LIGHT_PANEL_VIEW_TYPE } from '../../protocol/lightMessages';
import type { LightNetworkServices } from '../services';
import { registerCommandTable, type CommandHandlers } from '../ui/commandTable';
import { LIGHT_PANEL_COMMANDS } from './lightPanelIds';
import { LightPanelController, type LightPanelDebugState } from './lightPanel';

export const SHOW_LIGHT_NETWORK_COMMAND = LIGHT_PANEL_COMMANDS.show;
export const LIGHT_PANEL_STATE_COMMAND = LIGHT_PANEL_COMMANDS.state;

export function registerLightPanel(services: LightNetworkServices): vscode.Disposable[] {
  const controller = new LightPanelController(services);
  const commands: CommandHandlers<typeof LIGHT_PANEL_COMMANDS> = {
    [LIGHT_PANEL_COMMANDS.show]: () => controller.show(),
    [LIGHT_PANEL_COMMANDS.state]: (): LightPanelDebugState => ({ ...controller.debug }),
    [LIGHT_PANEL_COMMANDS.lightPath]: (phrase: unknown): boolean => typeof phrase === 'string' && controller.lightPath(phrase),
  };
  return [
    controller,
    ...registerCommandTable(commands),
    vscode.window.registerWebviewPanelSerializer(LIGHT_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => controller.restore(panel),
    }),
  ];
}
