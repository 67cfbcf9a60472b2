import type { Describer, Describers } from '../describe-types.js';
import type { AnyLayer } from '../layer.js';
import type { Packet } from '../packet.js';
import { item, text, type TreeNode } from '../tree.js';
import type { UdpLayer } from './udp.js';
import type { TcpLayer } from './tcp.js';
import type { IcmpLayer, Icmpv6Layer } from './icmp.js';
import type { UdpEncapLayer } from './udpencap.js';
import {
  ICMP, ICMP_PARAMETER_PROBLEM_NAMES, ICMP_REDIRECT_NAMES, ICMP_TIME_EXCEEDED_NAMES, ICMP_TYPE_NAMES, ICMP_UNREACHABLE_NAMES, ICMPV6,
  ICMPV6_PARAMETER_PROBLEM_NAMES, ICMPV6_TIME_EXCEEDED_NAMES, ICMPV6_TYPE_NAMES, ICMPV6_UNREACHABLE_NAMES, TCP, UDP, UDPENCAP,
} from './fields.js';
import { add, CHECKSUM_STATUS_NAMES, checksumLabel } from '../link/tree-util.js';

/** The layer decoded right after `l` in the packet. */
function after(packet: Packet, l: AnyLayer): AnyLayer | undefined {
  const i = packet.layers.indexOf(l);
  return i >= 0 ? packet.layers[i + 1] : undefined;
}

function checksumNodes(c: TreeNode[], f: typeof UDP | typeof TCP, o: number, v: number | undefined, status: number | undefined, expected: number | undefined): void {
  if (v === undefined) return;
  c.push(item(f.checksum, v, o, 2, { label: checksumLabel('Checksum', v, status, expected) }));
  add(c, f.checksumStatus, status, o, 2, { label: `[Checksum Status: ${CHECKSUM_STATUS_NAMES[status ?? 2]}]` });
  if (expected !== undefined && status === 0) c.push(item(f.checksumCalculated, expected, o, 2, { label: `[Calculated Checksum: 0x${expected.toString(16).padStart(4, '0')}]` }));
}

const udp: Describer<UdpLayer> = {
  column: 'UDP',
  info(l) {
    if (l.udpLength === undefined || l.checksum === undefined) return 'UDP header cut short';
    const ports = `${l.srcPort} → ${l.dstPort}`;
    if (l.lengthProblem === 'short') return `${ports} [BAD UDP LENGTH ${l.udpLength} < 8]`;
    if (l.lengthProblem === 'long') return `${ports} [BAD UDP LENGTH ${l.udpLength} > IP PAYLOAD LENGTH] Len=${l.udpLength - 8}`;
    return `${ports} Len=${l.udpLength - 8}`;
  },
  tree(l, packet) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, UDP.srcport, l.srcPort, o, 2);
    add(c, UDP.dstport, l.dstPort, o + 2, 2);
    const lenLabel = l.lengthProblem === 'short' ? `Length: ${l.udpLength} (bogus, must be >= 8)` : l.lengthProblem === 'long' ? `Length: ${l.udpLength} (bogus, exceeds the IP payload)` : undefined;
    add(c, UDP.length, l.udpLength, o + 4, 2, lenLabel ? { label: lenLabel } : undefined);
    if (l.lengthProblem !== 'short') checksumNodes(c, UDP, o + 6, l.checksum, l.checksumStatus, l.checksumExpected);
    const next = after(packet, l);
    if (next?.recognisedBy === 'shape') c.push(text(`[Payload recognised by shape, not by port: ${next.proto}]`));
    const ports = l.srcPort !== undefined && l.dstPort !== undefined ? `, Src Port: ${l.srcPort}, Dst Port: ${l.dstPort}` : '';
    return text(`User Datagram Protocol${ports}`, c, o, l.length);
  },
};

const TCP_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x002, 'SYN'], [0x001, 'FIN'], [0x004, 'RST'], [0x008, 'PSH'], [0x010, 'ACK'], [0x020, 'URG'], [0x040, 'ECE'], [0x080, 'CWR'], [0x100, 'AE'],
];

function tcpFlags(f: number): string {
  return TCP_FLAG_NAMES.filter(([bit]) => f & bit).map(([, n]) => n).join(', ');
}

