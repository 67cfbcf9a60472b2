/**
 * pcapng time stamps: a 64-bit count of units since the epoch (plus the interface's
 * if_tsoffset seconds), where a unit is 10^-n or 2^-n seconds (if_tsresol). Converted to
 * seconds + nanoseconds exactly: nanoseconds are truncated (floor), as Wireshark does, never
 * rounded through a float.
 *
 * The common resolutions take an allocation-free path with 16-bit long division in doubles
 * (every intermediate stays below 2^53); anything else (huge units, absurd time stamps) takes
 * BigInt.
 */

export interface TsResolution {
  /** Units per second. */
  readonly units: number;
  readonly unitsBig: bigint;
  /** 1e9 / units when that is an integer (ms, µs, ns, ...), else 0. */
  readonly nsPerUnit: number;
  /** units <= 2^37: the number path is exact. */
  readonly fast: boolean;
}

const LIMB = 65536;
const TWO_32 = 4294967296;
const FAST_UNITS_MAX = 2 ** 37;
const NS = 1_000_000_000;
const NS_BIG = 1_000_000_000n;

/** The resolution an if_tsresol byte describes (MSB set: 2^-n, else 10^-n). */
export function tsResolution(tsresol: number): TsResolution {
  const exponent = BigInt(tsresol & 0x7f);
  const unitsBig = tsresol & 0x80 ? 2n ** exponent : 10n ** exponent;
  const units = Number(unitsBig);
  const fast = unitsBig <= BigInt(FAST_UNITS_MAX);
  return { units, unitsBig, nsPerUnit: fast && NS % units === 0 ? NS / units : 0, fast };
}

/** The default resolution (no if_tsresol): microseconds. */
export const MICROSECONDS = tsResolution(6);

/** Where `toSecNsec` writes its result, to avoid allocating per frame. */
export interface TimeOut {
  sec: number;
  nsec: number;
}

/** Converts the time stamp `hi:lo` (units) to seconds and nanoseconds, plus `offsetSec`. */
export function toSecNsec(res: TsResolution, hi: number, lo: number, offsetSec: number, out: TimeOut): void {
  if (res.fast) {
    const u = res.units;
    const r1 = hi % u;
    const q1 = (hi - r1) / u;
    if (q1 < 2 ** 21) {
      let x = r1 * LIMB + (lo >>> 16);
      const r2 = x % u;
      const q2 = (x - r2) / u;
      x = r2 * LIMB + (lo & 0xffff);
      const r3 = x % u;
      const q3 = (x - r3) / u;
      let nsec = -1;
      if (res.nsPerUnit !== 0) nsec = r3 * res.nsPerUnit;
      else if (r3 < 9_007_199) {
        const y = r3 * NS; // < 2^53: exact
        nsec = (y - (y % u)) / u;
      }
      if (nsec >= 0) {
        out.sec = q1 * TWO_32 + q2 * LIMB + q3 + offsetSec;
        out.nsec = nsec;
        return;
      }
    }
  }
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const rem = ts % res.unitsBig;
  out.sec = Number(ts / res.unitsBig) + offsetSec;
  out.nsec = Number((rem * NS_BIG) / res.unitsBig);
}
