import type { NatdFact, PacketFacts } from './facts.js';
import { IKEV1_HASH_ALGORITHMS, TIGER_HASH, ikev1HashForLength, natdHash, sameBytes } from './natd-hash.js';
import { packBytes, unpackBytes } from './hex.js';
import { Ipv4NatdHasher, singleBlockDigest } from './fast-hash.js';
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
  /** The destination hash equals hash(observed dst, port 0): libreswan IKEv1 forced encapsulation hashes both with port 0. */
  readonly dstPortZero: boolean;
  /** The UDP source port the capture saw (a port-preserving NAT keeps it: the private-address search tries it). */
  readonly srcPort: number;
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
    return { frame: m.frame, fromInitiator: m.fromInitiator, lengthMismatch, unverifiable: true, sourceCount: src.length, destinationCount: dst.length, rewritten: m.rewritten === true, sourceHashes, spiI: m.ispi, spiR: m.rspi, ipv4: m.srcAddr.length === 4, srcPortZero: false, dstPortZero: false, srcPort: m.srcPort };
  }
  const matches = natdMatcher(algorithm, m);
  // The properties in the order they always had: dstOk / srcOk only when the message has such hashes.
  const check: Omit<MutableNatdCheck, 'srcPortZero' | 'dstPortZero'> & { srcPortZero?: boolean; dstPortZero?: boolean } = {
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
    srcPort: m.srcPort,
    algorithm,
  };
  if (dst.length) check.dstOk = matches(dst, m.dstAddr, m.dstPort);
  if (src.length) check.srcOk = matches(src, m.srcAddr, m.srcPort);
  check.srcPortZero = matches(src, m.srcAddr, 0);
  check.dstPortZero = check.dstOk === false && matches(dst, m.dstAddr, 0);
  return check as NatdCheck;
}

/**
 * Whether some hash in a list equals HASH(SPIi | SPIr | address | port). IPv4 with SHA-1, MD5 or
 * SHA-256 and 8-byte SPIs (every IKEv2 message, most IKEv1 ones) goes through the single-block
 * hasher of fast-hash.ts, without allocating: 3 hashes of a message cost ~1 µs there against ~8 µs
 * through node:crypto. Other inputs of at most one block (IPv6: 34 bytes) through the loop form
 * of the same compressions; anything else (SHA-384/512) through node:crypto.
 */
