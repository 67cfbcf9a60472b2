import type { Packet } from '../decode/packet.js';
import { icmpQuote } from './icmp-quote.js';
import type { AnyLayer, DecodeConfig } from '../decode/layer.js';
import type { IpLayer } from '../decode/ip/ipv4.js';
import type { Ipv6Layer } from '../decode/ip/ipv6.js';
import type { UdpLayer } from '../decode/transport/udp.js';
import type { UdpEncapLayer } from '../decode/transport/udpencap.js';
import type { IsakmpLayer } from '../decode/isakmp/types.js';
import { pseudoHeaderSum } from '../decode/transport/pseudo.js';
import { formatIpv4, formatIpv6 } from '../decode/tree.js';
import type { IkeCarrier, PacketFacts } from './facts.js';
import { ikeFacts } from './ike-facts.js';

const CHECKSUM_BAD = 0;
const CHECKSUM_GOOD = 1;
const CHECKSUM_NOT_PRESENT = 3;
const CHECKSUM_ILLEGAL = 4;

/** Minimal views of layers whose modules the analysis only needs a few fields from. */
interface SpiSeqLayer {
  readonly spi: number | undefined;
  readonly sequence: number | undefined;
}

function u32Bytes(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * On an IKE port, a payload that is neither IKE (no ISAKMP layer, or one of an unknown version)
 * nor the drafts' marked form: its first 32-bit word, which an ESP packet would carry as its SPI.
 */
function notIkeFirstWord(packet: Packet, udp: UdpLayer, isakmp: IsakmpLayer | undefined): number | undefined {
  if (isakmp && (isakmp.header === undefined || isakmp.ikeVersion !== undefined)) return undefined;
  if (udp.reassembled || udp.payloadLength < 8) return undefined;
  const at = udp.offset + 8;
  const b = packet.frame.data;
  if (at + 4 > b.length) return undefined;
  const word = ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
  return word === 0 ? undefined : word;
}

/**
 * Reads what the analysis needs from one decoded packet: the outer IP endpoints, UDP
 * encapsulation, IKE, ESP, AH, checksum status. The only analysis code that knows layer shapes.
 * Returns undefined for packets without IP (ARP, undecodable link types).
 */
export function packetFacts(packet: Packet, config: DecodeConfig): PacketFacts | undefined {
  const layers = packet.layers;
  let ip: IpLayer | Ipv6Layer | undefined;
  let udp: UdpLayer | undefined;
  let encap: UdpEncapLayer | undefined;
  let isakmp: IsakmpLayer | undefined;
  let esp: (AnyLayer & SpiSeqLayer) | undefined;
  let ah: (AnyLayer & SpiSeqLayer) | undefined;
  let tcpStatus: number | undefined;
  let tcpPorts: [number, number] | undefined;
  let gre = false;
  let l2tp = false;
  let malformed = false;
  let icmp = false;
  for (const l of layers) {
    if (l.status === 'malformed') malformed = true;
    // Layers after an ICMP header are the quoted packet of an ICMP error, not traffic.
    if (l.proto === 'icmp' || l.proto === 'icmpv6') {
      icmp = true;
      break;
    }
    switch (l.proto as string) {
      case 'ip':
      case 'ipv6':
        // The outermost IP carries the addresses a NAT rewrites; inner ones belong to tunnels.
        ip ??= l as IpLayer | Ipv6Layer;
        break;
      case 'udp':
        udp ??= l as UdpLayer;
        break;
      case 'udpencap':
        encap ??= l as UdpEncapLayer;
        break;
      case 'isakmp':
        isakmp ??= l as IsakmpLayer;
        break;
      case 'esp':
        esp ??= l as AnyLayer & SpiSeqLayer;
        break;
      case 'ah':
        ah ??= l as AnyLayer & SpiSeqLayer;
        break;
      case 'tcp': {
        const t = l as AnyLayer & { checksumStatus?: number; srcPort?: number; dstPort?: number };
        tcpStatus = t.checksumStatus;
        if (t.srcPort !== undefined && t.dstPort !== undefined) tcpPorts = [t.srcPort, t.dstPort];
        break;
      }
      case 'gre':
        gre = true;
        break;
      case 'l2tp':
        l2tp = true;
        break;
      default:
        break;
    }
  }
  if (!ip || ip.src === undefined || ip.dst === undefined) return undefined;
  const v4 = ip.proto === 'ip';
  const srcAddr = v4 ? u32Bytes(ip.src as number) : Uint8Array.from(ip.src as Uint8Array);
  const dstAddr = v4 ? u32Bytes(ip.dst as number) : Uint8Array.from(ip.dst as Uint8Array);
  const srcText = v4 ? formatIpv4(ip.src as number) : formatIpv6(srcAddr);
  const dstText = v4 ? formatIpv4(ip.dst as number) : formatIpv6(dstAddr);
  const sport = udp?.srcPort ?? tcpPorts?.[0] ?? 0;
  const dport = udp?.dstPort ?? tcpPorts?.[1] ?? 0;
  const ipProto = v4 ? (ip as IpLayer).protocol ?? 0 : (ip as Ipv6Layer).upper ?? 0;
  const onNatt = udp !== undefined && (config.nattPorts.includes(sport) || config.nattPorts.includes(dport));
  const onIke = udp !== undefined && (config.ikePorts.includes(sport) || config.ikePorts.includes(dport));

  let carrier: IkeCarrier = 'shape';
  if (encap?.kind === 'ike') carrier = onNatt ? 'natt-port' : 'shape';
  else if (onNatt) carrier = 'natt-port-no-marker';
  else if (onIke) carrier = 'ike-port';
  const ike = isakmp && udp ? ikeFacts(isakmp, carrier) : undefined;
  const icmpError = icmp ? icmpQuote(packet) : undefined;
  const espOnIkePort = carrier === 'ike-port' && !encap ? notIkeFirstWord(packet, udp!, isakmp) : undefined;

  let udpFacts: PacketFacts['udp'];
  if (udp && udp.checksum !== undefined && udp.udpLength !== undefined) {
    const status = udp.checksumStatus;
    const pseudo = pseudoHeaderSum(ip, 17, udp.udpLength);
    udpFacts = {
      checksumStatus: status === CHECKSUM_BAD ? 'bad' : status === CHECKSUM_GOOD ? 'good' : status === CHECKSUM_NOT_PRESENT || status === CHECKSUM_ILLEGAL ? 'absent' : 'unverified',
      checksum: udp.checksum,
      pseudoHeaderSum: pseudo === undefined ? -1 : fold(pseudo),
    };
  }
  const espFacts =
    esp && esp.spi !== undefined && esp.sequence !== undefined
      ? { spi: esp.spi, sequence: esp.sequence, length: packet.frame.originalLength, inUdp: udp !== undefined }
      : undefined;
  const pptp = gre ? ('gre' as const) : tcpPorts && (tcpPorts[0] === 1723 || tcpPorts[1] === 1723) ? ('control' as const) : undefined;
  const expertIds = packet.expert.map((e) => e.id as string);
  return {
    frame: packet.frame.number,
    time: packet.frame.tsSec + packet.frame.tsNsec / 1e9,
    ipVersion: v4 ? 4 : 6,
    src: { address: srcText, port: sport },
    dst: { address: dstText, port: dport },
    srcAddr,
    dstAddr,
    ipProto,
    ipChecksum: v4 ? ((ip as IpLayer).checksumStatus === CHECKSUM_BAD ? 'bad' : (ip as IpLayer).checksumStatus === CHECKSUM_GOOD ? 'good' : 'unverified') : 'unverified',
    ...(v4 && (ip as IpLayer).checksum !== undefined ? { ipChecksumValue: (ip as IpLayer).checksum! } : {}),
    ...(udpFacts ? { udp: udpFacts } : {}),
    ...(tcpStatus !== undefined ? { tcpChecksum: tcpStatus === CHECKSUM_BAD ? ('bad' as const) : tcpStatus === CHECKSUM_GOOD ? ('good' as const) : ('unverified' as const) } : {}),
    ...(ike ? { ike } : {}),
    ...(encap
      ? {
          encap: {
            kind: encap.kind === 'keepalive' ? 'keepalive' : encap.kind === 'esp' || encap.kind === 'non_ike' ? 'esp' : encap.kind === 'ike' ? 'ike' : 'other',
            onNattPort: onNatt,
            nonIkeMarker: encap.kind === 'non_ike',
            keepaliveValid: encap.kind === 'keepalive' && encap.keepaliveValue === 0xff && encap.payloadLength === 1,
          },
        }
      : {}),
    ...(espFacts ? { esp: espFacts } : {}),
    ...(ah && ah.spi !== undefined ? { ah: { spi: ah.spi, sequence: ah.sequence ?? 0 } } : {}),
    ...(l2tp ? { l2tp } : {}),
    ...(espOnIkePort !== undefined ? { espOnIkePort } : {}),
    ...(pptp ? { pptp } : {}),
    ...(ip.payload === 'reassembled' || ip.payload === 'partial' ? { fragmented: true } : {}),
    ...(ip.payload === 'held' && !icmp ? { heldFragment: true } : {}),
    ...(icmpError ? { icmpError } : {}),
    malformed,
    expertIds,
  };
}
