/**
 * Runs once per `npm test`, before any test file: settles which tshark the ground-truth suites
 * use, says so once, and hands the version to the test workers (ESPY_TSHARK_VERSION_LINE, read by
 * test/support/tshark.ts, which then never runs `tshark --version` itself).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { PINNED_TSHARK, TSHARK_CACHE_DIR, tsharkIsPinned, tsharkVersion, tsharkVersionLine } from './tshark.js';

/** Cache entries written longer ago than this are removed (old captures, old field lists); a live one is simply rewritten by its next use. */
const CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export default function setup(): void {
  process.env['ESPY_TSHARK_VERSION_LINE'] = tsharkVersionLine();
  const v = tsharkVersion();
  if (v === undefined) console.log(`tshark: not installed; the ground-truth comparisons are skipped (they fail under CI). apt-get install -y tshark`);
  else if (v === PINNED_TSHARK) console.log(`tshark: ${v}, the version the comparisons' expectations were made with`);
  else if (tsharkIsPinned()) console.log(`tshark: ${v} (ESPY_TSHARK_ANY_VERSION=1): comparing with expectations made with ${PINNED_TSHARK}; differences may be the version's`);
  else console.log(`tshark: ${v}, NOT ${PINNED_TSHARK} (the expectations' version): the version-specific comparisons are skipped and say why (under CI they fail); version-independent ones (frames, time stamps, payload bytes) still run`);
  try {
    const now = Date.now();
    for (const name of readdirSync(TSHARK_CACHE_DIR)) {
      const file = path.join(TSHARK_CACHE_DIR, name);
      if (now - statSync(file).mtimeMs > CACHE_MAX_AGE_MS) rmSync(file, { force: true });
    }
  } catch {
    // no cache yet
  }
}
