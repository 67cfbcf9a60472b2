/**
 * src/output/text-table.ts draws what cli-table3 drew before (the text views must not change for
 * small captures), in linear time.
 */
import { describe, expect, it } from 'vitest';
import Table from 'cli-table3';
import { displayWidth, renderBoxTable } from '../../src/output/text-table.js';
import { createRng } from '../../scripts/fuzz-engine.mjs';

const stripSgr = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

function cliTable3(head: string[], rows: string[][], compact: boolean): string[] {
  const t = new Table({ head, style: { head: [], border: [], compact }, wordWrap: true });
  for (const r of rows) t.push(r);
  return t.toString().split('\n');
}

const IKE_HEAD = ['#', 'IKE', 'Initiator ↔ Responder', 'SPIs (i/r)', 'NAT-T', 'NAT at', 'Floated at', 'ESP SPIs', 'Keep-\nalives', 'Msgs'];

describe('renderBoxTable', () => {
  it('draws an IKE SA table exactly as cli-table3 did (multi-line cells, arrows, dashes)', () => {
    const rows = [
      ['1', 'v2', '192.0.2.1:500 (?)\n↔ 198.51.100.2:4500', '0102030405060708\n0000000000000000', 'RFC 7296', 'initiator (capture outside its NAT)\nresponder (capture between two NATs)', 'frame 3\n2024-01-01T00:00:00Z', 'c0ffee01\nc0ffee02', '12', '6\n(2 retx)'],
      ['2', 'v1', '[2001:db8::1]:500\n↔ [2001:db8::2]:500', 'aa\nbb', '—', 'none', '—', '—', '0', '4'],
    ];
    for (const compact of [false, true]) expect(renderBoxTable(IKE_HEAD, rows, { color: false, compact })).toEqual(cliTable3(IKE_HEAD, rows, compact));
  });

  it('matches cli-table3 on random tables (empty cells, ragged line counts, 0-40 rows)', () => {
    const rng = createRng(7);
    const words = ['', 'a', 'frame 12', '—', '→ 10.0.0.1:4500', 'x'.repeat(30), 'NOT-SEEN !', '3947 §4', '(?)', 'Keep-'];
    const cell = () => Array.from({ length: 1 + rng.int(3) }, () => rng.pick(words)).join('\n');
    for (let i = 0; i < 60; i++) {
      const columns = 1 + rng.int(7);
      const head = Array.from({ length: columns }, cell);
      const rows = Array.from({ length: rng.int(40) }, () => Array.from({ length: columns }, cell));
      const compact = rng.chance(0.5);
      expect(renderBoxTable(head, rows, { color: false, compact }), `table ${i}`).toEqual(cliTable3(head, rows, compact));
    }
  });

  it('colour: grey borders and a bold head around the same layout; painted cells take no columns', () => {
    const head = ['Req', 'Result'];
    const rows = [['NATT-01', '\x1b[32mPASS\x1b[0m'], ['NATT-02', '\x1b[31mFAIL !\x1b[0m']];
    const plain = renderBoxTable(head, rows.map((r) => r.map(stripSgr)), { color: false, compact: true });
    const colored = renderBoxTable(head, rows, { color: true, compact: true });
    expect(colored.map(stripSgr)).toEqual(plain);
    expect(colored[0]).toBe('\x1b[90m┌─────────\x1b[39m\x1b[90m┬────────┐\x1b[39m');
    expect(colored[1]).toBe('\x1b[90m│\x1b[39m\x1b[1m Req     \x1b[22m\x1b[90m│\x1b[39m\x1b[1m Result \x1b[22m\x1b[90m│\x1b[39m');
    expect(colored[3]).toContain('\x1b[32mPASS\x1b[0m   ');
  });

  it('every line of a table has the same width', () => {
    const lines = renderBoxTable(['a', 'b\nc'], [['↔ x', ''], ['', 'long cell\nx']], { color: true, compact: false });
    expect(new Set(lines.map((l) => displayWidth(l))).size).toBe(1);
  });

  // Linear time (4× the rows cost about 4× the time; cli-table3 was quadratic: 16×) is checked
  // by `npm run soak` (test/soak/cpu-bounds.soak.ts). Here, that a big table comes out whole.
  it('draws 16 000 rows: three lines each, every line the same width', () => {
    const n = 16_000;
    const rows = Array.from({ length: n }, (_, i) => IKE_HEAD.map((_h, x) => `${i}:${x}\n↔ ${x}`));
    const lines = renderBoxTable(IKE_HEAD, rows, { color: false, compact: false });
    expect(lines).toHaveLength(1 + 2 + 1 + n * 3);
    expect(new Set(lines.map((l) => displayWidth(l))).size).toBe(1);
  });
});

describe('displayWidth', () => {
  it('counts columns: ASCII, arrows and dashes one each, SGR and controls none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('↔ →—–')).toBe(5);
    expect(displayWidth('\x1b[31mFAIL\x1b[0m')).toBe(4);
    expect(displayWidth('')).toBe(0);
  });
});
