/**
 * Box-drawing tables for the text views (`analyze`, `verify`): the layout cli-table3 0.6 draws
 * with its default characters, one space of padding, left-aligned cells, no spans — line for line
 * (test/output/text-table.test.ts compares the two) — but in time linear in the cells.
 * cli-table3 places every cell by scanning all the cells above it (quadratic in rows: 8.6 s of
 * CPU for 2000 IKE SAs, 53 s for 8000) and measures every string with a freshly compiled ANSI
 * regex; here each cell is split and measured once.
 *
 * Cells may hold several lines ('\n'). Their text is ASCII (packet strings go through
 * `escapeText`) or espy's own single-column symbols (↔ → — –); SGR colour sequences in a cell
 * take no columns and must be closed on the line that opens them.
 */

export interface BoxTableStyle {
  /** Bold head, grey borders (the SGR codes cli-table3 takes from @colors/colors). */
  readonly color: boolean;
  /** Compact: a rule under the head only, not between body rows. */
  readonly compact: boolean;
}

const SGR = /\x1b\[[0-9;]*m/g;

/** Terminal columns of one line: code points, less SGR sequences, controls and combining marks. */
export function displayWidth(line: string): number {
  let plain = true;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return line.length;
  let n = 0;
  for (const ch of line.replace(SGR, '')) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c <= 0x36f) || c === 0x200b) continue;
    n++;
  }
  return n;
}

const grey = (s: string, on: boolean): string => (on && s ? `\x1b[90m${s}\x1b[39m` : s);
const bold = (s: string, on: boolean): string => (on && s ? `\x1b[1m${s}\x1b[22m` : s);

/** The table as lines: a top rule, the head, a rule, the rows (ruled apart unless compact), a bottom rule. */
export function renderBoxTable(head: readonly string[], rows: readonly (readonly string[])[], style: BoxTableStyle): string[] {
  let columns = head.length;
  for (const r of rows) if (r.length > columns) columns = r.length;
  const split = (row: readonly string[]): { lines: string[][]; height: number } => {
    const lines: string[][] = [];
    let height = 1;
    for (let x = 0; x < columns; x++) {
      const cell = (row[x] ?? '').split('\n');
      lines.push(cell);
      if (cell.length > height) height = cell.length;
    }
    return { lines, height };
  };
  const all = [split(head), ...rows.map(split)];
  // Column width: the widest line of any cell, plus one space each side.
  const widths = new Array<number>(columns).fill(2);
  for (const r of all) {
    for (let x = 0; x < columns; x++) {
      for (const line of r.lines[x]!) {
        const w = displayWidth(line) + 2;
        if (w > widths[x]!) widths[x] = w;
      }
    }
  }
  const color = style.color;
  const rule = (left: string, mid: string, right: string): string =>
    widths.map((w, x) => grey(`${x === 0 ? left : mid}${'─'.repeat(w)}${x === columns - 1 ? right : ''}`, color)).join('');
  const separator = rule('├', '┼', '┤');
  const out = [rule('┌', '┬', '┐')];
  all.forEach((r, y) => {
    if (y > 0 && (y === 1 || !style.compact)) out.push(separator);
    for (let l = 0; l < r.height; l++) {
      let line = '';
      for (let x = 0; x < columns; x++) {
        const text = r.lines[x]![l] ?? '';
        const content = ` ${text}${' '.repeat(widths[x]! - 2 - displayWidth(text))} `;
        line += grey('│', color) + (y === 0 ? bold(content, color) : content);
      }
      out.push(line + grey('│', color));
    }
  });
  out.push(rule('└', '┴', '┘'));
  return out;
}
