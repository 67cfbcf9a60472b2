import type { NatdFact, PacketFacts } from './facts.js';
import { IKEV1_HASH_ALGORITHMS, TIGER_HASH, ikev1HashForLength, natdHash, sameBytes } from './natd-hash.js';
import { packBytes, unpackBytes } from './hex.js';
import { Ipv4NatdHasher } from './fast-hash.js';
import { ipv4Of } from './lru.js';

/** The outcome of recomputing one message's NAT-D hashes from the addresses seen at the capture point. */
export interface NatdCheck {
  readonly frame: number;
  readonly fromInitiator: boolean;
  /** Destination hash equals hash(observed dst, dport). Undefined when the message has none. */
  readonly dstOk?: boolean;
  /** Some source hash equals hash(observed src, sport). Undefined when the message has none. */
  readonly srcOk?: boolean;
  /** A source hash equals hash(observed src, port 0): libreswan's forced-encapsulation form. */
  readonly srcPortZero: boolean;
  /** Hash algorithm used (node name), or undefined when none could be used. */
  readonly algorithm?: string;
  readonly lengthMismatch: boolean;
  readonly unverifiable: boolean;
  readonly sourceCount: number;
  readonly destinationCount: number;
  /** The packet's UDP checksum is wrong while its IPv4 header checksum is right: edited after sending. */
  readonly rewritten: boolean;
  /** What a private-address search needs: the sender's source hashes and the SPIs they cover. */
  readonly sourceHashes: readonly Uint8Array[];
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly ipv4: boolean;
}

type MutableNatdCheck = { -readonly [K in keyof NatdCheck]: NatdCheck[K] };

export interface NatdInput {
  readonly frame: number;
  readonly fromInitiator: boolean;
  readonly ikeVersion: 1 | 2;
  readonly ispi: Uint8Array;
  readonly rspi: Uint8Array;
  readonly srcAddr: Uint8Array;
  readonly srcPort: number;
  readonly dstAddr: Uint8Array;
  readonly dstPort: number;
  readonly natd: readonly NatdFact[];
  /** IKEv1: the Phase-1 hash attribute the responder chose, when seen. */
  readonly negotiatedHash?: number;
  readonly rewritten?: boolean;
}

/** The NAT-D check input for an IKE message as seen at the capture point. */
export function natdInputOf(p: PacketFacts, fromInitiator: boolean, negotiatedHash: number | undefined): NatdInput | undefined {
  const ike = p.ike;
  if (!ike) return undefined;
  return {
    frame: p.frame,
    fromInitiator,
    ikeVersion: ike.ikeVersion,
    ispi: ike.ispi,
    rspi: ike.rspi,
    srcAddr: p.srcAddr,
    srcPort: p.src.port,
    dstAddr: p.dstAddr,
    dstPort: p.dst.port,
    natd: ike.natd,
    rewritten: p.udp?.checksumStatus === 'bad' && p.udp.checksum !== p.udp.pseudoHeaderSum && p.ipChecksum === 'good',
    ...(negotiatedHash !== undefined ? { negotiatedHash } : {}),
  };
}

/**
 * Recomputes NAT-D for one message. IKEv1 (RFC 3947 §3.2): HASH(CKY-I|CKY-R|IP|port) with the
 * negotiated hash; the first payload is the destination, the rest the sender's candidates.
 * IKEv2 (RFC 7296 §2.23): SHA-1(SPIi|SPIr|IP|port) with SPIr as in the header (zero in the
 * IKE_SA_INIT request); notify 16388 = source, 16389 = destination.
 */
