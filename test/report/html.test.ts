import { describe, expect, it } from 'vitest';
import { escapeHtml, html, joinHtml, SafeHtml, styleSheet } from '../../src/report/html.js';

describe('escapeHtml', () => {
  it('turns markup characters into entities', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('shows control, bidi and invisible characters as visible escapes', () => {
    expect(escapeHtml('\x1b[31mred\x00\n\t\r\x7f\x85')).toBe('\\x1b[31mred\\x00\\n\\t\\r\\x7f\\x85');
    expect(escapeHtml('a\u202eb\u2066c\u200bd\u2028e\ufeff')).toBe('a\\u202eb\\u2066c\\u200bd\\u2028e\\ufeff');
  });

  it('leaves printable text, including non-ASCII letters, alone', () => {
    expect(escapeHtml('Zürich → 4500 ✓')).toBe('Zürich → 4500 ✓');
  });
});

describe('html template', () => {
  it('escapes every interpolated value, and only once', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const outer = html`<p title="${'"x"'}">${inner}${['<', 1, null, undefined, false]}</p>`;
    expect(outer.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;1</p>');
  });

  it('joins with an escaped separator unless it is SafeHtml', () => {
    expect(joinHtml(['a', 'b'], '<br>').value).toBe('a&lt;br&gt;b');
    expect(joinHtml(['a', 'b'], new SafeHtml('<br>')).value).toBe('a<br>b');
  });

  it('refuses a stylesheet that could close its element', () => {
    expect(() => styleSheet('a{} </style><script>')).toThrow();
    expect(styleSheet('a { font-family: "x"; }').value).toBe('a { font-family: "x"; }');
  });
});
