import type { Describer, Describers } from '../describe-types.js';
import type { Packet } from '../packet.js';
import { formatIpv4, formatIpv6, item, text, type TreeNode } from '../tree.js';
import type { IpLayer, ReassemblyInfo } from './ipv4.js';
import { fragmentInfo } from './ipv4.js';
import type { Ipv6ExtHeader, Ipv6Layer } from './ipv6.js';
import { IPV6_DSTOPTS, IPV6_FRAGMENT, IPV6_HOPOPTS, IPV6_NO_NEXT, IPV6_ROUTING, ipv6FragmentInfo } from './ipv6.js';
import { IP, IPV6 } from './fields.js';
import { ipProtoName } from './ip-proto.js';
import { add, CHECKSUM_STATUS_NAMES, checksumLabel } from '../link/tree-util.js';

const FLAG_NAMES = ['', 'More fragments', "Don't fragment", "Don't fragment, More fragments", 'Reserved bit', 'Reserved bit, More fragments', "Reserved bit, Don't fragment", "Reserved bit, Don't fragment, More fragments"];

function bogusInfo(l: IpLayer): string | undefined {
  switch (l.bogus) {
    case 'version':
      return `Bogus IPv4 version (${l.version}, must be 4)`;
    case 'header_length':
      return `Bogus IP header length (${l.headerLength}, must be at least 20)`;
    case 'total_length':
      return `Bogus IP length (${l.totalLength}, less than header length ${l.headerLength})`;
    default:
      return undefined;
  }
}

/** "[3 IPv4 Fragments (140 bytes): #1(48), #2(48), #3(44)]" with one child per fragment. */
function reassemblyNodes(family: 'IPv4' | 'IPv6', r: ReassemblyInfo, packet: Packet, f: typeof IP | typeof IPV6): TreeNode[] {
  const frags = r.fragments.map((x) =>
    item(f.fragment, x.frame, undefined, undefined, { label: `[Frame: ${x.frame}, payload: ${x.offset}-${x.offset + x.length - 1} (${x.length} bytes)]` }),
  );
  frags.push(item(f.fragmentCount, r.fragments.length, undefined, undefined, { label: `[Fragment count: ${r.fragments.length}]` }));
  if (r.overlap) frags.push(item(f.fragmentOverlap, true, undefined, undefined, { label: '[Fragment overlap: True]' }));
  frags.push(item(f.reassembledLength, r.length, undefined, undefined, { label: `[Reassembled ${family} length: ${r.length}]` }));
  const list = r.fragments.map((x) => `#${x.frame}(${x.length})`).join(', ');
  return [text(`[${r.fragments.length} ${family} Fragments (${r.length} bytes): ${list}]`, frags), text(`[Reassembled ${family} in frame ${packet.frame.number}]`)];
}

function payloadNote(state: IpLayer['payload']): TreeNode | undefined {
  switch (state) {
    case 'held':
      return text('[Fragment held for reassembly]');
    case 'partial':
      return text('[First fragment, not reassembled: payload decoded on its own]');
    case 'fragment':
      return text('[Fragment not reassembled: payload not decoded]');
    default:
      return undefined;
  }
}

const ip: Describer<IpLayer> = {
  column: 'IPv4',
  info(l) {
    const bogus = bogusInfo(l);
    if (bogus) return bogus;
    if (l.payload === 'held' || l.payload === 'fragment') return fragmentInfo(l);
    if (l.protocol === undefined) return 'IPv4 header cut short';
    return `${ipProtoName(l.protocol)} (${l.protocol})`;
  },
  tree(l, packet) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, IP.version, l.version, o, 1, { label: `${(l.version >>> 0).toString(2).padStart(4, '0')} .... = Version: ${l.version}` });
    add(c, IP.hdrLen, l.headerLength, o, 1, { label: `.... ${((l.headerLength / 4) >>> 0).toString(2).padStart(4, '0')} = Header Length: ${l.headerLength} bytes (${l.headerLength / 4})` });
    const bogus = bogusInfo(l);
    if (l.bogus === 'total_length') add(c, IP.len, l.totalLength, o + 2, 2);
    if (bogus) return text(`Internet Protocol Version 4, ${bogus}`, c, o, l.length);
    add(c, IP.dsfield, l.tos, o + 1, 1);
    add(c, IP.len, l.totalLength, o + 2, 2);
    add(c, IP.id, l.id, o + 4, 2);
    if (l.flags !== undefined) {
      const bits = [
        item(IP.flagsRb, (l.flags & 4) !== 0, o + 6, 1),
        item(IP.flagsDf, (l.flags & 2) !== 0, o + 6, 1),
        item(IP.flagsMf, (l.flags & 1) !== 0, o + 6, 1),
      ];
      const name = FLAG_NAMES[l.flags & 7];
      const b3 = l.flags.toString(2).padStart(3, '0');
      c.push(item(IP.flags, l.flags, o + 6, 1, { label: `${b3}. .... = Flags: 0x${l.flags.toString(16)}${name ? ', ' + name : ''}`, children: bits }));
    }
    add(c, IP.fragOffset, l.fragOffset, o + 6, 2, { label: `Fragment Offset: ${(l.fragOffset ?? 0) * 8}` });
    add(c, IP.ttl, l.ttl, o + 8, 1);
    add(c, IP.proto, l.protocol, o + 9, 1);
    if (l.checksum !== undefined) {
      c.push(item(IP.checksum, l.checksum, o + 10, 2, { label: checksumLabel('Header Checksum', l.checksum, l.checksumStatus, l.checksumExpected) }));
      add(c, IP.checksumStatus, l.checksumStatus, o + 10, 2, { label: `[Header checksum status: ${CHECKSUM_STATUS_NAMES[l.checksumStatus ?? 2]}]` });
      if (l.checksumExpected !== undefined && l.checksumStatus !== undefined && l.checksumStatus <= 1) {
        c.push(item(IP.checksumCalculated, l.checksumExpected, o + 10, 2, { label: `[Calculated Checksum: 0x${l.checksumExpected.toString(16).padStart(4, '0')}]` }));
      }
    }
    add(c, IP.src, l.src, o + 12, 4);
    add(c, IP.dst, l.dst, o + 16, 4);
    if (l.headerLength > 20 && l.length >= l.headerLength) c.push(text(`Options: (${l.headerLength - 20} bytes)`, undefined, o + 20, l.headerLength - 20));
    const note = payloadNote(l.payload);
    if (note) c.push(note);
    if (l.reassembly) c.push(...reassemblyNodes('IPv4', l.reassembly, packet, IP));
    const addrs = l.src !== undefined && l.dst !== undefined ? `, Src: ${formatIpv4(l.src)}, Dst: ${formatIpv4(l.dst)}` : '';
    return text(`Internet Protocol Version 4${addrs}`, c, o, l.length);
  },
};

