import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { markdownText, shareTooltipMarkdown } from '../../../src/extension/share/shareTooltip';
import { visibleText } from '../../../src/share/displayText';
import type { PeerPresence } from '../../../src/share/presence';

// A CommonMark renderer (markdown-it, here through vsce) with HTML on and links found in text, as
// the status bar's tooltip allows. It has no type declarations installed: typed by hand.
type Renderer = new (options: { html: boolean; linkify: boolean }) => { render(markdown: string): string };
const MarkdownIt = createRequire(__filename)('markdown-it') as Renderer;
const render = (markdown: string): string => new MarkdownIt({ html: true, linkify: true }).render(markdown);

const peer = (name: string, word = '', color = '#40b0e0'): PeerPresence => ({ id: '1', name, color, word });

describe('peer names are escaped wherever they are shown', () => {
  const hostile = [
    '<img src=https://evil.example/x.png>',
    '<a href="command:workbench.action.quit">Ada</a>',
    '[Ada](https://evil.example)',
    '**Ada** _x_ `code` # heading',
    'https://evil.example/path',
    '&lt;b&gt; &amp;',
    '\\<b>',
  ];

  it('shows a hostile name in the tooltip as exactly its text: no tag, link, emphasis or entity', () => {
    for (const name of hostile) {
      const html = render(shareTooltipMarkdown(`Light Network session with ${name}`, [peer(name, name)]));
      const tags = html.match(/<[a-z]+/g) ?? [];
      assert.deepEqual([...new Set(tags)].sort(), ['<li', '<p', '<span', '<strong', '<ul', '<em'].sort(), `${name} -> ${html}`);
      assert.equal(tags.filter((t) => t === '<span').length, 1, name); // only our colour dot
      // The name reads back as itself (as escaped HTML text), in the label, the list and the word.
      const asHtmlText = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      assert.equal(html.split(asHtmlText).length - 1, 3, `${name} -> ${html}`);
    }
  });

  it('never puts anything but a #rrggbb colour into the style attribute', () => {
    const html = render(shareTooltipMarkdown('x', [peer('Ada', '', 'red;background:url(https://evil.example)')]));
    assert.match(html, /<span style="color:inherit;">/);
    assert.ok(!html.includes('evil'));
  });

  it('escapes every ASCII punctuation mark and keeps letters, digits, spaces and other scripts', () => {
    assert.equal(markdownText('Ada Lovelace 1815 Ünïcödé 名前'), 'Ada Lovelace 1815 Ünïcödé 名前');
    assert.equal(markdownText('a*b\nc'), 'a&#42;b c');
    for (const ch of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') assert.equal(markdownText(ch), `&#${ch.charCodeAt(0)};`);
  });

  it('makes bidi controls, zero-width, control and escape characters visible instead of acting', () => {
    assert.equal(visibleText('Ada Lovelace'), 'Ada Lovelace');
    assert.equal(visibleText('Ada\u202Eecalevol'), 'Ada\uFFFDecalevol'); // right-to-left override
    assert.equal(visibleText('A\u200Bd\u2060a\uFEFF'), 'A\uFFFDd\uFFFDa\uFFFD'); // zero-width
    assert.equal(visibleText('\u001b[2J\u009b31m'), '\uFFFD[2J\uFFFD31m'); // terminal escapes (C0 and C1)
    assert.equal(visibleText('line\u2028break'), 'line\uFFFDbreak');
  });
});
