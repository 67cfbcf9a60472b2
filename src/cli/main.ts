import { run } from './run.js';
import type { Io } from './io.js';
import { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES } from './young-generation.js';

const FLUSH_BYTES = 64 * 1024;

/** The only place that touches `process`: binds Io to stdout/stderr with buffered writes. */
function processIo(): Io & { flush(): void } {
  // Pieces of output, each line followed by its '\n'; a piece from `write` continues a line.
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    process.stdout.write(pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  let statusShown = false;
  return {
    out(line) {
      pending.push(line, '\n');
      pendingBytes += line.length + 1;
      if (pendingBytes >= FLUSH_BYTES) flush();
    },
    write(text) {
      pending.push(text);
      pendingBytes += text.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
    },
    drain() {
      if (!process.stdout.writableNeedDrain) return undefined;
      return new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdout.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        process.stdout.on('drain', done).on('close', done).on('error', done);
      });
    },
    err(line) {
      flush();
      if (statusShown) process.stderr.write('\r\x1b[K');
      statusShown = false;
      process.stderr.write(line + '\n');
    },
    status(text) {
      if (!process.stderr.isTTY) return;
      process.stderr.write('\r\x1b[K' + text);
      statusShown = text.length > 0;
    },
    flush,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}

export function main(): void {
  // ESPY_YOUNG_GENERATION_MB=0 leaves V8's young generation to grow as it likes (see the module).
  const youngMb = process.env.ESPY_YOUNG_GENERATION_MB;
  capYoungGeneration(youngMb !== undefined && /^\d+$/.test(youngMb) ? Number(youngMb) * 1024 * 1024 : YOUNG_GENERATION_CAP_BYTES);
  // `espy ... | head` closes the pipe early: that is a normal end, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`espy: cannot write output: ${e.message}\n`);
    process.exit(2);
  });
  const io = processIo();
  run(process.argv.slice(2), io).then(
    (code) => {
      io.flush();
      process.exitCode = code;
    },
    (e: unknown) => {
      io.flush();
      process.stderr.write(`espy: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