export function checkNatd(m: NatdInput): NatdCheck {
  const dst: NatdFact[] = [];
  const src: NatdFact[] = [];
  for (let i = 0; i < m.natd.length; i++) {
    const n = m.natd[i]!;
    if (m.ikeVersion === 1) (i === 0 ? dst : src).push(n);
    else if (n.kind === 'v2-destination') dst.push(n);
    else if (n.kind === 'v2-source') src.push(n);
  }
  let algorithm: string | undefined;
  let lengthMismatch = false;
  let unverifiable = false;
  if (m.ikeVersion === 2) algorithm = 'sha1';
  else if (m.negotiatedHash !== undefined) {
    const alg = IKEV1_HASH_ALGORITHMS[m.negotiatedHash];
    if (alg) algorithm = alg.node;
    else unverifiable = true; // Tiger or unknown
  } else {
    const first = m.natd[0];
    const byLength = first ? ikev1HashForLength(first.hash.length) : undefined;
    if (byLength !== undefined) algorithm = IKEV1_HASH_ALGORITHMS[byLength]!.node;
    else unverifiable = true;
  }
  const expectedLength = m.ikeVersion === 2 ? 20 : m.negotiatedHash !== undefined ? IKEV1_HASH_ALGORITHMS[m.negotiatedHash]?.bytes : undefined;
  if (expectedLength !== undefined && m.natd.some((n) => n.hash.length !== expectedLength)) lengthMismatch = true;
  if (m.ikeVersion === 1 && m.negotiatedHash === TIGER_HASH) unverifiable = true;

  const sourceHashes = src.map((n) => n.hash);
  if (!algorithm || unverifiable) {
    return { frame: m.frame, fromInitiator: m.fromInitiator, lengthMismatch, unverifiable: true, sourceCount: src.length, destinationCount: dst.length, rewritten: m.rewritten === true, sourceHashes, spiI: m.ispi, spiR: m.rspi, ipv4: m.srcAddr.length === 4, srcPortZero: false };
  }
  const matches = natdMatcher(algorithm, m);
  // The properties in the order they always had: dstOk / srcOk only when the message has such hashes.
  const check: Omit<MutableNatdCheck, 'srcPortZero'> & { srcPortZero?: boolean } = {
    frame: m.frame,
    fromInitiator: m.fromInitiator,
    lengthMismatch,
    unverifiable,
    sourceCount: src.length,
    destinationCount: dst.length,
    rewritten: m.rewritten === true,
    sourceHashes,
    spiI: m.ispi,
    spiR: m.rspi,
    ipv4: m.srcAddr.length === 4,
    algorithm,
  };
  if (dst.length) check.dstOk = matches(dst, m.dstAddr, m.dstPort);
  if (src.length) check.srcOk = matches(src, m.srcAddr, m.srcPort);
  check.srcPortZero = matches(src, m.srcAddr, 0);
  return check as NatdCheck;
}

/**
 * Whether some hash in a list equals HASH(SPIi | SPIr | address | port). IPv4 with SHA-1 or MD5
 * and 8-byte SPIs (every IKEv2 message, most IKEv1 ones) goes through the single-block hasher of
 * fast-hash.ts, without allocating: 3 hashes of a message cost ~1 µs there against ~8 µs through
 * node:crypto. Anything else through node:crypto.
 */
function natdMatcher(algorithm: string, m: NatdInput): (list: readonly NatdFact[], address: Uint8Array, port: number) => boolean {
  if ((algorithm === 'sha1' || algorithm === 'md5') && m.ispi.length === 8 && m.rspi.length === 8 && m.srcAddr.length === 4 && m.dstAddr.length === 4) {
    const hasher = new Ipv4NatdHasher(algorithm, m.ispi, m.rspi);
    return (list, address, port) => {
      const ip = ipv4Of(address);
      for (const n of list) if (hasher.matches(ip, port, n.hash)) return true;
      return false;
    };
  }
  return (list, address, port) => {
    if (list.length === 0) return false;
    const h = natdHash(algorithm, m.ispi, m.rspi, address, port);
    return list.some((n) => sameBytes(n.hash, h));
  };
}

/** What the verdict reads of a NAT-D check: `NatdCheck` and the stored `NatdRecord` both provide it. */
export interface NatdOutcome {
  readonly frame: number;
  readonly dstOk?: boolean | undefined;
  readonly srcOk?: boolean | undefined;
  readonly srcPortZero: boolean;
}

