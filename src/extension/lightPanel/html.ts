// The webview's page: a strict Content-Security-Policy with a fresh nonce per load. regl compiles
// its draw calls with Function(), hence 'unsafe-eval'; the layout worker is started from a blob:
// made of the worker bundle fetched from the extension's own resources.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function lightPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const worker = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'layoutWorker.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'light', 'light.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}' 'unsafe-eval'`,
    `connect-src ${webview.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Light Network</title>
</head>
<body>
<div id="light-root" data-worker="${worker}"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
