// Where the running VS Code offers MCP server definition providers (stable from 1.101), the
// workspace's memory is offered as an MCP server too: `light-network mcp` (the CLI this extension
// ships, dist/cli.js) over the workspace's saved memory file. VS Code 1.100 has the function only
// as a proposed API (calling it throws for extensions that did not enable the proposal), so this is
// feature-detected and skipped there, with a line in the log saying so.
//
// `light-network mcp --memory` reads the extension's saved workspace memory (its local memory, as
// last saved): complete and neighbors answer from it; find needs the origins record `train`
// writes, which the extension does not keep, so there it says to train the folder.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const MCP_PROVIDER_ID = 'lightNetwork.memory';

interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: { provideMcpServerDefinitions(): unknown[] }): vscode.Disposable;
}
type StdioDefinition = new (label: string, command: string, args?: string[], env?: Record<string, string>, version?: string) => unknown;

export function registerMcpProvider(context: vscode.ExtensionContext, memoryFile: string, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const lm = vscode.lm as unknown as Partial<McpApi>;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinition }).McpStdioServerDefinition;
  if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
    log.info(`MCP server definitions are not offered by this VS Code (${vscode.version}): light-network mcp is not registered (configure it by hand, see the README)`);
    return [];
  }
  const cli = path.join(context.extensionUri.fsPath, 'dist', 'cli.js');
  try {
    return [
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        provideMcpServerDefinitions: () => [
          // The extension host's own runtime runs the CLI (Electron's binary acts as Node with this variable).
          new Definition('Light Network memory', process.execPath, [cli, 'mcp', '--memory', memoryFile], { ELECTRON_RUN_AS_NODE: '1' }),
        ],
      }),
    ];
  } catch (error) {
    log.info(`MCP server definitions cannot be registered in this VS Code (${vscode.version}): ${error instanceof Error ? error.message : String(error)}; light-network mcp is not registered`);
    return [];
  }
}