/** What a private-address search needs: the sender's source hashes and the SPIs they cover. */
export interface NatdRecoveryInput {
  readonly algorithm?: string | undefined;
  readonly ipv4: boolean;
  readonly sourceHashes: readonly Uint8Array[];
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
}

/** Source hashes a NatdRecord keeps for a search (a message normally has one or two). */
const MAX_SEARCH_HASHES = 8;

const DIGEST_BYTES: Readonly<Record<string, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

const R_FROM_INITIATOR = 1;
const R_DST_SEEN = 2;
const R_DST_OK = 4;
const R_SRC_SEEN = 8;
const R_SRC_OK = 16;
const R_SRC_PORT_ZERO = 32;
const R_LENGTH_MISMATCH = 64;
const R_UNVERIFIABLE = 128;
const R_REWRITTEN = 256;
const R_IPV4 = 512;

/**
 * A `NatdCheck` as an IKE SA keeps it until the end of the capture: its outcome as bits, and the
 * hashes and SPIs a private-address search needs packed into one flat string, kept only when a
 * search can use them (the source hashes matched nothing, IPv4, a known algorithm; only hashes of
 * that algorithm's length, which are the only ones a search tries, and at most 8 of them).
 * ~100 bytes instead of ~1 KB.
 */
export class NatdRecord implements NatdOutcome {
  private constructor(
    readonly frame: number,
    private readonly bits: number,
    readonly algorithm: string | undefined,
    readonly sourceCount: number,
    readonly destinationCount: number,
    /** packBytes([spiI, spiR, ...hashes]) or undefined. */
    private readonly searchData: string | undefined,
  ) {}

  static of(c: NatdCheck): NatdRecord {
    const bits =
      (c.fromInitiator ? R_FROM_INITIATOR : 0) |
      (c.dstOk !== undefined ? R_DST_SEEN | (c.dstOk ? R_DST_OK : 0) : 0) |
      (c.srcOk !== undefined ? R_SRC_SEEN | (c.srcOk ? R_SRC_OK : 0) : 0) |
      (c.srcPortZero ? R_SRC_PORT_ZERO : 0) |
      (c.lengthMismatch ? R_LENGTH_MISMATCH : 0) |
      (c.unverifiable ? R_UNVERIFIABLE : 0) |
      (c.rewritten ? R_REWRITTEN : 0) |
      (c.ipv4 ? R_IPV4 : 0);
    let searchData: string | undefined;
    const digest = c.algorithm !== undefined ? DIGEST_BYTES[c.algorithm] : undefined;
    if (c.srcOk === false && !c.srcPortZero && c.ipv4 && digest !== undefined && c.spiI.length <= 255 && c.spiR.length <= 255) {
      const hashes = c.sourceHashes.filter((h) => h.length === digest).slice(0, MAX_SEARCH_HASHES);
      if (hashes.length) searchData = packBytes([c.spiI, c.spiR, ...hashes]);
    }
    return new NatdRecord(c.frame, bits, c.algorithm, c.sourceCount, c.destinationCount, searchData);
  }

  get fromInitiator(): boolean {
    return (this.bits & R_FROM_INITIATOR) !== 0;
  }
  get dstOk(): boolean | undefined {
    return (this.bits & R_DST_SEEN) !== 0 ? (this.bits & R_DST_OK) !== 0 : undefined;
  }
  get srcOk(): boolean | undefined {
    return (this.bits & R_SRC_SEEN) !== 0 ? (this.bits & R_SRC_OK) !== 0 : undefined;
  }
  get srcPortZero(): boolean {
    return (this.bits & R_SRC_PORT_ZERO) !== 0;
  }
  get lengthMismatch(): boolean {
    return (this.bits & R_LENGTH_MISMATCH) !== 0;
  }
  get unverifiable(): boolean {
    return (this.bits & R_UNVERIFIABLE) !== 0;
  }
  get rewritten(): boolean {
    return (this.bits & R_REWRITTEN) !== 0;
  }
  get ipv4(): boolean {
    return (this.bits & R_IPV4) !== 0;
  }

