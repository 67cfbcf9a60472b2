import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { analysisJsonPieces } from '../../src/output/analysis-json.js';
import { safeJson } from '../../src/output/json.js';
import { analyzeCapture } from '../../src/cli/analyze-command.js';
import { memoryIo, type Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { AnalysisReport } from '../../src/analysis/report.js';
import { FIXTURES } from '../support/environment.js';

/**
 * `espy analyze --json` writes its document in pieces (Io.write) instead of one string: the
 * pieces must join to exactly what safeJson made, byte for byte, and an Io without `write`
 * still gets the whole line.
 */
const OPTS = { failOn: 'never', keepaliveTimeout: 20, maxIkeSas: 1000, maxEspSas: 1000, maxFlows: 1000, maxFindings: 10_000, natdSearchHashes: 0 } as const;

describe('analysis JSON in pieces', () => {
  it('joins to safeJson on edge values (escapes, undefined, bigint, nested arrays, empty arrays)', () => {
    const odd = {
      type: 'analysis',
      a: undefined,
      s: 'C1 \u0085 DEL \u007f LS \u2028 "q" \\ \n',
      big: 12n,
      list: [1, undefined, { x: undefined, y: [2, 3n] }, () => 1, 'z\u009b'],
      empty: [],
      obj: { '\u0080k': 1, '2': 'int-like key first', b: null },
      fn: () => 2,
    } as unknown as AnalysisReport;
    expect([...analysisJsonPieces(odd)].join('')).toBe(safeJson(odd));
    expect([...analysisJsonPieces([odd, odd])].join('')).toBe(safeJson([odd, odd]));
    expect([...analysisJsonPieces([])].join('')).toBe('[]');
  });

  it('joins to safeJson on a real report, and the CLI writes the same bytes with and without Io.write', async () => {
    const file = path.join(FIXTURES, 'lab', 'ikev2-client-behind-nat', 'outside-nat.pcap');
    const { report } = await analyzeCapture(file, OPTS, memoryIo(), false);
    const pieces = [...analysisJsonPieces(report)];
    expect(pieces.length).toBeGreaterThan(report.ikeSas.length + report.findings.length);
    expect(pieces.join('')).toBe(safeJson(report));

    const streamed = memoryIo();
    const writes: string[] = [];
    const io: Io & { stdout: string[] } = { ...streamed, write: (t) => void (writes.push(t), streamed.write!(t)) };
    await run(['analyze', file, file, '--json', '--fail-on', 'never', '--natd-search-hashes', '0'], io);
    const { write: _unused, ...plain } = memoryIo();
    const whole = plain as Io & { stdout: string[] };
    await run(['analyze', file, file, '--json', '--fail-on', 'never', '--natd-search-hashes', '0'], whole);
    expect(writes.length).toBeGreaterThan(10);
    expect(streamed.stdout).toHaveLength(1);
    expect(streamed.stdout).toEqual(whole.stdout);
    expect(JSON.parse(streamed.stdout[0]!)).toHaveLength(2);
  });
});
