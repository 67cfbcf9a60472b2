import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { createDissectState, dissectFrame } from '../../src/decode/dissect.js';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import type { Packet } from '../../src/decode/packet.js';
import { packetToJson } from '../../src/output/packet-json.js';
import { packetTree } from '../../src/output/packet-tree.js';
import { renderSummaryLine } from '../../src/output/summary.js';
import { renderTreeText } from '../../src/output/tree-text.js';
import { concat, esp, ether, gre, icmp, icmpv6, ipv4, ipv6, u32, udp } from '../support/packet-builders.js';

/**
 * Summary lines of ICMP/ICMPv6 error messages (issue 15): the line is the ICMP packet itself, as
 * tshark prints it (its own addresses, Protocol ICMP/ICMPv6, Info from the type and code), not
 * the packet it quotes; the quoted packet stays in the detail tree. Against tshark on real and
 * crafted captures: summary-icmp-tshark.test.ts.
 */

const view = { firstSec: 0, firstNsec: 0 };

function decode(data: Uint8Array): Packet {
  const frame: Frame = { number: 1, tsSec: 0, tsNsec: 0, capturedLength: data.length, originalLength: data.length, linkType: 1, interfaceId: 0, data };
  return dissectFrame(frame, DEFAULT_DECODE_CONFIG, createDissectState(DEFAULT_DECODE_CONFIG));
}

/** Source, destination, protocol and info of a summary line. */
function columns(line: string): { src: string; dst: string; protocol: string; info: string } {
  const m = /^\s*\d+\s+\S+\s+(\S*) → (\S*)\s+(\S+) \d+ (.*)$/.exec(line);
  if (!m) throw new Error(`not a summary line: ${line}`);
  return { src: m[1]!, dst: m[2]!, protocol: m[3]!, info: m[4]! };
}

const NAT = '198.51.100.2';
const RESPONDER = '203.0.113.2';
/** The responder's ESP-in-UDP to the NAT, as an ICMP error quotes it (whole, here). */
const quotedEsp = ipv4({ src: RESPONDER, dst: NAT, id: 0x4242 }, udp(4500, 4500, esp(0xb5bd8db7, 9, new Uint8Array(24))));
/** ICMP error from the NAT to the responder: type, code, the 4 octets after the checksum, the quote. */
const icmpFromNat = (type: number, code: number, rest = u32(0), quoted: Uint8Array = quotedEsp): Uint8Array =>
  ether(ipv4({ src: NAT, dst: RESPONDER }, icmp(type, code, concat(rest, quoted))));

