import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * The size (both semi-spaces) at which espy stops V8's young generation from growing. V8 grows it
 * up to 32 MB (16 MB semi-spaces) while many objects survive, as they do while a capture is read
 * (SA state) and at its end (the report). Capped at 16 MB, `espy analyze -q --json` on the 200 MB
 * benchmark capture ran in 1.03–1.08 s with a peak RSS of 106–108 MB instead of 1.15–1.29 s and
 * 123–125 MB, and on the 2 GB one in 3.84–3.97 s / 128–130 MB instead of 4.17–4.69 s /
 * 144–147 MB (three interleaved runs each, same machine, same minute): fewer cache misses while
 * allocating, and less memory. An 8 MB cap used less memory still at 200 MB (97–101 MB) but
 * was slower at 2 GB.
 */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;

/** Whether a cap was asked for in this process (watched for, or already set). */
let capRequested = false;

/** The young generation's current size in bytes (V8's `new_space`, both semi-spaces), or 0 if unknown. */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/**
 * Stops the young generation from growing past `capBytes` (0: leave V8's default). Node has no
 * way to set its maximum once running (`--max-semi-space-size` is read at start-up only, and a
 * launcher that re-executes node would cost more than it saves), so this watches each garbage
 * collection and, once the young generation has reached the cap, sets V8's growth factor to 1
 * (`--semi-space-growth-factor`, which V8 reads at every growth). V8 grows it by doubling, from
 * 1 MB, so a power-of-two cap is met exactly unless two growths happen before the observer runs.
 * V8 flags are process-wide (worker threads included), so only the first call in a process
 * takes effect.
 */
export function capYoungGeneration(capBytes: number = YOUNG_GENERATION_CAP_BYTES): void {
  if (!(capBytes > 0) || capRequested) return;
  capRequested = true;
  const capNow = (): boolean => {
    if (youngGenerationBytes() < capBytes) return false;
    setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (capNow()) return;
  const observer = new PerformanceObserver(() => {
    if (capNow()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
