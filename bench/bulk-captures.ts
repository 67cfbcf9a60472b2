/**
 * Large hostile captures, written fast (one template frame patched per record, no per-packet
 * builders): a flood of IKE_SA_INIT requests with distinct SPIs, and the mix of IKE SAs, raw ESP
 * SAs and keepalive flows that makes a quadratic analysis pass show. Each frame is Ethernet +
 * IPv4 (checksum computed) + payload; UDP checksums are 0 ("none").
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const PCAP_HEADER = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'); // µs, LE, snaplen 65535, Ethernet

function ipv4Checksum(h: Buffer, at: number): number {
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += h.readUInt16BE(at + i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** One pcap record: header + Ethernet + IPv4 (src 10.x.y.z from `host`, dst 198.51.100.2) + payload. */
function record(index: number, host: number, proto: number, payload: Buffer): Buffer {
  const frameLength = 14 + 20 + payload.length;
  const b = Buffer.alloc(16 + frameLength);
  b.writeUInt32LE(1_700_000_000 + Math.floor(index / 1000), 0);
  b.writeUInt32LE((index % 1000) * 1000, 4);
  b.writeUInt32LE(frameLength, 8);
  b.writeUInt32LE(frameLength, 12);
  Buffer.from('0200000000020200000000010800', 'hex').copy(b, 16);
  const ip = 30;
  b[ip] = 0x45;
  b.writeUInt16BE(20 + payload.length, ip + 2);
  b[ip + 8] = 64;
  b[ip + 9] = proto;
  b.writeUInt32BE(((10 << 24) | (host & 0xffffff)) >>> 0, ip + 12);
  b.writeUInt32BE(0xc6336402, ip + 16);
  b.writeUInt16BE(ipv4Checksum(b, ip), ip + 10);
  payload.copy(b, ip + 20);
  return b;
}

function udp(sport: number, dport: number, payload: Buffer): Buffer {
  const u = Buffer.alloc(8 + payload.length);
  u.writeUInt16BE(sport, 0);
  u.writeUInt16BE(dport, 2);
  u.writeUInt16BE(8 + payload.length, 4);
  payload.copy(u, 8);
  return u;
}

/** A 28-byte IKEv2 IKE_SA_INIT request header (no payloads) with initiator SPI `spi`:5eed0000. */
function ikeSaInit(spi: number): Buffer {
  const m = Buffer.alloc(28);
  m.writeUInt32BE(spi >>> 0, 0);
  m.writeUInt32BE(0x5eed0000, 4);
  m[17] = 0x20; // IKEv2
  m[18] = 34; // IKE_SA_INIT
  m[19] = 0x08; // initiator, request
  m.writeUInt32BE(28, 24);
  return m;
}

/**
 * Streams `count` minimal IKE_SA_INIT requests with distinct initiator SPIs (1..count) from one
 * host to one responder into `file`: `count` distinct IKE SAs. 1e6 records (86 MB) take about a
 * second to write.
 */
export function writeIkeSaFlood(file: string, count: number): { bytes: number } {
  const fd = openSync(file, 'w');
  const template = record(0, 1, 17, udp(500, 500, ikeSaInit(0)));
  const size = template.length;
  const batch = 10_000;
  const buf = Buffer.alloc(batch * size);
  let bytes = writeSync(fd, PCAP_HEADER);
  try {
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      for (let j = 0; j < n; j++) {
        const at = j * size;
        const k = i + j;
        template.copy(buf, at);
        buf.writeUInt32LE(1_700_000_000 + Math.floor(k / 1000), at);
        buf.writeUInt32LE((k % 1000) * 1000, at + 4);
        buf.writeUInt32BE(k + 1, at + 16 + 14 + 20 + 8); // initiator SPI, high half
      }
      bytes += writeSync(fd, buf, 0, n * size);
    }
  } finally {
    closeSync(fd);
  }
  return { bytes };
}

/**
 * `count` hosts, each with its own IKE SA (an IKE_SA_INIT request), raw ESP SA and NAT-keepalive
 * flow: 3 × count small packets. Analysis that pairs every ESP SA or keepalive flow with every
 * IKE SA costs count² here.
 */
export function manySasCapture(count: number): Buffer {
  const parts: Buffer[] = [PCAP_HEADER];
  let k = 0;
  for (let i = 0; i < count; i++) {
    parts.push(record(k++, i + 1, 17, udp(500, 500, ikeSaInit(i + 1))));
    const esp = Buffer.alloc(24);
    esp.writeUInt32BE(0x10000 + i, 0);
    esp.writeUInt32BE(1, 4);
    parts.push(record(k++, i + 1, 50, esp));
    parts.push(record(k++, i + 1, 17, udp(4500, 4500, Buffer.of(0xff))));
  }
  return Buffer.concat(parts);
}
