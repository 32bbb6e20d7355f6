// Ranked next words in the suggest list. VS Code switches its own word-based suggestions off when
// an inline provider is present, so this replaces them: the memory's predictions for this context
// first, then words of the current document that match what is typed (what users had before).
// A word the team memory holds after this context says which collaborators taught it.
import * as vscode from 'vscode';
import { tokenize } from '../../memory/tokenizer';
import { isSecretFileName } from '../../workspace/secrets';
import { completionSettings } from '../config';
import { isSafeWord } from '../../workspace/completionFilter';
import type { CompletionServices } from '../services';
import { partialWordBefore, textBeforeCursor } from './textBeforeCursor';

const MAX_ITEMS = 40;
const CONTEXT_CHARS = 1024;
const DOCUMENT_SCAN_CHARS = 500_000;
const REFRESH_MS = 2_000;
/** Collaborators named in an item's detail before "and N more". */
const MAX_NAMES = 3;
const HAS_WORD_CHAR = /[\p{L}\p{N}_$]/u;
const DOCUMENT_WORD = /[\p{L}\p{M}\p{N}_$]{2,}/gu;

export class LightSuggestProvider implements vscode.CompletionItemProvider {
  private readonly documentWords = new DocumentWords();

  constructor(private readonly core: CompletionServices) {}

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
    const team = this.core.team.live.tokenTotal > 0;
    for (const p of predictions) {
      if (p.token === partial || !HAS_WORD_CHAR.test(p.token) || seen.has(p.token)) continue;
      seen.add(p.token);
      const item = new vscode.CompletionItem(p.token, vscode.CompletionItemKind.Text);
      item.range = range;
      item.sortText = `0${String(items.length).padStart(3, '0')}`;
      item.detail = `Light Network · ${(p.probability * 100).toFixed(p.probability < 0.1 ? 1 : 0)}%${team ? this.taughtBy(context, p.token) : ''}`;
      items.push(item);
    }
    if (token.isCancellationRequested) return undefined;
    if (partial) this.addDocumentWords(document, partial, seen, range, items);
    return new vscode.CompletionList(items, true);
  }

  /**
   * Who taught the team memory `token` after the longest stretch of `context` it holds it after
   * (' · from Ada, Grace'), or '' when the team memory does not hold it or nobody is known.
   */
  private taughtBy(context: string[], token: string): string {
    const team = this.core.team.live;
    for (let k = Math.min(context.length, team.order - 1); k >= 0; k--) {
      const ngram = [...context.slice(context.length - k), token];
      if (team.count(ngram) === 0) continue;
      const names = this.core.teamContributors(ngram);
      if (names.length === 0) return '';
      const shown = names.length > MAX_NAMES ? `${names.slice(0, MAX_NAMES).join(', ')} and ${names.length - MAX_NAMES} more` : names.join(', ');
      return ` · from ${shown}`;
    }
    return '';
  }

  /** Words of this document that start with what is typed, as VS Code's word-based suggestions offered. */
  private addDocumentWords(
    document: vscode.TextDocument,
    partial: string,
    seen: Set<string>,
    range: vscode.Range,
    items: vscode.CompletionItem[],
  ): void {
    const lowerPartial = partial.toLowerCase();
    for (const word of this.documentWords.of(document)) {
      if (items.length >= MAX_ITEMS * 2) break;
      if (word === partial || seen.has(word) || !word.toLowerCase().startsWith(lowerPartial)) continue;
      if (!isSafeWord(word, this.core.forgottenWords)) continue;
      seen.add(word);
      const item = new vscode.CompletionItem(word, vscode.CompletionItemKind.Text);
      item.range = range;
      item.sortText = `1${word}`;
      item.detail = 'Light Network · word in this file';
      items.push(item);
    }
  }
}

/**
 * The distinct words of recently used documents. Rescanning on every keystroke would cost more than
 * the suggestion is worth, so a document's words are refreshed at most every couple of seconds
 * (a word typed meanwhile is the one being completed anyway).
 */
class DocumentWords {
  private readonly cache = new Map<string, { version: number; at: number; words: string[] }>();

  of(document: vscode.TextDocument): string[] {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    const now = Date.now();
    if (cached && (cached.version === document.version || now - cached.at < REFRESH_MS)) return cached.words;
    const text = document.getText();
    const words = new Set<string>();
    DOCUMENT_WORD.lastIndex = 0;
    const scanned = text.length > DOCUMENT_SCAN_CHARS ? text.slice(0, DOCUMENT_SCAN_CHARS) : text;
    for (let m = DOCUMENT_WORD.exec(scanned); m; m = DOCUMENT_WORD.exec(scanned)) words.add(m[0]);
    const entry = { version: document.version, at: now, words: [...words] };
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > 16) this.cache.delete(this.cache.keys().next().value as string);
    return entry.words;
  }
}
