// Mutation engine shared by `npm run fuzz` (scripts/fuzz.mjs, against dist/) and the CI-sized
// run in test/fuzz/cli-mutation.test.ts (against src/). Plain JavaScript so both can load it.
//
// Mutations are structure-aware: a capture is split into its container (classic pcap or pcapng,
// after gunzip) and its packets; most edits go inside a packet (and the record is rewritten with
// consistent lengths, so the decoders see the damage), some hit ISAKMP length and next-payload
// fields directly, some damage the container itself.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Capture files under the given folders (recursively), sorted. */
export function listCaptures(roots) {
  const out = [];
  const walk = (d) => {
    let names;
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(p);
    }
  };
  for (const r of roots) walk(r);
  return out;
}

/** mulberry32: small, fast, seedable. */
export function createRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (a) => a[int(a.length)], chance: (p) => next() < p };
}

// ------------------------------------------------------------------------ container model

const u32 = (b, at, le) => new DataView(b.buffer, b.byteOffset, b.length).getUint32(at, le);
const put32 = (b, at, v, le) => new DataView(b.buffer, b.byteOffset, b.length).setUint32(at, v >>> 0, le);

/**
 * Splits a (decompressed) capture into `{ kind, parts }`: each part is either raw bytes or a
 * packet `{ head, data, tail, fix }` whose `fix(head, dataLength)` rewrites its length fields.
 * Anything that does not parse stays raw, so every input round-trips byte for byte.
 */
export function parseCapture(bytes) {
  if (bytes.length >= 24) {
    const m = u32(bytes, 0, false);
    const classic = { 0xa1b2c3d4: [false, 16], 0xd4c3b2a1: [true, 16], 0xa1b23c4d: [false, 16], 0x4d3cb2a1: [true, 16], 0xa1b2cd34: [false, 24], 0x34cdb2a1: [true, 24] }[m];
    if (classic) return parseClassic(bytes, classic[0], classic[1]);
    if (m === 0x0a0d0d0a) return parsePcapng(bytes);
  }
  return { kind: 'raw', parts: [bytes] };
}

