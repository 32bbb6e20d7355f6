// Webview entry: connects the light field to VS Code's webview API (messages and saved state).
import type { HostToWebview, LightPanelState, WebviewToHost } from '../protocol/lightMessages';
import { LightFieldApp } from './lightFieldApp';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): LightPanelState | undefined;
  setState(state: LightPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('light-root');
if (!root) throw new Error('The light panel page has no #light-root element');
const vscode = acquireVsCodeApi();
const app = new LightFieldApp(
  root,
  { post: (message) => vscode.postMessage(message), saveState: (state) => vscode.setState(state) },
  { workerUrl: root.dataset.worker ?? '', state: vscode.getState() },
);
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => app.receive(event.data));
window.addEventListener('pagehide', () => app.dispose(), { once: true });
vscode.postMessage({ type: 'ready' });