const tcp: Describer<TcpLayer> = {
  column: 'TCP',
  info(l) {
    if (l.headerLength === undefined || l.flags === undefined) return 'TCP header cut short';
    const ack = l.flags & 0x010 ? ` Ack=${l.ack}` : '';
    const bogus = l.headerLength < 20 ? `, bogus TCP header length (${l.headerLength}, must be at least 20)` : '';
    return `${l.srcPort} → ${l.dstPort} [${tcpFlags(l.flags)}] Seq=${l.seq}${ack} Win=${l.window}${bogus} Len=${l.payloadLength}`;
  },
  tree(l) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, TCP.srcport, l.srcPort, o, 2);
    add(c, TCP.dstport, l.dstPort, o + 2, 2);
    add(c, TCP.len, l.headerLength !== undefined && l.headerLength >= 20 ? l.payloadLength : undefined);
    add(c, TCP.seq, l.seq, o + 4, 4);
    add(c, TCP.ack, l.ack, o + 8, 4);
    add(c, TCP.hdrLen, l.headerLength, o + 12, 1, { label: `Header Length: ${l.headerLength} bytes (${(l.headerLength ?? 0) / 4})` });
    add(c, TCP.flags, l.flags, o + 12, 2, { label: `Flags: 0x${(l.flags ?? 0).toString(16).padStart(3, '0')} (${tcpFlags(l.flags ?? 0)})` });
    add(c, TCP.window, l.window, o + 14, 2);
    if (l.headerLength !== undefined && l.headerLength >= 20) checksumNodes(c, TCP, o + 16, l.checksum, l.checksumStatus, l.checksumExpected);
    add(c, TCP.urgent, l.urgent, o + 18, 2);
    const ports = l.srcPort !== undefined && l.dstPort !== undefined ? `, Src Port: ${l.srcPort}, Dst Port: ${l.dstPort}` : '';
    return text(`Transmission Control Protocol${ports}, Len: ${l.payloadLength}`, c, o, l.length);
  },
};

/** Per message type with named codes: the names, and what tshark says for a code it does not know. */
interface CodeNames {
  readonly names: Readonly<Record<number, string>>;
  readonly unknown: (code: number) => string;
}

const ICMP_CODE_NAMES: Readonly<Record<number, CodeNames>> = {
  3: { names: ICMP_UNREACHABLE_NAMES, unknown: (c) => `Unknown code: ${c}` },
  5: { names: ICMP_REDIRECT_NAMES, unknown: (c) => `Unknown code: ${c}` },
  11: { names: ICMP_TIME_EXCEEDED_NAMES, unknown: (c) => `Unknown code: ${c}` },
  12: { names: ICMP_PARAMETER_PROBLEM_NAMES, unknown: (c) => `Unknown code: ${c}` },
};

const ICMPV6_CODE_NAMES: Readonly<Record<number, CodeNames>> = {
  1: { names: ICMPV6_UNREACHABLE_NAMES, unknown: () => 'Unknown' },
  3: { names: ICMPV6_TIME_EXCEEDED_NAMES, unknown: (c) => `Unknown (${c})` },
  4: { names: ICMPV6_PARAMETER_PROBLEM_NAMES, unknown: (c) => `Unknown (${c})` },
};

/**
 * The Info column as tshark 4.0 writes it. ICMP: the type name padded to 20 characters, then
 * " (code name)" for the types with named codes, or the echo identifier and sequence number
 * ("Destination unreachable (Port unreachable)", "Redirect             (Redirect for host)",
 * "Echo (ping) reply    id=0x0001, seq=2/512, ttl=64"). ICMPv6: no padding and no
 * little-endian sequence number ("Destination Unreachable (Port unreachable)", "Packet Too Big",
 * "Echo (ping) request id=0x0001, seq=2, hop limit=64"). tshark's "(reply in N)" notes on echoes
 * need the other packet and are not written.
 */