function natdMatcher(algorithm: string, m: NatdInput): (list: readonly NatdFact[], address: Uint8Array, port: number) => boolean {
  const fast = algorithm === 'sha1' || algorithm === 'md5' || algorithm === 'sha256' ? algorithm : undefined;
  if (fast && m.ispi.length === 8 && m.rspi.length === 8 && m.srcAddr.length === 4 && m.dstAddr.length === 4) {
    const hasher = new Ipv4NatdHasher(fast, m.ispi, m.rspi);
    return (list, address, port) => {
      const ip = ipv4Of(address);
      for (const n of list) if (hasher.matches(ip, port, n.hash)) return true;
      return false;
    };
  }
  if (fast && m.ispi.length + m.rspi.length + m.srcAddr.length + 2 <= 55 && m.ispi.length + m.rspi.length + m.dstAddr.length + 2 <= 55) {
    return (list, address, port) => {
      if (list.length === 0) return false;
      const message = new Uint8Array(m.ispi.length + m.rspi.length + address.length + 2);
      message.set(m.ispi, 0);
      message.set(m.rspi, m.ispi.length);
      message.set(address, m.ispi.length + m.rspi.length);
      message[message.length - 2] = port >> 8;
      message[message.length - 1] = port & 0xff;
      const h = singleBlockDigest(fast, message);
      return list.some((n) => sameBytes(n.hash, h));
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
  readonly dstPortZero?: boolean;
}

/** What a private-address search needs: the sender's source hashes, the SPIs they cover, the port it was seen from. */
export interface NatdRecoveryInput {
  readonly algorithm?: string | undefined;
  readonly ipv4: boolean;
  readonly sourceHashes: readonly Uint8Array[];
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  /** The UDP source port the capture saw; a port-preserving NAT (the only kind the search is asked about) kept it. */
  readonly sourcePort?: number;
}

/** What one private-address search (private-address.ts) did. */
export interface RecoveryOutcome {
  readonly found?: { readonly address: string; readonly port: number };
  /** Hashes computed. */
  readonly tried: number;
  /** Every candidate of the default list was tried without a match. */
  readonly exhausted: boolean;
  /** Why the search stopped short or did not run: switched off (`--natd-search-hashes 0`), or the capture's hash budget was spent. */
  readonly limited?: 'off' | 'budget';
  /** The ports tried. */
  readonly ports: readonly number[];
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
const R_DST_PORT_ZERO = 1024;

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
    /** The UDP source port of the message as seen. */
    readonly srcPort: number,
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
      (c.ipv4 ? R_IPV4 : 0) |
      (c.dstPortZero ? R_DST_PORT_ZERO : 0);
    let searchData: string | undefined;
    const digest = c.algorithm !== undefined ? DIGEST_BYTES[c.algorithm] : undefined;
    if (c.srcOk === false && !c.srcPortZero && c.ipv4 && digest !== undefined && c.spiI.length <= 255 && c.spiR.length <= 255) {
      const hashes = c.sourceHashes.filter((h) => h.length === digest).slice(0, MAX_SEARCH_HASHES);
      if (hashes.length) searchData = packBytes([c.spiI, c.spiR, ...hashes]);
    }
    return new NatdRecord(c.frame, bits, c.algorithm, c.sourceCount, c.destinationCount, c.srcPort, searchData);
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
  get dstPortZero(): boolean {
    return (this.bits & R_DST_PORT_ZERO) !== 0;
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
    return { algorithm: this.algorithm, ipv4: this.ipv4, sourceHashes, spiI: spiI!, spiR: spiR!, sourcePort: this.srcPort };
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
  /** Why `own` / `peerView` cannot be seen when the exchange carries them encrypted (IKEv1 Aggressive Mode message 3). */
  readonly ownHidden?: string;
  readonly peerViewHidden?: string;
  /** This peer sent NAT keepalives (a daemon does so when it finds itself behind a NAT). */
  readonly keepalives: boolean;
  /** This peer's IKE came from a port that is not an IKE or NAT-T port. */
  readonly portTranslated: boolean;
  /** The same SA came from a new address or port of this peer. */
  readonly rebinding: boolean;
  /** The address the capture sees for this peer is private (RFC 1918, RFC 6598, ULA, link-local). */
  readonly addressPrivate: boolean;
  /** The address the capture sees for the other peer is private. */
  readonly peerAddressPrivate: boolean;
  /**
   * Searches for the private address and port whose hash equals the peer's source NAT-D
   * (natd-search.ts), within the capture's hash budget. Called only when nothing cheaper tells a
   * NAT from a faked hash; undefined when the hash cannot be searched (IPv6, an unknown hash).
   */
  readonly recover?: () => RecoveryOutcome | undefined;
  /** The SA was watched long enough after the float that a NATed daemon would have sent a keepalive. */
  readonly idleLongEnough: boolean;
  /** The frame of the SA's float to the NAT-T port, if it floated. */
  readonly floatedAtFrame?: number;
}

export interface SideVerdict {
  readonly nat: NatSide;
  readonly where: CapturePosition;
  readonly faked: boolean;
  /** One sentence: why, naming the frames it rests on. */
  readonly because: string;
  readonly recovered?: { readonly address: string; readonly port: number };
  /**
   * What NAT-D showed at the capture point: the peer's address changed between the peer and the
   * capture (`before`) or between the capture and the other peer (`after`); undefined when not
   * visible. A port-0 fake counts as unchanged.
   */
  readonly before?: boolean;
  readonly after?: boolean;
}

/** What a private-address search that found nothing leaves open, as a clause. */
function searchClause(o: RecoveryOutcome | undefined): string {
  if (o === undefined) return 'its hash cannot be searched for a private address (IPv6, or a hash without a known algorithm)';
  if (o.limited === 'off') return 'the private-address search is off (--natd-search-hashes 0)';
  const ports = o.ports.join('/');
  if (o.exhausted) return `no address seen in the capture or in the common private ranges hashes to it with port ${ports}`;
  return `the capture's private-address search budget (--natd-search-hashes) ran out${o.tried ? ` after ${o.tried} hashes for it` : ' before it'}`;
}

/**
 * One peer's NAT status at one capture point (../shared/NATT-REFERENCE.md §2.4), from evidence
 * that depends only on the capture. `before`: the peer's own source hash does not match the
 * source the capture sees, so its address changed between it and the capture point (capture
 * outside its NAT). `after`: the other peer's view of this peer differs from what the capture
 * sees (a NAT between the capture point and the other peer; capture inside). A source hash that
 * matches nothing may also be a fake (§2.3): libreswan hashes port 0 (recomputed), strongSwan
 * hashes a random address with port 0 when UDP encapsulation is forced or its source is %any.
 * A fake is told from a NAT by signs of translation (keepalives, translated ports, rebinding);
 * only when none shows is the private-address search asked, and what it finds only adds
 * evidence. Where NAT-D is not visible (IKEv1 Aggressive Mode message 3 is encrypted; a
 * capture without the reply), the addresses decide what they can: a peer seen at a public
 * address that its own hash confirms is not translated on either side of the capture except by
 * a NAT mapping one public address to another; a peer seen at a private address talking to a
 * public one is translated beyond the capture. Whatever is left undecided is `unknown`, and the
 * sentence says why.
 */
export function sideVerdict(e: PeerEvidence): SideVerdict {
  const who = e.role;
  const notes: string[] = [];
  let faked = false;
  let ownOk = e.own?.srcOk;
  if (e.own?.srcPortZero) {
    faked = true;
    ownOk = true;
    notes.push(`the ${who}'s source NAT-D (frame ${e.own.frame}) hashes its address with port 0 (libreswan forced encapsulation)`);
  }
  let viewOk = e.peerView?.dstOk;
  if (e.peerView?.dstPortZero && viewOk === false) {
    faked = true;
    viewOk = true;
    notes.push(`the other peer's destination NAT-D for the ${who} (frame ${e.peerView.frame}) hashes port 0 (libreswan IKEv1 forced encapsulation)`);
  }
  const before = ownOk === undefined ? undefined : !ownOk;
  const after = viewOk === undefined ? undefined : !viewOk;
  const ownFrame = e.own?.frame;
  const viewFrame = e.peerView?.frame;
  const verdict = (nat: NatSide, where: CapturePosition, because: string, extra: { faked?: boolean; recovered?: { address: string; port: number } } = {}): SideVerdict => ({
    nat,
    where,
    faked: extra.faked ?? faked,
    because: [because, ...notes].join('; '),
    ...(extra.recovered ? { recovered: extra.recovered } : {}),
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
  const signs = [e.keepalives ? 'it sends NAT keepalives' : '', e.portTranslated ? 'its source port was translated' : '', e.rebinding ? 'its NAT mapping changed during the SA' : ''].filter(Boolean);
  const floated = e.floatedAtFrame !== undefined ? `; the float to the NAT-T port (frame ${e.floatedAtFrame}) says a NAT was detected or UDP encapsulation forced, not which` : '';

  if (before && after) {
    if (e.addressPrivate)
      return verdict(
        'behind-nat',
        'inside',
        `frame ${viewFrame}: the other peer sees the ${who} at another address than the private one seen here: the capture is inside the ${who}'s NAT; the ${who}'s source NAT-D (frame ${ownFrame}) matches no address, as when strongSwan fakes it (forced encapsulation or source %any)`,
        { faked: true },
      );
    return verdict('behind-nat', 'both-sides', `frames ${ownFrame}/${viewFrame}: the ${who}'s address is translated on both sides of the capture point (two NATs), or its NAT-D was rewritten`);
  }
  if (after)
    return verdict('behind-nat', 'inside', `frame ${viewFrame}: the other peer's view of the ${who} differs from what the capture sees: a NAT between the capture point and the other peer translates the ${who}; the capture is inside the ${who}'s NAT`);
  if (before) {
    // Seen at a private address talking to a public one: translated beyond the capture point, so
    // the capture is inside the peer's NAT, and a source hash that matches nothing here is a fake
    // (a non-standard source port seen here is then the host's own, not a translation).
    if (after === undefined && e.addressPrivate && !e.peerAddressPrivate)
      return verdict(
        'behind-nat',
        'inside',
        `frame ${ownFrame}: the capture sees the ${who} at a private address and the other peer at a public one, so a NAT between the capture point and the other peer translates the ${who} and the capture is inside its NAT (${e.peerViewHidden ?? `the other peer's NAT-D for the ${who} was not seen`}); its source NAT-D matches no address, as when strongSwan fakes it (forced encapsulation or source %any)`,
        { faked: true },
      );
    if (signs.length)
      return verdict('behind-nat', 'outside', `frame ${ownFrame}: the ${who}'s source NAT-D does not hash the source seen here, and ${signs.join(', ')}: the ${who} is behind a NAT and the capture is outside it`);
    // Nothing cheaper decides: the private-address search may add evidence.
    const search = e.recover?.();
    if (search?.found)
      return verdict(
        'behind-nat',
        'outside',
        `frame ${ownFrame}: the ${who}'s source NAT-D does not hash the source seen here, and its source NAT-D hashes the private address ${search.found.address}:${search.found.port}: the ${who} is behind a NAT and the capture is outside it`,
        { recovered: search.found },
      );
    const seenFine = after === false ? `the other peer sees it where the capture does (frame ${viewFrame}), ` : '';
    const open = `frame ${ownFrame}: the ${who}'s source NAT-D matches no address, while ${seenFine}no translation shows (standard ports, no keepalives, no rebinding) and ${searchClause(search)}`;
    if (e.idleLongEnough)
      return verdict(
        'not-behind-nat',
        'no-nat',
        `${open}; the SA stayed idle long enough that a NATed peer would have sent keepalives (RFC 3948 section 4), so the hash is a fake forcing UDP encapsulation (strongSwan encap=yes or kernel-libipsec) and no NAT is assumed`,
        { faked: true },
      );
    return verdict(
      'unknown',
      'unknown',
      `${open}: a faked hash forcing UDP encapsulation (strongSwan encap=yes or kernel-libipsec) and a port-preserving NAT between the ${who} and the capture point look the same here, and the capture ends before a NATed peer's keepalive would be due`,
      { faked: true },
    );
  }
  if (before === false && after === false)
    return verdict('not-behind-nat', 'no-nat', `frames ${ownFrame}/${viewFrame}: the ${who}'s own source NAT-D and the other peer's view of it both match the address seen here: no NAT translates it`);
  if (before === false) {
    const hidden = e.peerViewHidden ?? `the other peer's NAT-D for the ${who} was not seen`;
    // Keepalives: the peer's daemon found the other peer's view of it changed (RFC 3947 section 3.2), and not before the capture point.
    if (e.keepalives)
      return verdict(
        'behind-nat',
        'inside',
        `frame ${ownFrame}: the ${who}'s source NAT-D matches the address seen here (no NAT between it and the capture point), and it sends NAT keepalives, which a daemon does when the other peer sees it elsewhere: a NAT between the capture point and the other peer translates it (${hidden})`,
      );
    if (e.addressPrivate && !e.peerAddressPrivate)
      return verdict(
        'behind-nat',
        'inside',
        `frame ${ownFrame}: the ${who}'s source NAT-D matches the private address seen here and the other peer's address is public: a NAT between the capture point and the other peer translates it, and the capture is inside the ${who}'s NAT (${hidden})`,
      );
    if (!e.addressPrivate)
      return verdict(
        'not-behind-nat',
        'no-nat',
        `frame ${ownFrame}: the ${who}'s source NAT-D matches the public address seen here, so nothing translates it between it and the capture point, and a NAT beyond would have to map one public address to another (${hidden})`,
      );
    return verdict(
      'unknown',
      'unknown',
      `frame ${ownFrame}: the ${who}'s source NAT-D matches the private address seen here (no NAT between it and the capture point), but ${hidden} and the other peer's address is private too: a NAT between the capture point and the other peer cannot be ruled out`,
    );
  }
  if (after === false) {
    const hidden = e.ownHidden ?? `no source NAT-D of the ${who} was seen`;
    if (signs.length)
      return verdict('behind-nat', 'outside', `frame ${viewFrame}: the other peer sees the ${who} where the capture does, and ${signs.join(', ')}: a NAT between the ${who} and the capture point translates it, and the capture is outside it (${hidden})`);
    return verdict(
      'unknown',
      'unknown',
      `frame ${viewFrame}: the other peer sees the ${who} where the capture does (no NAT between the capture point and the other peer), but ${hidden}, and nothing else shows a translation before the capture point (standard ports, no keepalives, no rebinding)${floated}`,
    );
  }
  const none = [e.ownHidden, e.peerViewHidden].filter((x): x is string => x !== undefined).join(', and ') || `no NAT-D from or about the ${who} was seen`;
  if (e.addressPrivate && !e.peerAddressPrivate)
    return verdict('behind-nat', 'inside', `${none}, but the capture sees the ${who} at a private address and the other peer at a public one: a NAT between the capture point and the other peer translates it, and the capture is inside the ${who}'s NAT`);
  if (e.keepalives)
    return verdict(
      'behind-nat',
      e.portTranslated ? 'outside' : 'unknown',
      `${none}, but it sends NAT keepalives, which a daemon does when it finds itself behind a NAT${e.portTranslated ? ', and its source port was translated before the capture point' : ''}`,
    );
  return verdict('unknown', 'unknown', `${none}${signs.length ? ` (${signs.join(', ')}, which alone does not show a NAT)` : ''}: nothing in this capture tells whether a NAT translates the ${who}${floated}`);
}

export interface NatVerdict {
  readonly initiator: NatSide;
  readonly responder: NatSide;
  readonly forcedEncapsulation: boolean;
  readonly capturePoint: { readonly initiatorNat: CapturePosition; readonly responderNat: CapturePosition };
  /** Two sentences: why the initiator's verdict, then why the responder's. */
  readonly reasoning: readonly string[];
  readonly evidenceFrames: readonly number[];
  readonly recovered: { readonly initiator?: { address: string; port: number }; readonly responder?: { address: string; port: number } };
  /** The sides whose NAT-D is taken as faked (forced encapsulation). */
  readonly fakedBy: readonly ('initiator' | 'responder')[];
}

/**
 * Both peers' verdicts: the initiator's first (so its search, if any, runs first), then the
 * responder's. `adjust` sees each side's verdict before it is combined (the per-host memory).
 */
export function natVerdict(initiator: PeerEvidence, responder: PeerEvidence, adjust: (e: PeerEvidence, v: SideVerdict) => SideVerdict = (_, v) => v): NatVerdict {
  const i = adjust(initiator, sideVerdict(initiator));
  const r = adjust(responder, sideVerdict(responder));
  const frames = [initiator.own?.frame, responder.own?.frame].filter((f): f is number => f !== undefined);
  return {
    initiator: i.nat,
    responder: r.nat,
    forcedEncapsulation: i.faked || r.faked,
    capturePoint: { initiatorNat: i.where, responderNat: r.where },
    reasoning: [`initiator: ${i.because}`, `responder: ${r.because}`],
    evidenceFrames: [...new Set(frames)].sort((a, b) => a - b),
    recovered: {
      ...(i.recovered ? { initiator: i.recovered } : {}),
      ...(r.recovered ? { responder: r.recovered } : {}),
    },
    fakedBy: [...(i.faked ? ['initiator' as const] : []), ...(r.faked ? ['responder' as const] : [])],
  };
}

/** Hosts one analysis remembers for consistent verdicts; once full, further hosts are not remembered. */
export const MAX_REMEMBERED_HOSTS = 4096;

interface HostRecord {
  readonly nat: 'behind-nat' | 'not-behind-nat';
  readonly where: CapturePosition;
  readonly sa: string;
  readonly because: string;
}

function describeSide(nat: NatSide, where: CapturePosition): string {
  if (nat === 'not-behind-nat') return 'not behind a NAT';
  if (nat === 'unknown') return 'undecided';
  return where === 'both-sides' ? 'behind a NAT (capture between two NATs)' : where === 'unknown' ? 'behind a NAT' : `behind a NAT (capture ${where} it)`;
}

/**
 * The same verdict for the same host (its address as the capture sees it) across the SAs of one
 * capture: an SA whose own evidence leaves a side undecided takes the verdict an earlier SA of
 * that host reached, unless its evidence contradicts it (its own NAT-D shows no translation
 * where that verdict put one); an SA that decides differently keeps its own verdict and says
 * what it differs from. The SAs are concluded in a fixed order, so this is deterministic too.
 * Bounded: at most MAX_REMEMBERED_HOSTS hosts.
 */
export class HostVerdictMemory {
  private readonly hosts = new Map<string, HostRecord>();

  constructor(private readonly cap = MAX_REMEMBERED_HOSTS) {}

  get size(): number {
    return this.hosts.size;
  }

  reconcile(host: string | undefined, sa: string, v: SideVerdict): SideVerdict {
    if (host === undefined) return v;
    const prior = this.hosts.get(host);
    if (v.nat === 'unknown') {
      if (!prior || !compatible(prior, v)) return v;
      return {
        ...v,
        nat: prior.nat,
        where: prior.where,
        // Behind a NAT, a source hash that matches nothing is the NAT's doing, not a fake.
        faked: prior.nat === 'behind-nat' ? false : v.faked,
        because: `${v.because}; the same host (${host}) was found ${describeSide(prior.nat, prior.where)} in IKE SA ${prior.sa} and nothing here contradicts it, so that verdict stands (there: ${prior.because})`,
      };
    }
    const decided = v.nat;
    let out = v;
    if (prior && (prior.nat !== decided || prior.where !== v.where))
      out = { ...v, because: `${v.because}; this changes the verdict IKE SA ${prior.sa} gave the same host (${host}), ${describeSide(prior.nat, prior.where)}, which rested on: ${prior.because}` };
    if (prior || this.hosts.size < this.cap) this.hosts.set(host, { nat: decided, where: v.where, sa, because: v.because });
    return out;
  }
}

/** Whether an undecided side's partial evidence leaves room for an earlier verdict. */
function compatible(prior: HostRecord, v: SideVerdict): boolean {
  if (prior.nat === 'not-behind-nat') return v.after !== true;
  if (prior.where === 'outside') return v.before !== false;
  if (prior.where === 'inside') return v.after !== false;
  if (prior.where === 'both-sides') return v.before !== false && v.after !== false;
  return !(v.before === false && v.after === false);
}