  /** The private-address search input, when one can find something (see the class comment). */
  searchInput(): NatdRecoveryInput | undefined {
    if (this.searchData === undefined) return undefined;
    const [spiI, spiR, ...sourceHashes] = unpackBytes(this.searchData);
    return { algorithm: this.algorithm, ipv4: this.ipv4, sourceHashes, spiI: spiI!, spiR: spiR! };
  }
}

export type NatSide = 'behind-nat' | 'not-behind-nat' | 'unknown';
/** Where the capture sits relative to a peer's NAT: inside (between the peer and its NAT) or outside. */
export type CapturePosition = 'inside' | 'outside' | 'both-sides' | 'no-nat' | 'unknown';

/** Everything known about one peer's address, from NAT-D and from its behaviour. */
export interface PeerEvidence {
  readonly role: 'initiator' | 'responder';
  /** The peer's own NAT-D message (its source hash), and the other peer's reply (its destination hash for this peer). */
  readonly own?: NatdOutcome;
  readonly peerView?: NatdOutcome;
  /** This peer sent NAT keepalives (a daemon does so when it finds itself behind a NAT). */
  readonly keepalives: boolean;
  /** This peer's IKE came from a port that is not an IKE or NAT-T port. */
  readonly portTranslated: boolean;
  /** The same SA came from a new address or port of this peer. */
  readonly rebinding: boolean;
  /** The address the capture sees for this peer is private (RFC 1918, RFC 6598, ULA, link-local). */
  readonly addressPrivate: boolean;
  /**
   * Searches for the private address and port whose hash equals the peer's source NAT-D
   * (natd-search.ts). Called only when nothing cheaper tells a NAT from a faked hash.
   */
  readonly recover?: () => { readonly address: string; readonly port: number } | undefined;
  /** The SA was watched long enough after the float that a NATed daemon would have sent a keepalive. */
  readonly idleLongEnough: boolean;
}

export interface SideVerdict {
  readonly nat: NatSide;
  readonly where: CapturePosition;
  readonly faked: boolean;
  readonly reasoning: readonly string[];
  readonly recovered?: { readonly address: string; readonly port: number };
}

/**
 * One peer's NAT status at one capture point (../shared/NATT-REFERENCE.md §2.4). `before`: the
 * peer's own source hash does not match the source the capture sees, so its address changed
 * between it and the capture point (capture outside its NAT). `after`: the other peer's view of
 * this peer differs from what the capture sees (a NAT between the capture point and the other
 * peer; capture inside). A source hash that matches nothing may also be a fake (§2.3): libreswan
 * hashes port 0 (recomputed), strongSwan hashes a random address with port 0 when UDP
 * encapsulation is forced or its source is %any. A fake is told from a NAT by a recovered
 * private address, or by signs of translation (keepalives, translated ports, rebinding).
 */
