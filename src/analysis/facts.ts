import type { IcmpQuote } from './icmp-quote.js';

/**
 * What the analysis needs from one decoded packet, independent of how the decoders lay their
 * layers out. `packet-facts.ts` is the only code that reads layers; everything else in
 * analysis/ works on these facts. Byte arrays here are copies: they outlive their frame.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** The same address and port (false when either is missing). */
export function sameEndpoint(a: Endpoint | undefined, b: Endpoint | undefined): boolean {
  return a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
}

export function endpointKey(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** How an IKE message reached UDP. */
export type IkeCarrier =
  | 'ike-port' // configured IKE port, no marker (500)
  | 'natt-port' // configured NAT-T port, behind the non-ESP marker (4500)
  | 'natt-port-no-marker' // NAT-T port but no marker: RFC 3948 §2.2 violation
  | 'shape'; // other ports, recognised by shape

export interface VendorIdFact {
  readonly hex: string;
  readonly name?: string;
  /** Set for NAT-T vendor IDs: "RFC 3947", "draft-ietf-ipsec-nat-t-ike-02\n", ... */
  readonly nattMethod?: string;
}

export interface NatdFact {
  /** IKEv1 payload 20 / draft 130 / early draft 15 (first = destination, rest = source); IKEv2 notify 16388/16389. */
  readonly kind: 'v1' | 'v1-draft' | 'v1-early-draft' | 'v2-source' | 'v2-destination';
  readonly hash: Uint8Array;
}

export interface NatOaFact {
  readonly payloadType: number;
  readonly address: string;
}

export interface IkeMessageFacts {
  readonly ikeVersion: 1 | 2;
  readonly ispi: Uint8Array;
  readonly rspi: Uint8Array;
  readonly exchangeType: number;
  readonly messageId: number;
  readonly length: number;
  readonly flags: number;
  /** IKEv2 I flag: sent by the original initiator. Undefined for IKEv1. */
  readonly fromOriginalInitiator?: boolean;
  /** IKEv2 R flag. Undefined for IKEv1. */
  readonly isResponse?: boolean;
  /** IKEv1 E flag or an IKEv2 SK/SKF payload: the body is opaque without keys. */
  readonly encrypted: boolean;
  readonly carrier: IkeCarrier;
  readonly vendorIds: readonly VendorIdFact[];
  readonly natd: readonly NatdFact[];
  readonly natOa: readonly NatOaFact[];
  /** IKEv1 Phase-1 SA: hash attribute values of the transforms offered (one when chosen). */
  readonly phase1Hashes: readonly number[];
  /** Encapsulation-mode attribute values in cleartext SA payloads (IKEv1 QM when visible). */
  readonly encapModes: readonly number[];
  /** Child SA SPIs in cleartext SA payloads (protocol 3 = ESP, 2 = AH), lowercase hex. */
  readonly childSpis: readonly { readonly spi: string; readonly protocol: number }[];
  readonly notifyTypes: readonly number[];
  readonly hasSa: boolean;
  /** Protocol-id/SPI pairs deleted by Delete payloads in clear. */
  readonly deletedSpis: readonly string[];
}

export type UdpEncapKind = 'keepalive' | 'esp' | 'ike' | 'other';

export interface PacketFacts {
  readonly frame: number;
  /** Seconds since the epoch, as a float (analysis does not need ns precision). */
  readonly time: number;
  readonly ipVersion: 4 | 6;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly srcAddr: Uint8Array;
  readonly dstAddr: Uint8Array;
  /** Outermost IP protocol carrying the interesting payload (17 UDP, 50 ESP, 51 AH, 47 GRE, 6 TCP). */
  readonly ipProto: number;
  readonly ipChecksum: 'good' | 'bad' | 'unverified';
  /** The IPv4 header checksum field as captured (0 from a host that leaves it to the NIC). */
  readonly ipChecksumValue?: number;
  readonly udp?: {
    readonly checksumStatus: 'good' | 'bad' | 'absent' | 'unverified';
    readonly checksum: number;
    /** The folded pseudo-header sum: what a host with checksum offload leaves in the field. */
    readonly pseudoHeaderSum: number;
  };
  readonly tcpChecksum?: 'good' | 'bad' | 'unverified';
  readonly ike?: IkeMessageFacts;
  readonly encap?: { readonly kind: UdpEncapKind; readonly onNattPort: boolean; readonly nonIkeMarker: boolean; readonly keepaliveValid: boolean };
  readonly esp?: { readonly spi: number; readonly sequence: number; readonly length: number; readonly inUdp: boolean };
  readonly ah?: { readonly spi: number; readonly sequence: number };
  readonly l2tp?: boolean;
  /** On an IKE port, a payload that is not IKE (unknown ISAKMP version): its first word, as an ESP SPI. */
  readonly espOnIkePort?: number;
  readonly pptp?: 'control' | 'gre';
  readonly malformed: boolean;
  /** The IP datagram came in fragments (reassembled here, or its first fragment decoded on its own). */
  readonly fragmented?: boolean;
  /** An IP fragment kept for reassembly (nothing above IP decoded from this frame yet). */
  readonly heldFragment?: boolean;
  /** An ICMP error quoting an IPsec or IKE packet (its own addresses are `src`/`dst`). */
  readonly icmpError?: IcmpQuote;
  /** Decode expert ids raised on this frame (for rolling up into findings). */
  readonly expertIds: readonly string[];
}
