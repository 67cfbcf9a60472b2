import { FINDINGS, type FindingId, type FindingSeverity } from './findings.js';

/** Evidence frames kept per finding; further occurrences are counted, not stored. */
export const MAX_EVIDENCE_FRAMES = 16;

export interface Finding {
  readonly id: FindingId;
  readonly severity: FindingSeverity;
  /** What it is about: an IKE SA label ("ikev2 1a2b…/3c4d…"), a host, a flow. */
  readonly subject: string;
  /** First evidence frames, ascending, at most MAX_EVIDENCE_FRAMES. */
  readonly frames: readonly number[];
  /** How many times it was raised for this subject. */
  readonly count: number;
  readonly message: string;
  readonly rfc: string;
}

interface MutableFinding {
  id: FindingId;
  subject: string;
  frames: number[];
  count: number;
  message: string;
}

let ID_ORDER: Map<string, number> | undefined;

/** Every finding id's position in `localeCompare` order, computed once (the sort's last key). */
function idOrder(): Map<string, number> {
  return (ID_ORDER ??= new Map(Object.keys(FINDINGS).sort((a, b) => a.localeCompare(b)).map((id, i) => [id, i])));
}

/**
 * Collects findings, rolled up per (id, subject): repeats add a count and, up to a cap, an
 * evidence frame. Distinct (id, subject) pairs are capped too; past the cap, repeats of an id
 * fold into one "(further subjects)" entry so memory stays bounded whatever the capture holds.
 */
export class FindingSink {
  private readonly byKey = new Map<string, MutableFinding>();
  /** Findings folded into "(further subjects)" because the cap was reached, and their first frames. */
  private folded = 0;
  private readonly foldedFrames: number[] = [];

  constructor(private readonly maxDistinct = 10_000) {}

  add(id: FindingId, subject: string, frames: number | readonly number[], message?: string): void {
    let key = `${id}\u0000${subject}`;
    let entry = this.byKey.get(key);
    if (!entry && this.byKey.size >= this.maxDistinct) {
      subject = '(further subjects)';
      key = `${id}\u0000${subject}`;
      entry = this.byKey.get(key);
      message = FINDINGS[id].summary;
      this.folded++;
      const first = typeof frames === 'number' ? frames : frames[0];
      if (first !== undefined && this.foldedFrames.length < MAX_EVIDENCE_FRAMES && !this.foldedFrames.includes(first)) this.foldedFrames.push(first);
    }
    const list = typeof frames === 'number' ? [frames] : frames;
    if (!entry) {
      entry = { id, subject, frames: [], count: 0, message: message ?? FINDINGS[id].summary };
      this.byKey.set(key, entry);
    }
    entry.count++;
    for (const f of list) {
      if (entry.frames.length >= MAX_EVIDENCE_FRAMES) break;
      if (!entry.frames.includes(f)) entry.frames.push(f);
    }
  }

  has(id: FindingId, subject?: string): boolean {
    if (subject !== undefined) return this.byKey.has(`${id}\u0000${subject}`);
    for (const f of this.byKey.values()) if (f.id === id) return true;
    return false;
  }

  /** All findings, most severe first, then by first evidence frame. */
  list(): Finding[] {
    return this.build(false);
  }

  /** `list()`, emptying the sink: the findings keep its evidence arrays instead of copies (the end of an analysis). */
  take(): Finding[] {
    return this.build(true);
  }

  private build(take: boolean): Finding[] {
    const out: Finding[] = [];
    for (const f of this.byKey.values()) {
      const def = FINDINGS[f.id];
      out.push({ id: f.id, severity: def.severity, subject: f.subject, frames: (take ? f.frames : [...f.frames]).sort((a, b) => a - b), count: f.count, message: f.message, rfc: def.rfc });
    }
    if (take) this.byKey.clear();
    if (this.folded > 0) {
      const def = FINDINGS['analysis.findings_capped'];
      const message = `${this.folded} finding(s) past the cap of ${this.maxDistinct} distinct (id, subject) pairs are counted under "(further subjects)" (--max-findings)`;
      out.push({ id: 'analysis.findings_capped', severity: def.severity, subject: 'finding table', frames: [...this.foldedFrames].sort((a, b) => a - b), count: this.folded, message, rfc: def.rfc });
    }
    const rank = { error: 0, warning: 1, note: 2, chat: 3 } as const;
    const order = idOrder();
    return out.sort((a, b) => rank[a.severity] - rank[b.severity] || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || order.get(a.id)! - order.get(b.id)!);
  }
}
