// The share status bar's tooltip as Markdown (kept free of vscode so it can be tested as text).
// The tooltip allows HTML (for the colour dots), so every piece of text in it, peer names and
// words above all, is escaped for Markdown and HTML alike.
import type { PeerPresence } from '../../share/presence';

const COLOR = /^#[0-9a-fA-F]{6}$/;

export function shareTooltipMarkdown(label: string, peers: readonly PeerPresence[]): string {
  let markdown = `**${markdownText(label)}**\n\n`;
  for (const peer of peers) {
    const color = COLOR.test(peer.color) ? peer.color : 'inherit';
    const word = peer.word ? ` — *${markdownText(peer.word)}*` : '';
    markdown += `- <span style="color:${color};">●</span> ${markdownText(peer.name)}${word}\n`;
  }
  return `${markdown}\nClick to copy the invite code.`;
}

/**
 * Plain text as Markdown that shows exactly it: every ASCII punctuation mark becomes a numeric
 * character reference, which CommonMark never reads as markup (emphasis, links, autolinks, HTML
 * tags or entities), and line breaks become spaces.
 */
export function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