function icmpInfo(v6: boolean, l: IcmpLayer | Icmpv6Layer, packet: Packet): string {
  if (l.type === undefined) return 'ICMP header cut short';
  const name = (v6 ? ICMPV6_TYPE_NAMES : ICMP_TYPE_NAMES)[l.type] ?? `Unknown ICMP type ${l.type}`;
  const head = v6 ? name : name.padEnd(20);
  if (l.echoId !== undefined && l.echoSeq !== undefined) {
    const i = packet.layers.indexOf(l);
    const ip = i > 0 ? packet.layers[i - 1] : undefined;
    const ttl = ip?.proto === 'ip' ? `, ttl=${ip.ttl}` : ip?.proto === 'ipv6' ? `, hop limit=${ip.hopLimit}` : '';
    const seq = v6 ? `${l.echoSeq}` : `${l.echoSeq}/${((l.echoSeq & 0xff) << 8) | (l.echoSeq >> 8)}`;
    return `${head} id=0x${l.echoId.toString(16).padStart(4, '0')}, seq=${seq}${ttl}`;
  }
  const codes = (v6 ? ICMPV6_CODE_NAMES : ICMP_CODE_NAMES)[l.type];
  if (!codes || l.code === undefined) return head;
  return `${head} (${codes.names[l.code] ?? codes.unknown(l.code)})`;
}

function icmpDescriber<P extends 'icmp' | 'icmpv6'>(p: P): Describer<P extends 'icmp' ? IcmpLayer : Icmpv6Layer> {
  const v6 = p === 'icmpv6';
  const f = v6 ? ICMPV6 : ICMP;
  return {
    column: v6 ? 'ICMPv6' : 'ICMP',
    info: (l: IcmpLayer | Icmpv6Layer, packet: Packet) => icmpInfo(v6, l, packet),
    tree(l) {
      const c: TreeNode[] = [];
      const o = l.offset;
      add(c, f.type, l.type, o, 1);
      add(c, f.code, l.code, o + 1, 1);
      if (l.checksum !== undefined) {
        c.push(item(f.checksum, l.checksum, o + 2, 2, { label: checksumLabel('Checksum', l.checksum, l.checksumStatus, l.checksumExpected) }));
        add(c, f.checksumStatus, l.checksumStatus, o + 2, 2, { label: `[Checksum Status: ${CHECKSUM_STATUS_NAMES[l.checksumStatus ?? 2]}]` });
      }
      add(c, f.ident, l.echoId, o + 4, 2);
      add(c, f.seq, l.echoSeq, o + 6, 2);
      return text(v6 ? 'Internet Control Message Protocol v6' : 'Internet Control Message Protocol', c, o, l.length);
    },
  } as Describer<P extends 'icmp' ? IcmpLayer : Icmpv6Layer>;
}

function udpEncapInfo(l: UdpEncapLayer): string {
  switch (l.kind) {
    case 'keepalive':
      if (l.payloadLength > 1) return `NAT-keepalive of ${l.payloadLength} octets (must be one)`;
      return l.keepaliveValue === 0xff ? 'NAT-keepalive' : `NAT-keepalive with value 0x${(l.keepaliveValue ?? 0).toString(16).padStart(2, '0')} (must be 0xFF)`;
    case 'ike':
      return l.status === 'ok' ? 'Non-ESP marker, IKE follows' : 'Non-ESP marker without IKE';
    case 'esp':
      return 'ESP in UDP';
    case 'non_ike':
      return 'Non-IKE marker, ESP follows';
    case 'invalid':
      return `${l.payloadLength}-octet payload: not a keepalive, marker or ESP`;
    case 'unknown':
      return 'UDP-encapsulated payload cut short by the snap length';
  }
}

const udpencap: Describer<UdpEncapLayer> = {
  column: 'UDPENCAP',
  info: udpEncapInfo,
  tree(l) {
    const c: TreeNode[] = [];
    const o = l.offset;
    if (l.kind === 'keepalive') {
      if (l.keepaliveValue === 0xff && l.payloadLength === 1 && l.role !== 'ike') c.push(item(UDPENCAP.natKeepalive, null, o, 1));
      else {
        if (l.role === 'ike' && l.keepaliveValue === 0xff) c.push(text('[NAT-keepalive sent to an IKE port]'));
        add(c, UDPENCAP.keepaliveValue, l.keepaliveValue, o, 1);
      }
    } else if (l.kind === 'ike') c.push(item(UDPENCAP.nonEspMarker, null, o, 4));
    else if (l.kind === 'non_ike') c.push(item(UDPENCAP.nonIkeMarker, null, o, 8));
    if (l.role === 'shape') c.push(text('[Recognised by shape, not by port]'));
    return text('UDP Encapsulation of IPsec Packets', c, o, l.length);
  },
};

export const TRANSPORT_DESCRIBERS: Describers = {
  udp,
  tcp,
  icmp: icmpDescriber('icmp'),
  icmpv6: icmpDescriber('icmpv6'),
  udpencap,
};
