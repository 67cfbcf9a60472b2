/**
 * The smallest reproducers of what the fuzzers found, built from the test builders so each one
 * documents itself. They are frozen under fixtures/malformed/ (see fixtures/MANIFEST.md), where
 * test/malformed-corpus.test.ts and test/fuzz/regressions.test.ts run them; the regression test
 * checks that the frozen bytes still equal these builders (ESPY_WRITE_REPRODUCERS=1 rewrites them).
 */
import { gzipSync } from 'node:zlib';
import { concatBytes, pcapngBlockBoundaries, writePcap, writePcapng } from '../../support/capture-writer.js';
import { concat, ether, ipv4, ipv6, u16, u32, u8, udp } from '../../support/packet-builders.js';
import { ikeMessage, NAT_DETECTION_DESTINATION_IP, NAT_DETECTION_SOURCE_IP, natdHash, notifyV2 } from '../../support/ike-builders.js';
import { manySasCapture } from '../../../bench/bulk-captures.js';

export interface Reproducer {
  /** File name under fixtures/malformed/. */
  readonly name: string;
  readonly bytes: () => Uint8Array;
}

const T0 = 1_700_000_000;
const one = (data: Uint8Array): Uint8Array => writePcap([{ data, tsSec: T0 }]);
const ispi = Uint8Array.of(0xf0, 0x22, 0, 0, 0, 0, 0, 1);

/** An IKEv1 Main Mode SA whose proposal announces 2 transforms, the first claiming 0xffff bytes. */
function transformOverrun(): Uint8Array {
  const transform = (next: number, length: number) => concat(u8(next), u8(0), u16(length), u8(1), u8(1), u16(0), u16(0x8001), u16(7));
  const proposal = concat(u8(0), u8(0), u16(8 + 24), u8(1), u8(1), u8(0), u8(2), transform(3, 0xffff), transform(0, 12));
  return ikeMessage({ ispi, version: 1, exchange: 2, payloads: [{ type: 1, body: concat(u32(1), u32(1), proposal) }] });
}

/**
 * Two pcapng sections of six NAT keepalives each (source ports 40001..40012), damaged three ways:
 * the third EPB's length is 13, three 0xee bytes are inserted before the fifth, and the second
 * section header's byte-order magic is broken. Reading resynchronises three times: eleven frames.
 */
function pcapngResync(): Uint8Array {
  const section = (first: number) =>
    writePcapng([
      {
        interfaces: [{}],
        blocks: [0, 1, 2, 3, 4, 5].map((i) => ({ kind: 'epb' as const, tsSec: T0 + first + i, data: ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(40001 + first + i, 4500, Uint8Array.of(0xff), { checksum: 0 }))) })),
      },
    ]);
  const a = Uint8Array.from(section(0));
  const b = Uint8Array.from(section(6));
  const [, , , , third, , fifth] = pcapngBlockBoundaries(a);
  new DataView(a.buffer).setUint32(third! + 4, 13, true);
  b[8] = 0;
  return concatBytes([a.subarray(0, fifth), Uint8Array.of(0xee, 0xee, 0xee), a.subarray(fifth), b]);
}

export const REPRODUCERS: readonly Reproducer[] = [
  {
    // Ethernet + an IPv4 header cut after 2 bytes of the destination address (unsnapped).
    name: 'ipv4-header-cut-in-dst.pcap',
    bytes: () => one(ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(500, 500, new Uint8Array(28)))).slice(0, 14 + 18)),
  },
  {
    // Ethernet + an IPv6 header cut 6 bytes into the destination address (unsnapped).
    name: 'ipv6-header-cut-in-dst.pcap',
    bytes: () => one(ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(500, 500, new Uint8Array(28)))).slice(0, 14 + 30)),
  },
  {
    name: 'isakmp-transform-overrun-offset.pcap',
    bytes: () => one(ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(500, 500, transformOverrun())))),
  },
  {
    // IKEv2 IKE_SA_INIT request whose NAT_DETECTION_SOURCE_IP notify carries no hash at all.
    name: 'ikev2-natd-source-empty.pcap',
    bytes: () =>
      one(
        ether(
          ipv4(
            { src: '192.168.1.10', dst: '198.51.100.2' },
            udp(
              500,
              500,
              ikeMessage({
                ispi,
                version: 2,
                exchange: 34,
                flags: 0x08,
                payloads: [notifyV2(NAT_DETECTION_SOURCE_IP), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, new Uint8Array(8), '198.51.100.2', 500))],
              }),
            ),
          ),
        ),
      ),
  },
  {
    // Damaged pcapng (README "Hostile input"): a bad block length, inserted bytes, a broken later section header.
    name: 'pcapng-resync.pcapng',
    bytes: pcapngResync,
  },
  {
    // 2000 hosts, each with an IKE SA, a raw ESP SA and a keepalive flow (6000 packets, gzip).
    name: 'analysis-many-sas-quadratic.pcap.gz',
    bytes: () => gzipSync(manySasCapture(2000), { level: 9 }),
  },
];