const EXT_NAMES: Readonly<Record<number, string>> = {
  [IPV6_HOPOPTS]: 'IPv6 Hop-by-Hop Option',
  [IPV6_ROUTING]: 'Routing Header for IPv6',
  [IPV6_FRAGMENT]: 'Fragment Header for IPv6',
  [IPV6_DSTOPTS]: 'Destination Options for IPv6',
};

function extNode(h: Ipv6ExtHeader): TreeNode {
  const c: TreeNode[] = [];
  const o = h.offset;
  const lenLabel = `Length: ${h.length / 8 - 1} (${h.length} bytes)`;
  if (h.type === IPV6_FRAGMENT) {
    add(c, IPV6.fraghdrNxt, h.nxt, o, 1);
    add(c, IPV6.fraghdrOffset, h.fragOffset, o + 2, 2);
    add(c, IPV6.fraghdrMore, h.more, o + 2, 2);
    add(c, IPV6.fraghdrIdent, h.ident, o + 4, 4);
  } else if (h.type === IPV6_ROUTING) {
    add(c, IPV6.routingNxt, h.nxt, o, 1);
    add(c, IPV6.routingLen, h.length / 8 - 1, o + 1, 1, { label: lenLabel });
    add(c, IPV6.routingType, h.routingType, o + 2, 1);
    add(c, IPV6.routingSegleft, h.segmentsLeft, o + 3, 1);
  } else {
    const hop = h.type === IPV6_HOPOPTS;
    add(c, hop ? IPV6.hopoptsNxt : IPV6.dstoptsNxt, h.nxt, o, 1);
    add(c, hop ? IPV6.hopoptsLen : IPV6.dstoptsLen, h.length / 8 - 1, o + 1, 1, { label: lenLabel });
  }
  return text(EXT_NAMES[h.type] ?? `Extension header ${h.type}`, c, o, h.length);
}

const ipv6: Describer<Ipv6Layer> = {
  column: 'IPv6',
  info(l) {
    if (l.bogus) return `Bogus IPv6 version (${l.version}, must be 6)`;
    if (l.payload === 'held' || l.payload === 'fragment') return ipv6FragmentInfo(l);
    if (l.upper === IPV6_NO_NEXT) return 'IPv6 no next header';
    if (l.upper === undefined) return l.nxt === undefined ? 'IPv6 header cut short' : 'IPv6 extension headers not decoded to the end';
    return `${ipProtoName(l.upper)} (${l.upper})`;
  },
  tree(l, packet) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, IPV6.version, l.version, o, 1, { label: `${(l.version >>> 0).toString(2).padStart(4, '0')} .... = Version: ${l.version}` });
    if (l.bogus) return text(`Internet Protocol Version 6, Bogus IPv6 version (${l.version}, must be 6)`, c, o, l.length);
    add(c, IPV6.tclass, l.trafficClass, o, 2);
    add(c, IPV6.flow, l.flowLabel, o + 1, 3);
    add(c, IPV6.plen, l.payloadLength, o + 4, 2);
    add(c, IPV6.nxt, l.nxt, o + 6, 1);
    add(c, IPV6.hlim, l.hopLimit, o + 7, 1);
    add(c, IPV6.src, l.src, o + 8, 16);
    add(c, IPV6.dst, l.dst, o + 24, 16);
    for (const h of l.ext) c.push(extNode(h));
    const note = payloadNote(l.payload);
    if (note) c.push(note);
    if (l.reassembly) c.push(...reassemblyNodes('IPv6', l.reassembly, packet, IPV6));
    const addrs = l.src && l.dst ? `, Src: ${formatIpv6(l.src)}, Dst: ${formatIpv6(l.dst)}` : '';
    return text(`Internet Protocol Version 6${addrs}`, c, o, l.length);
  },
};

export const IP_DESCRIBERS: Describers = { ip, ipv6 };
