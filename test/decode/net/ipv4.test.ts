import { describe, expect, it } from 'vitest';
import { hex, concat, ipv4, udp, esp, isakmp, nonEsp, icmp, u32 } from '../../support/packet-builders.js';
import type { IpLayer } from '../../../src/decode/ip/ipv4.js';
import { decodeNet, fieldValues, frameOf, infoOf } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const RAW = 228; // LINKTYPE_IPV4: the frame is the IPv4 packet
const ip = (data: Uint8Array, o: { originalLength?: number } = {}) => decodeNet(frameOf(data, { linkType: RAW, ...o }));
const ipLayer = (data: Uint8Array) => ip(data).layers[0] as IpLayer;
const ids = (data: Uint8Array) => ip(data).expert.map((e) => e.id);

// IPv4 header from wireshark-wiki/ipsec_esp_capture_2.pcap frame 2 (ICMP), checksum 0x0f03 correct.
const HEADER = hex(`
  45        # version 4, header length 5 words
  c0        # DSCP CS6
  00 d4     # total length 212
  56 64     # identification 0x5664
  00 00     # flags 0, fragment offset 0
  40        # TTL 64
  01        # protocol ICMP
  0f 03     # header checksum
  0a 00 00 02  # source 10.0.0.2
  0a 00 00 01  # destination 10.0.0.1
`);

describe('IPv4 header', () => {
  it('reads every field and verifies the checksum (tshark status 1 = good)', () => {
    const p = ip(concat(HEADER, new Uint8Array(192)));
    expect(fieldValues(p, ['ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.len', 'ip.id', 'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.checksum.status', 'ip.src', 'ip.dst']))
      .toEqual(['4', '20', '0xc0', '212', '0x5664', '0', '0', '64', '1', '0x0f03', '1', '10.0.0.2', '10.0.0.1']);
    expect(p.expert.map((e) => e.id)).not.toContain('ip.checksum_bad');
  });

  it('reports a bad checksum with both values, tcpdump style (status 0)', () => {
    const bad = concat(HEADER, new Uint8Array(192));
    bad[11] = 0x04;
    const p = ip(bad);
    expect(fieldValues(p, ['ip.checksum.status'])).toEqual(['0']);
    expect(p.expert.find((e) => e.id === 'ip.checksum_bad')?.message).toBe('Bad IPv4 header checksum 0x0f04 -> 0x0f03');
  });

  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4(udp(4500, 4500, nonEsp(isakmp()))), RAW));

  it('stops at a bogus version, header length or total length with tshark\'s wording', () => {
    const v5 = ipv4(udp(1, 2));
    v5[0] = 0x55;
    expect(ids(v5)).toEqual(['ip.version_invalid']);
    expect(infoOf(ip(v5))).toBe('Bogus IPv4 version (5, must be 4)');
    const hl16 = ipv4(udp(1, 2));
    hl16[0] = 0x44;
    expect(ids(hl16)).toEqual(['ip.header_length_invalid']);
    expect(infoOf(ip(hl16))).toBe('Bogus IP header length (16, must be at least 20)');
    const tl10 = ipv4({ totalLength: 10 }, udp(1, 2));
    expect(ids(tl10)).toEqual(['ip.total_length_invalid']);
    expect(infoOf(ip(tl10))).toBe('Bogus IP length (10, less than header length 20)');
    for (const b of [v5, hl16, tl10]) {
      expect(ipLayer(b).status).toBe('malformed');
      expect(fieldValues(ip(b), ['ip.src', 'ip.dst', 'ip.checksum.status'])).toEqual(['', '', '']);
    }
  });

  it('truncated (snap length) vs malformed (total length past the real end)', () => {
    const full = ipv4(udp(4500, 4500, esp(0x100, 1, new Uint8Array(40))));
    const snapped = ip(full.subarray(0, 36), { originalLength: full.length });
    expect(snapped.layers.map((l) => [l.proto, l.status])).toEqual([['ip', 'truncated'], ['udp', 'truncated'], ['udpencap', 'ok'], ['esp', 'truncated']]);
    expect(snapped.expert.map((e) => e.id)).toEqual(['frame.truncated']);
    expect(fieldValues(snapped, ['udp.checksum.status', 'esp.spi'])).toEqual(['2', '0x00000100']);

    const cut = ip(full.subarray(0, 36));
    expect(cut.layers[0]!.status).toBe('malformed');
    expect(cut.expert.map((e) => e.id)).toContain('ip.total_length_invalid');
  });

  it('shows the header fields captured before the snap, unverified checksum', () => {
    const full = ipv4(udp(1, 2, new Uint8Array(10)));
    const p = ip(full.subarray(0, 16), { originalLength: full.length });
    expect(fieldValues(p, ['ip.ttl', 'ip.src', 'ip.dst', 'ip.checksum.status'])).toEqual(['64', '192.0.2.1', '', '2']);
    expect(p.layers[0]!.status).toBe('truncated');
  });

  it('total length 0 (segmentation offload) uses the captured length', () => {
    const p = ip(ipv4({ totalLength: 0 }, udp(1, 2, hex('01 02'))));
    expect(p.expert.map((e) => e.id)).toContain('ip.total_length_zero');
    expect(fieldValues(p, ['udp.length'])).toEqual(['10']);
  });

  it('ignores bytes after the total length (Ethernet padding)', () => {
    const p = ip(concat(ipv4(udp(1, 2, hex('01 02'))), new Uint8Array(6)));
    expect(p.layers.map((l) => l.status)).toEqual(['ok', 'ok']);
    expect(fieldValues(p, ['udp.checksum.status'])).toEqual(['1']);
  });

  it('walks options and reports one whose length does not fit', () => {
    expect(ids(ipv4({ options: hex('01 01 01 00') }, udp(1, 2)))).toEqual([]);
    expect(ids(ipv4({ options: hex('07 09 00 00') }, udp(1, 2)))).toEqual(['ip.options_invalid']);
  });

  it('IP in IP gives two occurrences of each field, outer first', () => {
    const p = ip(ipv4({ src: '1.1.1.1', dst: '2.2.2.2' }, ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, esp(7, 1))));
    expect(fieldValues(p, ['ip.src', 'ip.proto', 'esp.spi'])).toEqual(['1.1.1.1,10.0.0.1', '4,50', '0x00000007']);
  });

  it('decodes the packet quoted in an ICMP error without complaining that it is cut', () => {
    const quoted = ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, udp(500, 500, isakmp()));
    const p = ip(ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }, icmp(3, 3, concat(u32(0), quoted.subarray(0, 28)))));
    expect(p.layers.map((l) => l.proto)).toEqual(['ip', 'icmp', 'ip', 'udp']);
    expect(fieldValues(p, ['ip.src', 'udp.checksum.status'])).toEqual(['10.0.0.2,10.0.0.1', '2']);
    expect(p.expert).toEqual([]);
    expect(infoOf(p)).toBe('500 → 500 Len=28');
  });
});
