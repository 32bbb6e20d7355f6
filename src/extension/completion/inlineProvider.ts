// Ghost text: the memory's continuation of the text before the cursor, in every language. Tab
// accepts it, Ctrl+Right one word (VS Code's own commands). Runs only in-memory work (no I/O) and
// gives up as soon as VS Code cancels the request.
import * as vscode from 'vscode';
import { isSecretFileName } from '../../workspace/secrets';
import { completionSettings } from '../config';
import type { LightNetworkCore } from '../core/lightNetworkCore';
import { cursorInsideWord, textBeforeCursor } from './textBeforeCursor';

export class LightInlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly core: LightNetworkCore) {}

  provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): vscode.InlineCompletionList | undefined {
    if (this.core.paused || token.isCancellationRequested) return undefined;
    // While the suggest widget shows an item, the list speaks; ghost text would contradict it.
    if (context.selectedCompletionInfo) return undefined;
    const settings = completionSettings(document.languageId);
    if (!settings.inlineEnabled || isSecretFileName(document.fileName)) return undefined;
    if (cursorInsideWord(document, position)) return undefined;
    const before = textBeforeCursor(document, position);
    const result = this.core.complete(before, {
      maxWords: settings.maxWords,
      minConfidence: settings.minConfidence,
      alternatives: settings.alternatives,
      cacheKey: document.uri.toString(),
    });
    if (token.isCancellationRequested || !result.best) return undefined;
    const range = new vscode.Range(position, position);
    const choices = [result.best, ...result.alternatives.filter((c) => c !== result.best && c.confidence >= settings.minConfidence)];
    const items = choices.slice(0, settings.alternatives + 1).map((c) => new vscode.InlineCompletionItem(c.text, range));
    return new vscode.InlineCompletionList(items);
  }
}
