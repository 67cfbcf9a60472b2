/** Where a command writes. Only cli/main.ts binds this to the real process. */
export interface Io {
  out(line: string): void;
  /** Writes `text` without ending the line: a long line (the analysis JSON) in pieces; the next `out` ends it. */
  write?(text: string): void;
  /**
   * Back-pressure: a promise when output written so far must go out before more is written (the
   * reader of a pipe is slower than espy), undefined when writing may go on.
   */
  drain?(): Promise<void> | undefined;
  err(line: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Transient status text on stderr (progress); no-op when stderr is not a terminal. */
  status?(text: string): void;
}

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A problem with how espy was invoked or with its input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An Io that keeps everything in memory, for tests. */
export function memoryIo(env: Record<string, string | undefined> = {}): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  return {
    stdout,
    stderr,
    out: (l) => {
      stdout.push(partial + l);
      partial = '';
    },
    write: (text) => {
      partial += text;
    },
    err: (l) => stderr.push(l),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
  };
}
