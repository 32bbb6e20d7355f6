// Text a peer chose (its name, the word it is typing) made fit to show: characters that hide or
// reorder text (bidi controls, zero-width and other invisible characters, controls, line and
// paragraph separators) become U+FFFD, so a name can neither pose as another nor reorder what is
// shown around it, in a tooltip, the light field or a terminal (escape sequences included).
// Escaping for a particular format (Markdown, HTML) is the renderer's job on top of this.

const HIDDEN = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu;

export function visibleText(text: string): string {
  return text.replace(HIDDEN, '\uFFFD');
}
