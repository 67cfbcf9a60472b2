import { CaptureError } from '../capture/frame.js';
import type { CaptureNotice } from '../capture/frame.js';
import { STDIN_LABEL } from '../capture/read.js';

/**
 * What reading one capture noticed without stopping (README "Exit codes"), for the stderr line:
 * resynchronisations after damage (the first, how many, the bytes skipped) and the other
 * notices (blocks skipped, unknown block types), at most about 100 (the reader's cap).
 * A damaged file is an input error: exactly one line, with the rest folded into it.
 */
export class CaptureNotices {
  private readonly label: string;
  private firstResync: CaptureNotice | undefined;
  private resyncs = 0;
  private bytesSkipped = 0;
  private readonly others: string[] = [];

  constructor(source: string) {
    this.label = source === '-' ? STDIN_LABEL : source;
  }

  readonly onNotice = (notice: CaptureNotice): void => {
    if (notice.kind === 'resynchronised') {
      this.firstResync ??= notice;
      this.resyncs++;
      this.bytesSkipped += notice.skippedBytes ?? 0;
    } else {
      this.others.push(notice.message);
    }
  };

  /** One `FILE: notice` line per notice (without `espy: `), for a file read without damage. */
  lines(): string[] {
    return this.others.map((m) => `${this.label}: ${m}`);
  }

  /**
   * The error for a resynchronised file (no other error stopped reading): `FILE: the capture
   * file is damaged: ...`, with the notices and `extra` folded in; undefined when it was intact.
   */
  damageError(framesRead: number, extra: readonly string[] = []): CaptureError | undefined {
    const first = this.firstResync;
    if (first === undefined) return undefined;
    const message = [`${this.label}: the capture file is damaged: ${this.resyncText()}`, ...this.folded(), ...extra].join('; ');
    return new CaptureError('bad-length', message, first.offset, framesRead);
  }

  /** `error` (reading stopped) with any earlier damage, the notices and `extra` folded into its one line. */
  fold(error: CaptureError, extra: readonly string[] = []): CaptureError {
    const parts = [...(this.firstResync ? [`earlier damage: ${this.resyncText()}`] : []), ...this.folded(), ...extra];
    if (parts.length === 0) return error;
    return new CaptureError(error.kind, [error.message, ...parts].join('; '), error.offset, error.framesRead);
  }

  private resyncText(): string {
    const more = this.resyncs > 1 ? ` (${this.resyncs} resynchronisations, ${this.bytesSkipped} bytes skipped in all)` : '';
    return `${this.firstResync!.message}${more}`;
  }

  private folded(): string[] {
    const [first] = this.others;
    if (first === undefined) return [];
    return [this.others.length > 1 ? `${first} (and ${this.others.length - 1} more notice(s))` : first];
  }
}
