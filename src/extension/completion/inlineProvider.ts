// Ghost text: the memory's continuation of the text before the cursor, in every language. Tab
// accepts it, Ctrl+Right one word (VS Code's own commands). Runs only in-memory work (no I/O) and
// gives up as soon as VS Code cancels the request.
import * as vscode from 'vscode';
import { isSecretFileName } from '../../workspace/secrets';
import { completionSettings } from '../config';
import type { CompletionServices } from '../services';
import { cursorInsideWord, textBeforeCursor } from './textBeforeCursor';

export class LightInlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly core: CompletionServices) {}

  provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): vscode.InlineCompletionList | undefined {
    if (this.core.paused || token.isCancellationRequested) return undefined;
    const settings = completionSettings(document.languageId);
    if (!settings.inlineEnabled || isSecretFileName(document.fileName)) return undefined;
    if (cursorInsideWord(document, position)) return undefined;
    // While the suggest widget shows an item, VS Code shows only ghost text that extends that item
    // (in code the list is open most of the time): continue the text as if the item were accepted.
    const selected = context.selectedCompletionInfo;
    if (selected && !selected.range.end.isEqual(position)) return undefined;
    const before = selected
      ? textBeforeCursor(document, selected.range.start) + selected.text
      : textBeforeCursor(document, position);
    const result = this.core.complete(before, {
      maxWords: settings.maxWords,
      minConfidence: settings.minConfidence,
      alternatives: settings.alternatives,
      cacheKey: document.uri.toString(),
    });
    if (token.isCancellationRequested || !result.best) return undefined;
    const range = selected ? selected.range : new vscode.Range(position, position);
    const lead = selected ? selected.text : '';
    const choices = [result.best, ...result.alternatives.filter((c) => c !== result.best && c.confidence >= settings.minConfidence)];
    const items = choices.slice(0, settings.alternatives + 1).map((c) => new vscode.InlineCompletionItem(lead + c.text, range));
    return new vscode.InlineCompletionList(items);
  }
}
