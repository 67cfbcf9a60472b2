import { describe, expect, it } from 'vitest';
import { hex, concat, ipv6, udp, esp, ah, isakmp } from '../../support/packet-builders.js';
import type { Ipv6Layer } from '../../../src/decode/ip/ipv6.js';
import { MAX_IPV6_EXT_HEADERS } from '../../../src/decode/ip/ipv6.js';
import { decodeNet, fieldValues, frameOf, infoOf } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const RAW6 = 229;
const v6 = (data: Uint8Array, o: { originalLength?: number } = {}) => decodeNet(frameOf(data, { linkType: RAW6, ...o }));

// IPv6 + hop-by-hop (8 bytes, PadN) + ESP header, by hand.
const PACKET = hex(`
  60 00 00 00       # version 6, traffic class 0, flow label 0
  00 18             # payload length 24
  00                # next header: hop-by-hop options
  40                # hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
  32 00 01 04 00 00 00 00                           # hop-by-hop: next ESP (50), length 0 (8 bytes), PadN
  00 00 01 00 00 00 00 2a 00 00 00 00 00 00 00 00   # ESP SPI 0x100, sequence 42, 8 bytes of data
`);

describe('IPv6', () => {
  it('reads the fixed header and walks the extension chain', () => {
    const p = v6(PACKET);
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'esp']);
    expect(fieldValues(p, ['ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'ipv6.plen', 'ipv6.hlim', 'ipv6.hopopts.nxt', 'esp.spi', 'esp.sequence']))
      .toEqual(['2001:db8::1', '2001:db8::2', '0', '24', '64', '50', '0x00000100', '42']);
    expect((p.layers[0] as Ipv6Layer).upper).toBe(50);
  });

  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(PACKET, RAW6));

  it('walks hop-by-hop, destination options, routing and fragment headers to UDP', () => {
    const pkt = ipv6({ ext: [{ type: 0 }, { type: 60 }, { type: 43, body: hex('00 00 00 00 00 00') }, { type: 44 }] }, udp(500, 500, isakmp()));
    const p = v6(pkt);
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'udp']);
    expect(fieldValues(p, ['ipv6.nxt', 'ipv6.hopopts.nxt', 'ipv6.dstopts.nxt', 'ipv6.routing.nxt', 'ipv6.fraghdr.nxt', 'udp.checksum.status']))
      .toEqual(['0', '60', '43', '44', '17', '1']);
    expectEveryPrefixDecodes(pkt, RAW6);
  });

  it('stops an over-long chain (a loop of destination options) after the bound', () => {
    const pkt = ipv6({ ext: Array.from({ length: 40 }, () => ({ type: 60 })) }, udp(500, 500));
    const p = v6(pkt);
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6']);
    expect(p.layers[0]!.status).toBe('malformed');
    expect(p.expert.map((e) => e.id)).toEqual(['ipv6.ext_chain_too_long']);
    expect((p.layers[0] as Ipv6Layer).ext.length).toBe(MAX_IPV6_EXT_HEADERS);
  });

  it('stops a header whose length runs past the payload', () => {
    const pkt = concat(ipv6({ nxt: 60, payloadLength: 8 }, new Uint8Array()), hex('3b ff 00 00 00 00 00 00'));
    const p = v6(pkt);
    expect(p.expert.map((e) => e.id)).toEqual(['ipv6.ext_length_invalid']);
    expect(p.layers[0]!.status).toBe('malformed');
  });

  it('reports hop-by-hop options that are not first', () => {
    const p = v6(ipv6({ ext: [{ type: 60 }, { type: 0 }] }, esp(1, 1)));
    expect(p.expert.map((e) => e.id)).toContain('ipv6.hopopts_not_first');
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'esp']);
  });

  it('continues through AH into the protected protocol', () => {
    const p = v6(ipv6({}, ah(0x400, 2, udp(4500, 4500, esp(0x300, 9)))));
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'ah', 'udp', 'udpencap', 'esp']);
    expect(fieldValues(p, ['ipv6.nxt', 'ah.spi', 'udp.checksum.status', 'esp.spi'])).toEqual(['51', '0x00000400', '1', '0x00000300']);
  });

  it('no next header (59) ends the packet', () => {
    const p = v6(ipv6({ nxt: 59 }, hex('00 00')));
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6']);
    expect(infoOf(p)).toBe('IPv6 no next header');
  });

  it('payload length past the frame: malformed; past the snap: truncated', () => {
    const big = ipv6({ payloadLength: 200 }, udp(500, 500, isakmp()));
    expect(v6(big).expert.map((e) => e.id)).toEqual(['ipv6.payload_length_invalid']);
    const snapped = v6(big, { originalLength: 240 });
    expect(snapped.layers[0]!.status).toBe('truncated');
    expect(snapped.expert.map((e) => e.id)).toEqual(['frame.truncated']);
  });

  it('a version other than 6 is bogus: no fields', () => {
    const bad = ipv6({}, esp(1, 1));
    bad[0] = 0x40;
    const p = v6(bad);
    expect(p.expert.map((e) => e.id)).toEqual(['ipv6.version_invalid']);
    expect(fieldValues(p, ['ipv6.src', 'ipv6.nxt'])).toEqual(['', '']);
  });
});