export function sideVerdict(e: PeerEvidence): SideVerdict {
  const who = e.role;
  const reasoning: string[] = [];
  let ownOk = e.own?.srcOk;
  let faked = false;
  if (e.own?.srcPortZero) {
    faked = true;
    ownOk = true;
    reasoning.push(`frame ${e.own.frame}: the ${who}'s source NAT-D hashes its address with port 0 (libreswan forced encapsulation)`);
  }
  const before = ownOk === undefined ? undefined : !ownOk;
  const after = e.peerView?.dstOk === undefined ? undefined : !e.peerView.dstOk;
  const ownFrame = e.own?.frame;
  const viewFrame = e.peerView?.frame;
  if (before && after) {
    if (e.addressPrivate) {
      reasoning.push(
        `frame ${viewFrame}: the other peer sees the ${who} at another address than the private one seen here: the capture is inside the ${who}'s NAT; the ${who}'s source NAT-D (frame ${ownFrame}) matches no address, as when strongSwan fakes it (forced encapsulation or source %any)`,
      );
      return { nat: 'behind-nat', where: 'inside', faked: true, reasoning };
    }
    reasoning.push(`frames ${ownFrame}/${viewFrame}: the ${who}'s address is translated on both sides of the capture point (two NATs), or its NAT-D was rewritten`);
    return { nat: 'behind-nat', where: 'both-sides', faked, reasoning };
  }
  if (before) {
    const signs = [
      e.keepalives ? 'it sends NAT keepalives' : '',
      e.portTranslated ? 'its source port was translated' : '',
      e.rebinding ? 'its NAT mapping changed during the SA' : '',
    ].filter(Boolean);
    // The private-address search costs CPU: only when nothing cheaper decides.
    const recovered = signs.length ? undefined : e.recover?.();
    if (recovered) signs.push(`its source NAT-D hashes the private address ${recovered.address}:${recovered.port}`);
    if (signs.length) {
      reasoning.push(`frame ${ownFrame}: the ${who}'s source NAT-D does not hash the source seen here, and ${signs.join(', ')}: the ${who} is behind a NAT and the capture is outside it`);
      return { nat: 'behind-nat', where: 'outside', faked, reasoning, ...(recovered ? { recovered } : {}) };
    }
    reasoning.push(
      `frame ${ownFrame}: the ${who}'s source NAT-D matches no address, while ${after === false ? `the other peer sees it where the capture does (frame ${viewFrame}) and ` : ''}no translation is otherwise seen (no private address recovered, standard ports, no keepalives, no rebinding): a faked hash forcing UDP encapsulation (strongSwan encap=yes or kernel-libipsec)` +
        (e.idleLongEnough ? '; the SA stayed idle long enough that a NATed peer would have sent keepalives, so no NAT is assumed' : '; whether a port-preserving NAT also sits between the ' + who + ' and this capture point cannot be told from this capture'),
    );
    return { nat: e.idleLongEnough ? 'not-behind-nat' : 'unknown', where: e.idleLongEnough ? 'no-nat' : 'unknown', faked: true, reasoning };
  }
  if (after) {
    reasoning.push(`frame ${viewFrame}: the other peer's view of the ${who} differs from what the capture sees: a NAT between the capture point and the other peer translates the ${who}; the capture is inside the ${who}'s NAT`);
    return { nat: 'behind-nat', where: 'inside', faked, reasoning };
  }
  if (before === false && after === false) return { nat: 'not-behind-nat', where: 'no-nat', faked, reasoning };
  return { nat: 'unknown', where: 'unknown', faked, reasoning };
}

export interface NatVerdict {
  readonly initiator: NatSide;
  readonly responder: NatSide;
  readonly forcedEncapsulation: boolean;
  readonly capturePoint: { readonly initiatorNat: CapturePosition; readonly responderNat: CapturePosition };
  readonly reasoning: readonly string[];
  readonly evidenceFrames: readonly number[];
  readonly recovered: { readonly initiator?: { address: string; port: number }; readonly responder?: { address: string; port: number } };
}

export function natVerdict(initiator: PeerEvidence, responder: PeerEvidence): NatVerdict {
  const i = sideVerdict(initiator);
  const r = sideVerdict(responder);
  const frames = [initiator.own?.frame, responder.own?.frame].filter((f): f is number => f !== undefined);
  return {
    initiator: i.nat,
    responder: r.nat,
    forcedEncapsulation: i.faked || r.faked,
    capturePoint: { initiatorNat: i.where, responderNat: r.where },
    reasoning: [...i.reasoning, ...r.reasoning],
    evidenceFrames: [...new Set(frames)].sort((a, b) => a - b),
    recovered: {
      ...(i.recovered ? { initiator: i.recovered } : {}),
      ...(r.recovered ? { responder: r.recovered } : {}),
    },
  };
}
