/**
 * The open bugs the fuzzers found (listed in scripts/fuzz-engine.mjs, shared with `npm run
 * fuzz`). The property and CLI tests leave out exactly these violations so they keep hunting for
 * new ones; each bug has a frozen reproducer and an `it.fails` test in regressions.test.ts.
 */
import { KNOWN_BUGS, knownBug } from '../../../scripts/fuzz-engine.mjs';

export { KNOWN_BUGS };

/** The violations that are not known bugs (context lines go when nothing else is left). */
export function withoutKnownBugs(violations: readonly string[]): string[] {
  const left = violations.filter((v) => knownBug(v) === undefined);
  return left.every((v) => v.startsWith('context: ')) ? [] : left;
}