function parseClassic(bytes, le, recordHeader) {
  const swapped = new DataView(bytes.buffer, bytes.byteOffset).getUint16(6, le) < 3;
  const capAt = swapped ? 12 : 8;
  const parts = [bytes.subarray(0, 24)];
  let at = 24;
  while (at + recordHeader <= bytes.length) {
    const cap = u32(bytes, at + capAt, le);
    if (cap > bytes.length - at - recordHeader) break;
    parts.push({
      head: bytes.slice(at, at + recordHeader),
      data: bytes.slice(at + recordHeader, at + recordHeader + cap),
      tail: new Uint8Array(0),
      fix: (head, n, snapped) => {
        put32(head, capAt, n, le);
        if (!snapped) put32(head, swapped ? 8 : 12, n, le);
      },
    });
    at += recordHeader + cap;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  return { kind: 'pcap', parts };
}

function parsePcapng(bytes) {
  const parts = [];
  let at = 0;
  let le = true;
  while (at + 12 <= bytes.length) {
    const type = u32(bytes, at, false);
    if (type === 0x0a0d0d0a) {
      const bom = u32(bytes, at + 8, false);
      if (bom === 0x4d3c2b1a) le = true;
      else if (bom === 0x1a2b3c4d) le = false;
      else break;
    }
    const blockLe = le;
    const len = u32(bytes, at + 4, blockLe);
    if (len < 12 || len % 4 !== 0 || len > bytes.length - at) break;
    const t = u32(bytes, at, blockLe);
    const block = bytes.subarray(at, at + len);
    if ((t === 6 || t === 2) && len >= 32) {
      const cap = u32(block, 20, blockLe);
      if (28 + cap + 4 <= len) {
        const padded = (cap + 3) & ~3;
        parts.push({
          head: block.slice(0, 28),
          data: block.slice(28, 28 + cap),
          tail: block.slice(28 + padded, len), // options + trailing length
          fix: (head, n, snapped, tail) => {
            put32(head, 20, n, blockLe);
            if (!snapped) put32(head, 24, n, blockLe);
            const total = 28 + ((n + 3) & ~3) + tail.length;
            put32(head, 4, total, blockLe);
            put32(tail, tail.length - 4, total, blockLe);
          },
          pad: true,
        });
        at += len;
        continue;
      }
    }
    parts.push(block.slice());
    at += len;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  return { kind: 'pcapng', parts };
}

export function writeCapture(model) {
  const chunks = [];
  for (const p of model.parts) {
    if (p instanceof Uint8Array) {
      chunks.push(p);
      continue;
    }
    chunks.push(p.head, p.data);
    if (p.pad) chunks.push(new Uint8Array(((p.data.length + 3) & ~3) - p.data.length));
    chunks.push(p.tail);
  }
  return Buffer.concat(chunks);
}

// ------------------------------------------------------------------------ packet-level edits

const INTERESTING16 = [0, 1, 3, 4, 8, 27, 28, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING32 = [0, 1, 28, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** Where the ISAKMP fields of an Ethernet/IPv4-or-IPv6/UDP frame sit (empty when there are none). */
export function isakmpFields(frame) {
  let at = 12;
  let type = (frame[at] << 8) | frame[at + 1];
  while ((type === 0x8100 || type === 0x88a8) && at + 6 <= frame.length) {
    at += 4;
    type = (frame[at] << 8) | frame[at + 1];
  }
  at += 2;
  let udp = -1;
  if (type === 0x0800 && frame[at] >> 4 === 4 && frame[at + 9] === 17) udp = at + (frame[at] & 15) * 4;
  else if (type === 0x86dd && frame[at + 6] === 17) udp = at + 40;
  if (udp < 0 || udp + 8 > frame.length) return [];
  let ike = udp + 8;
  const dport = (frame[udp + 2] << 8) | frame[udp + 3];
  const sport = (frame[udp] << 8) | frame[udp + 1];
  if ((dport === 4500 || sport === 4500) && frame[ike] === 0 && frame[ike + 1] === 0 && frame[ike + 2] === 0 && frame[ike + 3] === 0) ike += 4;
  if (ike + 28 > frame.length) return [];
  const fields = [{ at: ike + 16, size: 1, what: 'next' }, { at: ike + 24, size: 4, what: 'length' }];
  let pos = ike + 28;
  for (let n = 0; n < 64 && pos + 4 <= frame.length; n++) {
    fields.push({ at: pos, size: 1, what: 'next' }, { at: pos + 2, size: 2, what: 'length' });
    // SA/proposal/transform/attribute and notify/delete inner fields sit a few bytes in.
    for (const d of [4, 6, 8, 10, 12, 14]) if (pos + d + 2 <= frame.length) fields.push({ at: pos + d, size: 2, what: 'inner' });
    const len = (frame[pos + 2] << 8) | frame[pos + 3];
    if (len < 4) break;
    pos += len;
  }
  return fields;
}

function editPacket(data, rng, donors) {
  let d = data;
  const ops = 1 + rng.int(3);
  const notes = [];
  for (let i = 0; i < ops; i++) {
    const op = rng.int(10);
    const skew = () => (d.length > 14 && rng.chance(0.8) ? 14 + rng.int(d.length - 14) : rng.int(Math.max(1, d.length)));
    if (op <= 2 && d.length) {
      const at = skew();
      d[at] ^= 1 << rng.int(8);
      notes.push(`flip@${at}`);
    } else if (op === 3 && d.length >= 2) {
      const at = Math.min(skew(), d.length - 2);
      const v = rng.pick(INTERESTING16);
      d[at] = v >> 8;
      d[at + 1] = v & 0xff;
      notes.push(`u16@${at}=${v}`);
    } else if (op === 4 && d.length >= 4) {
      const at = Math.min(skew(), d.length - 4);
      put32(d, at, rng.pick(INTERESTING32), false);
      notes.push(`u32@${at}`);
    } else if (op <= 6) {
      const fields = isakmpFields(d);
      if (!fields.length) continue;
      const f = rng.pick(fields);
      if (f.size === 1) d[f.at] = rng.pick([0, 1, 2, 3, 5, 11, 12, 13, 20, 33, 41, 46, 53, 130, 132, 255, d[f.at] ?? 0]);
      else if (f.size === 2 && f.at + 2 <= d.length) {
        const v = rng.pick([...INTERESTING16, ((d[f.at] << 8) | d[f.at + 1]) + rng.int(9) - 4]) & 0xffff;
        d[f.at] = v >> 8;
        d[f.at + 1] = v & 0xff;
      } else if (f.at + 4 <= d.length) put32(d, f.at, rng.pick([...INTERESTING32, d.length, d.length + 4]), false);
      notes.push(`isakmp.${f.what}@${f.at}`);
    } else if (op === 7 && d.length) {
      const n = rng.int(d.length);
      d = d.slice(0, n);
      notes.push(`cut@${n}`);
    } else if (op === 8) {
      const at = rng.int(d.length + 1);
      const ins = donors.length && rng.chance(0.5) ? rng.pick(donors).subarray(0, 1 + rng.int(64)) : Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
      d = Buffer.concat([d.subarray(0, at), ins, d.subarray(at)]);
      notes.push(`insert@${at}+${ins.length}`);
    } else if (d.length) {
      const at = rng.int(d.length);
      const n = 1 + rng.int(Math.min(32, d.length - at));
      d = Buffer.concat([d.subarray(0, at), d.subarray(at + n)]);
      notes.push(`delete@${at}-${n}`);
    }
  }
  return { data: d, notes };
}

// ------------------------------------------------------------------------ whole-file mutation

/**
 * One mutated copy of a capture. `donors` are packets from other captures for splicing.
 * Returns the bytes and a short description of what was done.
 */
export function mutate(input, rng, donors = []) {
  let bytes = input;
  let gz = false;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
      gz = true;
    } catch {
      gz = false;
    }
  }
  const model = parseCapture(Buffer.from(bytes));
  const packets = model.parts.filter((p) => !(p instanceof Uint8Array));
  const what = [];
  const strategy = rng.int(10);
  if (packets.length && strategy < 7) {
    // Inside packets: the record stays consistent, the decoders see the damage.
    const count = 1 + rng.int(Math.min(4, packets.length));
    for (let i = 0; i < count; i++) {
      const p = rng.pick(packets);
      const snapped = rng.chance(0.3);
      const { data, notes } = editPacket(Buffer.from(p.data), rng, donors);
      p.data = data;
      p.fix(p.head, data.length, snapped, p.tail);
      what.push(`pkt[${packets.indexOf(p)}]${snapped ? '(snapped)' : ''}:${notes.join(',')}`);
    }
  } else if (packets.length && strategy === 7) {
    // Reorder, duplicate or splice whole packets (cross-packet state: sessions, reassembly).
    const a = rng.pick(packets);
    const b = rng.pick(packets);
    if (rng.chance(0.5) && donors.length) {
      a.data = Buffer.from(rng.pick(donors));
      a.fix(a.head, a.data.length, false, a.tail);
      what.push('splice-donor');
    } else {
      [a.data, b.data] = [b.data, a.data];
      a.fix(a.head, a.data.length, false, a.tail);
      b.fix(b.head, b.data.length, false, b.tail);
      what.push('swap');
    }
    const i = model.parts.indexOf(a);
    if (rng.chance(0.5)) model.parts.splice(i, 0, ...Array.from({ length: 1 + rng.int(20) }, () => ({ ...a, head: a.head.slice(), tail: a.tail.slice() })));
  }
  let out = writeCapture(model);
  if (strategy >= 8 || !packets.length) {
    // The container itself: flips, length fields, cuts, garbage at the end.
    const n = 1 + rng.int(4);
    for (let i = 0; i < n && out.length; i++) {
      const at = rng.int(out.length);
      const op = rng.int(4);
      if (op === 0) out[at] ^= 1 << rng.int(8);
      else if (op === 1 && at + 4 <= out.length) put32(out, at, rng.pick(INTERESTING32), rng.chance(0.5));
      else if (op === 2) out = out.subarray(0, at);
      else out = Buffer.concat([out, Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256))]);
      what.push(['flip', 'len', 'cut', 'append'][op] + `@${at}`);
    }
  }
  if (gz || rng.chance(0.05)) {
    out = gzipSync(out, { level: 1 });
    if (rng.chance(0.2) && out.length > 20) out = out.subarray(0, 10 + rng.int(out.length - 10));
    what.push('gzip');
  }
  return { bytes: out, description: `${model.kind} ${what.join(' ')}` };
}

