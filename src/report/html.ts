/**
 * HTML building for the report, safe by construction: every value interpolated into the `html`
 * template goes through `escapeHtml`, unless it is itself the output of `html` (SafeHtml). The
 * template's literal parts are espy's own markup; nothing else reaches the page unescaped.
 */

/** Markup that is already safe (built by `html`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * C0 and C1 controls, DEL, the line and paragraph separators, bidirectional overrides and
 * isolates (they can make text read differently from what it is), zero-width and BOM characters.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** Any character `escapeHtml` changes (INVISIBLE or markup); not global, so `test` keeps no state. */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff&<>"']/;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text → HTML text or attribute value (always used inside double quotes). Markup characters
 * become entities; control and invisible characters become visible C-style escapes (`\x1b`), so
 * an escape sequence or a bidi override from a packet shows as what it is.
 */
export function escapeHtml(text: string): string {
  // Most values (numbers, addresses, SPIs) need nothing: one test instead of two replacements.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(INVISIBLE, visibleEscape).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<td>${text}</td>\`` escapes `text`; nested `html` results pass through. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Joins fragments with a separator (itself escaped unless SafeHtml). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}

/**
 * espy's own constant stylesheet for a <style> element. Style content is raw text (entities are
 * not decoded there), so it is not escaped; it must not contain "</", which could end the element.
 */
export function styleSheet(css: string): SafeHtml {
  if (css.includes('</')) throw new Error('a stylesheet must not contain "</"');
  return new SafeHtml(css);
}
