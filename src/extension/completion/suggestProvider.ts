// Ranked next words in the suggest list. VS Code switches its own word-based suggestions off when
// an inline provider is present, so this replaces them: the memory's predictions for this context
// first, then words of the current document that match what is typed (what users had before).
import * as vscode from 'vscode';
import { tokenize } from '../../memory/tokenizer';
import { isSecretFileName } from '../../workspace/secrets';
import { completionSettings } from '../config';
import { isSafeWord } from '../core/completionFilter';
import type { LightNetworkCore } from '../core/lightNetworkCore';
import { partialWordBefore, textBeforeCursor } from './textBeforeCursor';

const MAX_ITEMS = 40;
const CONTEXT_CHARS = 1024;
const DOCUMENT_SCAN_CHARS = 200_000;
const HAS_WORD_CHAR = /[\p{L}\p{N}_$]/u;
const DOCUMENT_WORD = /[\p{L}\p{M}\p{N}_$]{2,}/gu;

export class LightSuggestProvider implements vscode.CompletionItemProvider {
  constructor(private readonly core: LightNetworkCore) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): vscode.CompletionList | undefined {
    if (this.core.paused || token.isCancellationRequested) return undefined;
    if (!completionSettings(document.languageId).suggestEnabled || isSecretFileName(document.fileName)) return undefined;
    const before = textBeforeCursor(document, position);
    const linePrefix = document.lineAt(position.line).text.slice(0, position.character);
    const partial = partialWordBefore(linePrefix);
    const contextText = before.slice(Math.max(0, before.length - partial.length - CONTEXT_CHARS), before.length - partial.length);
    const context = tokenize(contextText).slice(-(this.core.local.order - 1));
    const range = new vscode.Range(position.translate(0, -partial.length), position);
    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    const predictions = this.core.rankWithPrefix(context, MAX_ITEMS, partial);
    for (const p of predictions) {
      if (p.token === partial || !HAS_WORD_CHAR.test(p.token) || seen.has(p.token)) continue;
      seen.add(p.token);
      const item = new vscode.CompletionItem(p.token, vscode.CompletionItemKind.Text);
      item.range = range;
      item.sortText = `0${String(items.length).padStart(3, '0')}`;
      item.detail = `Light Network · ${(p.probability * 100).toFixed(p.probability < 0.1 ? 1 : 0)}%`;
      items.push(item);
    }
    if (token.isCancellationRequested) return undefined;
    if (partial) this.addDocumentWords(document, partial, seen, range, items);
    return new vscode.CompletionList(items, true);
  }

  /** Words of this document that start with what is typed, as VS Code's word-based suggestions offered. */
  private addDocumentWords(
    document: vscode.TextDocument,
    partial: string,
    seen: Set<string>,
    range: vscode.Range,
    items: vscode.CompletionItem[],
  ): void {
    const text = document.getText();
    const offset = document.offsetAt(range.start);
    const from = Math.max(0, offset - DOCUMENT_SCAN_CHARS / 2);
    const window = text.slice(from, from + DOCUMENT_SCAN_CHARS);
    const typedStart = offset - from;
    const lowerPartial = partial.toLowerCase();
    DOCUMENT_WORD.lastIndex = 0;
    for (let m = DOCUMENT_WORD.exec(window); m && items.length < MAX_ITEMS * 2; m = DOCUMENT_WORD.exec(window)) {
      const word = m[0];
      if (m.index === typedStart || word === partial || seen.has(word)) continue;
      if (!word.toLowerCase().startsWith(lowerPartial) || !isSafeWord(word, this.core.forgottenWords)) continue;
      seen.add(word);
      const item = new vscode.CompletionItem(word, vscode.CompletionItemKind.Text);
      item.range = range;
      item.sortText = `1${word}`;
      item.detail = 'Light Network · word in this file';
      items.push(item);
    }
  }
}