describe('summary line of an ICMP error', () => {
  it('IPv4 port unreachable quoting ESP-in-UDP: the ICMP packet, not the quoted ESP reversed', () => {
    const packet = decode(icmpFromNat(3, 3));
    // The quoted packet is still decoded...
    expect(packet.layers.map((l) => l.proto)).toEqual(['eth', 'ip', 'icmp', 'ip', 'udp', 'udpencap', 'esp']);
    // ...but the line is the ICMP packet's.
    const line = renderSummaryLine(packet, view);
    expect(columns(line)).toEqual({ src: NAT, dst: RESPONDER, protocol: 'ICMP', info: 'Destination unreachable (Port unreachable)' });
    expect(line).not.toContain('ESP');
    const json = packetToJson(packet, view);
    expect([json['protocol'], json['info']]).toEqual(['ICMP', 'Destination unreachable (Port unreachable)']);
  });

  it('keeps the quoted packet in the detail tree (-V)', () => {
    const text = renderTreeText(packetTree(decode(icmpFromNat(3, 3)), view)).join('\n');
    expect(text).toContain('Internet Control Message Protocol');
    expect(text).toContain(`Internet Protocol Version 4, Src: ${RESPONDER}, Dst: ${NAT}`);
    expect(text).toContain('User Datagram Protocol, Src Port: 4500, Dst Port: 4500');
    expect(text).toContain('ESP SPI: 0xb5bd8db7');
  });

  it('ICMPv6 packet too big quoting UDP', () => {
    const quoted = ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(40000, 33434, new Uint8Array(40).fill(1)));
    const packet = decode(ether(ipv6({ src: '2001:db8::9', dst: '2001:db8::1' }, icmpv6(2, 0, concat(u32(1280), quoted)))));
    expect(packet.layers.map((l) => l.proto)).toEqual(['eth', 'ipv6', 'icmpv6', 'ipv6', 'udp']);
    expect(columns(renderSummaryLine(packet, view))).toEqual({ src: '2001:db8::9', dst: '2001:db8::1', protocol: 'ICMPv6', info: 'Packet Too Big' });
  });

  it('ICMPv6 destination unreachable (port unreachable) quoting ESP-in-UDP', () => {
    const quoted = ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(4500, 4500, esp(0x700, 1)));
    const packet = decode(ether(ipv6({ src: '2001:db8::2', dst: '2001:db8::1' }, icmpv6(1, 4, concat(u32(0), quoted)))));
    expect(columns(renderSummaryLine(packet, view))).toEqual({ src: '2001:db8::2', dst: '2001:db8::1', protocol: 'ICMPv6', info: 'Destination Unreachable (Port unreachable)' });
  });

  it.each([
    [11, 0, u32(0), 'Time-to-live exceeded (Time to live exceeded in transit)'],
    [3, 4, u32(1400), 'Destination unreachable (Fragmentation needed)'],
    [3, 2, u32(0), 'Destination unreachable (Protocol unreachable)'],
    [3, 13, u32(0), 'Destination unreachable (Communication administratively filtered)'],
    [3, 16, u32(0), 'Destination unreachable (Unknown code: 16)'],
    [5, 1, u32(0x0a000009), 'Redirect             (Redirect for host)'],
    [12, 0, u32(0x14000000), 'Parameter problem    (Pointer indicates the error)'],
    [4, 0, u32(0), 'Source quench (flow control)'],
  ] as const)('ICMP type %i code %i: Info as tshark writes it', (type, code, rest, info) => {
    expect(columns(renderSummaryLine(decode(icmpFromNat(type, code, rest)), view))).toEqual({ src: NAT, dst: RESPONDER, protocol: 'ICMP', info });
  });

  it('an error quoting only part of the offending header, or nothing, is still the ICMP packet', () => {
    for (const quoted of [quotedEsp.subarray(0, 28), quotedEsp.subarray(0, 12), new Uint8Array()]) {
      expect(columns(renderSummaryLine(decode(icmpFromNat(3, 3, u32(0), quoted)), view))).toEqual({ src: NAT, dst: RESPONDER, protocol: 'ICMP', info: 'Destination unreachable (Port unreachable)' });
    }
  });

  it('an error quoting an error: the outermost one', () => {
    const inner = ipv4({ src: NAT, dst: RESPONDER }, icmp(3, 3, concat(u32(0), quotedEsp)));
    const packet = decode(ether(ipv4({ src: '192.0.2.77', dst: NAT }, icmp(11, 0, concat(u32(0), inner)))));
    expect(columns(renderSummaryLine(packet, view))).toEqual({ src: '192.0.2.77', dst: NAT, protocol: 'ICMP', info: 'Time-to-live exceeded (Time to live exceeded in transit)' });
  });

  it('an error inside a tunnel: the tunnelled IP header that carries it', () => {
    const tunnelled = ipv4({ src: NAT, dst: RESPONDER }, icmp(3, 3, concat(u32(0), quotedEsp)));
    const packet = decode(ether(ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }, gre(0x0800, tunnelled))));
    expect(packet.layers.map((l) => l.proto).slice(0, 5)).toEqual(['eth', 'ip', 'gre', 'ip', 'icmp']);
    expect(columns(renderSummaryLine(packet, view))).toEqual({ src: NAT, dst: RESPONDER, protocol: 'ICMP', info: 'Destination unreachable (Port unreachable)' });
  });

  it('leaves other packets alone: ESP-in-UDP and an echo request show themselves', () => {
    expect(columns(renderSummaryLine(decode(ether(quotedEsp)), view))).toMatchObject({ src: RESPONDER, dst: NAT, protocol: 'ESP' });
    const echo = decode(ether(ipv4({ src: NAT, dst: RESPONDER }, icmp(8, 0, concat(u32(0x00010002), new Uint8Array(8))))));
    expect(columns(renderSummaryLine(echo, view))).toEqual({ src: NAT, dst: RESPONDER, protocol: 'ICMP', info: 'Echo (ping) request  id=0x0001, seq=2/512, ttl=64' });
    const reply = decode(ether(ipv4({ src: RESPONDER, dst: NAT }, icmp(0, 0, concat(u32(0x00010002), new Uint8Array(8))))));
    expect(columns(renderSummaryLine(reply, view)).info).toBe('Echo (ping) reply    id=0x0001, seq=2/512, ttl=64');
    const echo6 = decode(ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, icmpv6(128, 0, concat(u32(0x00010002), new Uint8Array(8))))));
    expect(columns(renderSummaryLine(echo6, view)).info).toBe('Echo (ping) request id=0x0001, seq=2, hop limit=64');
  });
});
