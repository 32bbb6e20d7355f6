// Ask the memory in the editor (issue 11): the language-model tools, the Ask the Memory command and,
// where VS Code offers it, the MCP server definition of the workspace's memory.
import type * as vscode from 'vscode';
import type { LightNetworkCore } from '../core/lightNetworkCore';
import { registerAskCommand } from './askCommand';
import { registerAskTools } from './askTools';
import { registerMcpProvider } from './mcpProvider';
import { WorkspaceAsk } from './workspaceAsk';

export function registerAsk(core: LightNetworkCore): vscode.Disposable[] {
  const ask = new WorkspaceAsk(core);
  const disposables = [registerAskCommand(ask), ...registerAskTools(ask)];
  try {
    disposables.push(...registerMcpProvider(core.context, core.store.file, core.log));
  } catch (error) {
    core.log.warn(`Registering the MCP server definition failed: ${error}`);
  }
  return disposables;
}
