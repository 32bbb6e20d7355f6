// Webview entry: connects the light field to VS Code's webview API (messages and saved state).
import type { HostToWebview, LightPanelState, WebviewToHost } from '../protocol/lightMessages';
import { FieldView } from './fieldView';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): LightPanelState | undefined;
  setState(state: LightPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('light-root');
if (!root) throw new Error('The light panel page has no #light-root element');
const vscode = acquireVsCodeApi();
const view = new FieldView(
  root,
  { post: (message) => vscode.postMessage(message), saveState: (state) => vscode.setState(state) },
  root.dataset.worker ?? '',
  vscode.getState(),
);
(window as unknown as { lightField: unknown }).lightField = view.debugApi();
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  try {
    view.receive(event.data);
  } catch (error) {
    view.chrome.showMessage(`The light field could not show an update: ${String(error)}`);
  }
});
vscode.postMessage({ type: 'ready' });
