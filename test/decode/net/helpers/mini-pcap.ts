/**
 * Test-only capture reader and writer (the real reader lives in src/capture): classic pcap in
 * either byte order and resolution, and pcapng (SHB/IDB/EPB/SPB), enough for the corpus.
 */
import type { Frame } from '../../../../src/capture/frame.js';

export function readCaptureFile(buf: Uint8Array): Frame[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) return readPcapng(buf, dv);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nsec = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (!le && magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`not a capture (magic ${magic.toString(16)})`);
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const frames: Frame[] = [];
  for (let at = 24; at + 16 <= buf.length; ) {
    const sec = dv.getUint32(at, le);
    const frac = dv.getUint32(at + 4, le);
    const incl = dv.getUint32(at + 8, le);
    const orig = dv.getUint32(at + 12, le);
    const data = buf.subarray(at + 16, at + 16 + incl);
    frames.push(frame(frames.length + 1, sec, nsec ? frac : frac * 1000, data, orig, linkType, 0));
    at += 16 + incl;
  }
  return frames;
}

function frame(number: number, tsSec: number, tsNsec: number, data: Uint8Array, orig: number, linkType: number, interfaceId: number): Frame {
  return { number, tsSec, tsNsec, capturedLength: data.length, originalLength: Math.max(orig, data.length), linkType, interfaceId, data };
}

function readPcapng(buf: Uint8Array, dv: DataView): Frame[] {
  const frames: Frame[] = [];
  let le = true;
  let ifaces: { linkType: number; tsPerSec: number }[] = [];
  for (let at = 0; at + 12 <= buf.length; ) {
    let type = dv.getUint32(at, le);
    if (type === 0x0a0d0d0a) {
      le = dv.getUint32(at + 8, true) === 0x1a2b3c4d;
      ifaces = [];
      type = 0x0a0d0d0a;
    }
    const len = dv.getUint32(at + 4, le);
    if (len < 12) break;
    if (type === 1) {
      let tsPerSec = 1e6;
      for (let o = at + 16; o + 4 <= at + len - 4; ) {
        const code = dv.getUint16(o, le);
        const olen = dv.getUint16(o + 2, le);
        if (code === 0) break;
        if (code === 9) {
          const v = buf[o + 4]!;
          tsPerSec = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + Math.ceil(olen / 4) * 4;
      }
      ifaces.push({ linkType: dv.getUint16(at + 8, le), tsPerSec });
    } else if (type === 6) {
      const id = dv.getUint32(at + 8, le);
      const ts = dv.getUint32(at + 12, le) * 2 ** 32 + dv.getUint32(at + 16, le);
      const incl = dv.getUint32(at + 20, le);
      const orig = dv.getUint32(at + 24, le);
      const iface = ifaces[id] ?? { linkType: 1, tsPerSec: 1e6 };
      const sec = Math.floor(ts / iface.tsPerSec);
      const nsec = Math.round(((ts % iface.tsPerSec) * 1e9) / iface.tsPerSec);
      frames.push(frame(frames.length + 1, sec, nsec, buf.subarray(at + 28, at + 28 + incl), orig, iface.linkType, id));
    } else if (type === 3) {
      const orig = dv.getUint32(at + 8, le);
      const iface = ifaces[0] ?? { linkType: 1, tsPerSec: 1e6 };
      frames.push(frame(frames.length + 1, 0, 0, buf.subarray(at + 12, at + 12 + Math.min(orig, len - 16)), orig, iface.linkType, 0));
    }
    at += len;
  }
  return frames;
}

export interface FrameSpec {
  readonly data: Uint8Array;
  /** Seconds since the epoch (fractional allowed); default: frame index. */
  readonly time?: number;
  /** Wire length when the frame is snapped (default data.length). */
  readonly originalLength?: number;
}

/** A classic little-endian microsecond pcap. */
export function writePcap(linkType: number, frames: readonly (FrameSpec | Uint8Array)[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, 0xa1b2c3d4, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, 262144, true);
  head.setUint32(20, linkType, true);
  parts.push(new Uint8Array(head.buffer));
  frames.forEach((f, i) => {
    const spec: FrameSpec = f instanceof Uint8Array ? { data: f } : f;
    const t = spec.time ?? 1_700_000_000 + i;
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, Math.floor(t), true);
    rec.setUint32(4, Math.round((t - Math.floor(t)) * 1e6), true);
    rec.setUint32(8, spec.data.length, true);
    rec.setUint32(12, spec.originalLength ?? spec.data.length, true);
    parts.push(new Uint8Array(rec.buffer), spec.data);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