/** Packets of a capture, for splicing into others. */
export function packetsOf(bytes) {
  try {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    return parseCapture(Buffer.from(raw)).parts.filter((p) => !(p instanceof Uint8Array)).map((p) => p.data);
  } catch {
    return [];
  }
}

// ------------------------------------------------------------------------ the oracle

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/**
 * The argument lists every input is run with (the capture path is put in place of FILE). The
 * NAT-D address search gets 50 ms instead of its 3 s default: still exercised, but a mutated
 * capture full of NATed SAs does not spend the whole per-input timeout there.
 */
const ANALYZE = ['--fail-on', 'never', '--natd-search-hashes', '300000'];
export const MODES = [
  ['packets', 'FILE', '-T', 'json'],
  ['analyze', 'FILE', '--json', ...ANALYZE],
  ['packets', 'FILE'],
  ['packets', 'FILE', '-V'],
  ['packets', 'FILE', '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'udp.length', '-e', 'isakmp.typepayload', '-e', 'isakmp.vid_bytes', '-e', 'isakmp.notify.data', '-e', 'esp.spi'],
  ['analyze', 'FILE', '--ndjson', ...ANALYZE],
  ['analyze', 'FILE', ...ANALYZE],
  ['verify', 'FILE', '--json', '--natd-search-hashes', '300000'],
  ['verify', 'FILE', '--natd-search-hashes', '300000'],
  ['report', 'FILE', '-q', '--natd-search-hashes', '300000'],
  ['natd-recover', 'FILE', '--json', '-q', '--max-seconds', '0.2', '--workers', '1'],
];

/**
 * What is wrong with one run's result (empty when fine): exit codes 0-2 only (1 only from
 * analyze and verify), a file error is exactly one stderr line, no internal error or decoder bug, every
 * JSON line parses, and no output line holds a raw control character (tabs only in -T fields).
 */
export function checkRun(argv, code, stdout, stderr) {
  const problems = [];
  // Exit 1 means "findings at or above --fail-on" (analyze) or "a requirement failed" (verify).
  const mayFail = argv[0] === 'analyze' || argv[0] === 'verify';
  if (![0, 2].includes(code) && !(mayFail && code === 1)) problems.push(`exit code ${code}`);
  // A file error is exactly one stderr line (an unsupported link-type notice is part of it).
  if (code === 2 && stderr.length !== 1) problems.push(`exit 2 with ${stderr.length} lines on stderr`);
  const err = stderr.join('\n');
  if (/internal error|\n\s+at /.test(err)) problems.push(`stderr: ${err.split('\n')[0].slice(0, 300)}`);
  const json = argv.includes('json') || argv.includes('--json') || argv.includes('--ndjson');
  const fields = argv.includes('fields');
  for (const line of [...stdout, ...stderr]) {
    const m = RAW_CONTROL.exec(fields ? line.replaceAll('\t', ' ') : line); // tab: the -T fields separator
    if (m) {
      problems.push(`raw control U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in output`);
      break;
    }
    if (line.includes('decoder.bug') || line.includes('[decoder bug]')) {
      problems.push('decoder.bug in output');
      break;
    }
  }
  if (json) {
    for (const line of stdout) {
      try {
        JSON.parse(line);
      } catch {
        problems.push(`invalid JSON line: ${line.slice(0, 120)}`);
        break;
      }
    }
  }
  return problems;
}

// ------------------------------------------------------------------------ known open bugs

/**
 * Open bugs the fuzzers found, each with a frozen reproducer in fixtures/malformed/ and an
 * `it.fails` test in test/fuzz/regressions.test.ts. Fuzzers report them as known instead of new
 * (and the CI-sized tests leave them out) so they keep hunting. When a fix lands, its regression
 * test turns red ("expected to fail"): flip it to `it` and delete the entry here.
 * `pattern` matches a violation as the in-process invariants word it or a CLI run's stderr.
 */
export const KNOWN_BUGS = [];

/** The known bug a violation text belongs to, if any. */
export function knownBug(text) {
  return KNOWN_BUGS.find((b) => b.pattern.test(text));
}
