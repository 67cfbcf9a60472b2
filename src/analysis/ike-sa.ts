import type { Endpoint, IkeMessageFacts, NatdFact, NatOaFact, PacketFacts, VendorIdFact } from './facts.js';
import { endpointKey, sameEndpoint } from './facts.js';
import { NatdRecord, checkNatd, natdInputOf } from './nat-detection.js';
import { EXCHANGE, NOTIFY, exchangeName } from './exchange-names.js';
import type { FindingSink } from './finding-sink.js';
import { hexOf } from './hex.js';
import { ipv4Of } from './lru.js';
import { establishesSa, ikeMessageLabel, phase1Step, type IkeMessageRecord } from './ike-message.js';
import type { SaDirectory } from './sa-directory.js';
import type { MappingChangeRecord } from './listener.js';

/** Retransmissions are looked for among an SA's last this many distinct messages. */
const MAX_SIGNATURES = 64;
/** Quick Mode message IDs remembered per SA (who sent each one's first message). */
const MAX_QUICK_IDS = 16;
/** Unanswered requests remembered per SA. */
const MAX_OPEN_REQUESTS = 4;
const MAX_ENDPOINTS = 8;
const MAX_VIDS = 32;
const MAX_NATD_CHECKS = 8;
const MAX_PENDING = 16;
const MAX_ENCAP_MODES = 16;
/** Interned endpoints shared by all SAs; past this many the table starts again (sharing only saves memory). */
const MAX_INTERNED_ENDPOINTS = 65_536;

const ZERO_SPI_HEX = '0000000000000000';

/** NAT-D payload kinds seen in an SA, as bits. */
export const NATD_KIND_BIT: Readonly<Record<NatdFact['kind'], number>> = { v1: 1, 'v1-draft': 2, 'v1-early-draft': 4, 'v2-source': 8, 'v2-destination': 16 };

/** Notify types the SA conclusions ask about, as bits. */
export const NOTIFY_BIT = { NAT_DETECTION_SOURCE_IP: 1, UPDATE_SA_ADDRESSES: 2, FRAGMENTATION_INITIATOR: 4, FRAGMENTATION_RESPONDER: 8 } as const;

/** IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3). */
const NOTIFY_FRAGMENTATION_SUPPORTED = 16430;

/** IKEv2's I flag (IKEv1 messages carry none: counted as the initiator's). */
function fromInitFlag(ike: IkeMessageFacts): boolean {
  return ike.fromOriginalInitiator !== false;
}

/** A shared empty list: SAs allocate a list only when they put something in it. */
const NONE: readonly never[] = Object.freeze([]);

/** `list` plus `x`, in a new array of exactly that length (a pushed-to array reserves 16+ slots). */
function appended<T>(list: readonly T[], x: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = x;
  return out;
}

function isZeroHex(h: string): boolean {
  for (let i = 0; i < h.length; i++) if (h.charCodeAt(i) !== 48) return false;
  return true;
}


/**
 * The exact retransmission signature of a message (sender role, exchange type, message ID,
 * length, responder SPI zero, flags) as two numbers: `hi` packs the 8-bit exchange type, the
 * 8-bit flags and two booleans (18 bits) above the 32-bit length (< 2^50, exact in a double),
 * `lo` is the 32-bit message ID. The header fields are u8/u32 read from the bytes, so equal
 * pairs mean equal signatures; no hash, no collision.
 */
function signatureHi(fromInit: boolean, ike: IkeMessageFacts, rspiZero: boolean): number {
  return ((ike.exchangeType << 10) | (ike.flags << 2) | (fromInit ? 2 : 0) | (rspiZero ? 1 : 0)) * 4294967296 + ike.length;
}

/**
 * One IKE SA's state. Every field is set in the constructor (one hidden class for all SAs), lists
 * are allocated only when used and at their exact length, endpoints are shared between SAs,
 * SPIs are kept as hex text, NAT-D checks as `NatdRecord`s: ~0.8 KB for an SA that saw one
 * IKE_SA_INIT request, where the former object of Maps and Sets took ~3.5 KB.
 */
export class IkeSa {
  initiator: Endpoint | undefined = undefined;
  responder: Endpoint | undefined = undefined;
  lastInitiator: Endpoint | undefined = undefined;
  lastResponder: Endpoint | undefined = undefined;
  /** Endpoint keys (`endpointKey`) each role used, in order of first use (at most 8). */
  initiatorEndpoints: readonly string[] = NONE;
  responderEndpoints: readonly string[] = NONE;
  /** IKEv1 captures that miss the first message: roles guessed from the first message seen. */
  rolesInferred = false;
  lastFrame: number;
  lastTime: number;
  messages = 0;
  retransmissions = 0;
  /** [exchange type, count] pairs, in order of first use. */
  private exchangeCounts: number[] = NONE as never;
  /**
   * The last 64 distinct messages as [signatureHi, message ID, frame, step (0 = none)], a ring
   * once full (`signatureNext` is the slot to overwrite next).
   */
  private signatures: number[] = NONE as never;
  private signatureNext = 0;
  /** Quick Mode: [message ID, 1 when the SA's initiator sent its first message, highest step seen, frame of step 1] × at most 16, oldest first. */
  private quickIds: number[] = NONE as never;
  initiatorVids: readonly VendorIdFact[] = NONE;
  responderVids: readonly VendorIdFact[] = NONE;
  initiatorFirstSeen = false;
  natdChecks: readonly NatdRecord[] = NONE;
  /** NAT-D payload kinds seen (NATD_KIND_BIT). */
  natdKinds = 0;
  /** IKEv1: the hash the responder chose in its Phase-1 SA. */
  negotiatedHash: number | undefined = undefined;
  floatedAtFrame: number | null = null;
  /** What the float happened on: "Main Mode message 5", "IKE_AUTH", ... */
  floatedAt: string | undefined = undefined;
  floatExpected: boolean | undefined = undefined;
  /** IKEv1 Phase-1 messages seen before (non-retransmitted), for the float ordinal. */
  phase1Messages = 0;
  laterMessagesOnIkePort: readonly number[] = NONE;
  /** ESP SPIs (hex) this SA negotiated or was paired with; made on first use. */
  private espSpiMap: Map<string, 'sa-payload' | 'address-pairing'> | undefined = undefined;
  natOa: readonly NatOaFact[] = NONE;
  /** Encapsulation-mode values seen, each once, in order (at most 16). */
  encapModes: readonly number[] = NONE;
  /** Requests awaiting their response, oldest first: [key, src, dst, frame] × at most 16. */
  private pending: (number | Endpoint)[] = NONE as never;
  /** Frames where the initiator / responder sent IKE from a port that is not an IKE or NAT-T port. */
  initiatorOddPortFrames: readonly number[] = NONE;
  responderOddPortFrames: readonly number[] = NONE;
  /** The initiator's endpoint per carrier (IKE port before the float, NAT-T port after): a change within one is a rebinding. */
  /**
   * The endpoint each side last sent a (not retransmitted) message from, per carrier (slots 0-3:
   * initiator on the IKE port, initiator on the NAT-T port, responder on the IKE port, responder
   * on the NAT-T port). A change within one is a NAT mapping change; the float is not one.
   * Fields, not an array: every SA has one (a flood of 10^5 SAs pays 8 bytes a slot, not 80 an array).
   */
  private sender0: Endpoint | undefined = undefined;
  private sender1: Endpoint | undefined = undefined;
  private sender2: Endpoint | undefined = undefined;
  private sender3: Endpoint | undefined = undefined;
  rebindingFrame: number | undefined = undefined;
  oldInitiatorEndpoint: Endpoint | undefined = undefined;
  /** Notify types seen that the conclusions ask about (NOTIFY_BIT). */
  notifies = 0;
  /** The message that established the SA (`establishesSa`), or -1. */
  establishedFrame = -1;
  /** A Delete payload in clear naming this IKE SA (IKEv1), or -1. */
  deletedFrame = -1;
  /** The first error notify in clear (type < 16384), its frame and sender; type -1 when none. */
  errorNotifyType = -1;
  errorNotifyFrame = -1;
  errorNotifyFromInitiator = false;
  /** The last message each side sent (frame), -1 when none. */
  lastFromInitiatorFrame = -1;
  lastFromResponderFrame = -1;
  /** The last IKEv1 Informational (frame), -1 when none. */
  lastInformationalFrame = -1;
  /**
   * Retransmitted requests not answered (yet), oldest first, at most 4: [pairing key, exchange
   * type, requester is the initiator (1/0), first frame, last frame, copies, copies that came in
   * IP fragments, largest copy in bytes] each. A request enters when it is first retransmitted
   * (a request sent once and lost is the capture ending early, or the common case of a flood):
   * SAs whose every request was answered at once allocate nothing.
   */
  openRequests: number[] = NONE as never;
  /** ICMP errors that quoted this SA's packets: [kind code, count, first frame, last frame] per kind, at most 4 kinds. */
  icmpErrors: number[] = NONE as never;
  /** IP fragments between the SA's peers held for a reassembly that had not completed when a later message came: [frame, from the initiator (1/0)], at most 8, reset by each IKE message. */
  heldFragments: number[] = NONE as never;

  /** The last sender endpoint in `slot` (see `sender0`). */
  senderIn(slot: number): Endpoint | undefined {
    return slot === 0 ? this.sender0 : slot === 1 ? this.sender1 : slot === 2 ? this.sender2 : this.sender3;
  }

  setSender(slot: number, e: Endpoint): void {
    if (slot === 0) this.sender0 = e;
    else if (slot === 1) this.sender1 = e;
    else if (slot === 2) this.sender2 = e;
    else this.sender3 = e;
  }

  constructor(
    readonly key: string,
    readonly ikeVersion: 1 | 2,
    /** Initiator SPI, hex. */
    readonly ispi: string,
    /** Responder SPI, hex (zeros until known). */
    public rspi: string,
    readonly firstFrame: number,
    readonly firstTime: number,
    readonly startedOnNattPort: boolean,
  ) {
    this.lastFrame = firstFrame;
    this.lastTime = firstTime;
  }

  /** Messages per exchange type. */
  exchangeCount(type: number): number {
    const e = this.exchangeCounts;
    for (let i = 0; i < e.length; i += 2) if (e[i] === type) return e[i + 1]!;
    return 0;
  }

  /** Messages per exchange name, in order of first use (the report's `exchanges`). */
  exchangeNames(): Record<string, number> {
    const out: Record<string, number> = {};
    const e = this.exchangeCounts;
    for (let i = 0; i < e.length; i += 2) out[exchangeName(this.ikeVersion, e[i]!)] = e[i + 1]!;
    return out;
  }

  countExchange(type: number): void {
    const e = this.exchangeCounts;
    for (let i = 0; i < e.length; i += 2) {
      if (e[i] === type) {
        e[i + 1]!++;
        return;
      }
    }
    const out = new Array<number>(e.length + 2);
    for (let i = 0; i < e.length; i++) out[i] = e[i]!;
    out[e.length] = type;
    out[e.length + 1] = 1;
    this.exchangeCounts = out;
  }

  /** The index of the signature among the last 64 distinct messages, or -1. */
  findSignature(hi: number, lo: number): number {
    const s = this.signatures;
    for (let i = 0; i < s.length; i += 4) if (s[i] === hi && s[i + 1] === lo) return i;
    return -1;
  }

  /** The frame and step of the message whose signature sits at `at` (from `findSignature`). */
  signatureFrame(at: number): number {
    return this.signatures[at + 2]!;
  }

  signatureStep(at: number): number | undefined {
    const step = this.signatures[at + 3]!;
    return step === 0 ? undefined : step;
  }

  /** Remembers a distinct message; past 64, in place of the oldest. */
  rememberSignature(hi: number, lo: number, frame: number, step: number | undefined): void {
    const s = this.signatures;
    if (s.length < 4 * MAX_SIGNATURES) {
      const out = new Array<number>(s.length + 4);
      for (let i = 0; i < s.length; i++) out[i] = s[i]!;
      out[s.length] = hi;
      out[s.length + 1] = lo;
      out[s.length + 2] = frame;
      out[s.length + 3] = step ?? 0;
      this.signatures = out;
      return;
    }
    const at = this.signatureNext;
    s[at] = hi;
    s[at + 1] = lo;
    s[at + 2] = frame;
    s[at + 3] = step ?? 0;
    this.signatureNext = (at + 4) % (4 * MAX_SIGNATURES);
  }

  /** Quick Mode step of a new (not retransmitted) message: 1 for a new message ID, 2 from the other side, 3 from the same side again. */
  quickStep(messageId: number, fromInitiator: boolean, frame: number): number {
    const q = this.quickIds;
    for (let i = 0; i < q.length; i += 4) {
      if (q[i] !== messageId) continue;
      const step = (q[i + 1] === 1) === fromInitiator ? 3 : 2;
      if (step > q[i + 2]!) q[i + 2] = step;
      return step;
    }
    const keep = q.length >= 4 * MAX_QUICK_IDS ? 4 : 0;
    const out = new Array<number>(q.length - keep + 4);
    for (let i = keep; i < q.length; i++) out[i - keep] = q[i]!;
    out[q.length - keep] = messageId;
    out[q.length - keep + 1] = fromInitiator ? 1 : 0;
    out[q.length - keep + 2] = 1;
    out[q.length - keep + 3] = frame;
    this.quickIds = out;
    return 1;
  }

  /** Quick Mode exchanges as [message ID, highest step, frame of its first message], in order. */
  quickModes(): { messageId: number; step: number; frame: number }[] {
    const out: { messageId: number; step: number; frame: number }[] = [];
    for (let i = 0; i < this.quickIds.length; i += 4) out.push({ messageId: this.quickIds[i]!, step: this.quickIds[i + 2]!, frame: this.quickIds[i + 3]! });
    return out;
  }

  /**
   * A request retransmitted: opens its entry in `openRequests` (the first copy, at `originalFrame`,
   * is counted with it: a copy has the original's length, so it was fragmented like it) or counts
   * one more copy.
   */
  requestResent(key: number, exchangeType: number, requesterIsInitiator: boolean, originalFrame: number, frame: number, fragmented: boolean, bytes: number): void {
    const r = this.openRequests;
    for (let i = 0; i < r.length; i += 8) {
      if (r[i] !== key) continue;
      r[i + 4] = frame;
      r[i + 5]!++;
      if (fragmented) r[i + 6]!++;
      if (bytes > r[i + 7]!) r[i + 7] = bytes;
      return;
    }
    const keep = r.length >= 8 * MAX_OPEN_REQUESTS ? 8 : 0;
    const out = new Array<number>(r.length - keep + 8);
    for (let i = keep; i < r.length; i++) out[i - keep] = r[i]!;
    const at = r.length - keep;
    out[at] = key;
    out[at + 1] = exchangeType;
    out[at + 2] = requesterIsInitiator ? 1 : 0;
    out[at + 3] = originalFrame;
    out[at + 4] = frame;
    out[at + 5] = 2;
    out[at + 6] = fragmented ? 2 : 0;
    out[at + 7] = bytes;
    this.openRequests = out;
  }

  /** A response arrived: its request is answered. */
  requestAnswered(key: number): void {
    const r = this.openRequests;
    for (let i = 0; i < r.length; i += 8) {
      if (r[i] !== key) continue;
      const out = new Array<number>(r.length - 8);
      for (let j = 0, k = 0; j < r.length; j++) if (j < i || j >= i + 8) out[k++] = r[j]!;
      this.openRequests = out;
      return;
    }
  }

  /** An IP fragment between the SA's peers, held for reassembly. */
  fragmentHeld(frame: number, fromInitiator: boolean): void {
    if (this.heldFragments.length >= 16) return;
    this.heldFragments = [...this.heldFragments, frame, fromInitiator ? 1 : 0];
  }

  /** An ICMP error quoting one of this SA's packets. */
  icmpError(kindCode: number, frame: number): void {
    const e = this.icmpErrors;
    for (let i = 0; i < e.length; i += 4) {
      if (e[i] !== kindCode) continue;
      e[i + 1]!++;
      e[i + 3] = frame;
      return;
    }
    if (e.length >= 16) return;
    this.icmpErrors = [...e, kindCode, 1, frame, frame];
  }

  get espSpiCount(): number {
    return this.espSpiMap?.size ?? 0;
  }

  hasEspSpi(spi: string): boolean {
    return this.espSpiMap?.has(spi) ?? false;
  }

  setEspSpi(spi: string, how: 'sa-payload' | 'address-pairing'): void {
    (this.espSpiMap ??= new Map()).set(spi, how);
  }

  /** [SPI, how it was linked] in order of first use. */
  espSpiEntries(): Iterable<[string, 'sa-payload' | 'address-pairing']> {
    return this.espSpiMap ?? [];
  }

  /** Remembers a request (key: exchange type, message ID, who requests) as a Map of at most 16 would. */
  addPending(key: number, src: Endpoint, dst: Endpoint, frame: number): void {
    let p = this.pending;
    if (p.length >= 4 * MAX_PENDING) p = p.slice(4);
    for (let i = 0; i < p.length; i += 4) {
      if (p[i] === key) {
        p[i + 1] = src;
        p[i + 2] = dst;
        p[i + 3] = frame;
        this.pending = p;
        return;
      }
    }
    const out = new Array<number | Endpoint>(p.length + 4);
    for (let i = 0; i < p.length; i++) out[i] = p[i]!;
    out[p.length] = key;
    out[p.length + 1] = src;
    out[p.length + 2] = dst;
    out[p.length + 3] = frame;
    this.pending = out;
  }

  pendingRequest(key: number): { src: Endpoint; dst: Endpoint; frame: number } | undefined {
    const p = this.pending;
    for (let i = 0; i < p.length; i += 4) if (p[i] === key) return { src: p[i + 1] as Endpoint, dst: p[i + 2] as Endpoint, frame: p[i + 3] as number };
    return undefined;
  }
}

export type IkeSaState = IkeSa;

export interface IkeTrackerOptions {
  readonly ikePorts: readonly number[];
  readonly nattPorts: readonly number[];
  readonly maxIkeSas: number;
}

/** Tracks IKE SAs by SPI pair across ports, addresses and the float; bounded with LRU eviction. */
export class IkeSaTracker {
  readonly sas = new Map<string, IkeSa>();
  evicted = 0;
  /** Endpoints by key, shared by every SA that stores them; and the key strings themselves. */
  private readonly endpoints = new Map<string, { readonly endpoint: Endpoint; readonly key: string }>();
  private readonly endpointsV4 = new Map<number, { readonly endpoint: Endpoint; readonly key: string }>();
  private readonly standardPorts: readonly number[];

  constructor(
    private readonly options: IkeTrackerOptions,
    private readonly findings: FindingSink,
    /** Told the endpoints of every message, for tying traffic to SAs. */
    private readonly directory?: SaDirectory<IkeSa>,
    /** Told every NAT mapping change IKE shows. */
    private readonly onMappingChange?: (c: MappingChangeRecord) => void,
  ) {
    this.standardPorts = [...options.ikePorts, ...options.nattPorts];
  }

  /** The shared endpoint (and its key text) for `e`; IPv4 ones found by number, without making the key. */
  private intern(e: Endpoint, address: Uint8Array): { readonly endpoint: Endpoint; readonly key: string } {
    const v4 = address.length === 4;
    // Address (32 bits) and port (16 bits): exact in a double.
    const numeric = v4 ? ipv4Of(address) * 65536 + e.port : 0;
    let entry = v4 ? this.endpointsV4.get(numeric) : this.endpoints.get(endpointKey(e));
    if (entry === undefined) {
      if (this.endpoints.size + this.endpointsV4.size >= MAX_INTERNED_ENDPOINTS) {
        this.endpoints.clear();
        this.endpointsV4.clear();
      }
      const key = endpointKey(e);
      entry = { endpoint: { address: e.address, port: e.port }, key };
      if (v4) this.endpointsV4.set(numeric, entry);
      else this.endpoints.set(key, entry);
    }
    return entry;
  }

  /** ESP of the SA came from a new endpoint (same SPI): the initiator's is a rebinding, dated here unless IKE showed one before. */
  rebound(sa: IkeSa, fromInitiator: boolean, old: Endpoint, frame: number): void {
    if (!fromInitiator || sa.rebindingFrame !== undefined || this.sas.get(sa.key) !== sa) return;
    sa.rebindingFrame = frame;
    sa.oldInitiatorEndpoint = old;
  }

  private lookup(ike: IkeMessageFacts, ispi: string, rspi: string): IkeSa | undefined {
    const base = this.sas.get(`${ike.ikeVersion}:${ispi}`);
    if (!base) return undefined;
    if (isZeroHex(base.rspi) || isZeroHex(rspi) || base.rspi === rspi) return base;
    return this.sas.get(`${ike.ikeVersion}:${ispi}:${rspi}`);
  }

  private create(p: PacketFacts, ike: IkeMessageFacts, ispi: string, rspi: string): IkeSa {
    const key = this.sas.has(`${ike.ikeVersion}:${ispi}`) ? `${ike.ikeVersion}:${ispi}:${rspi}` : `${ike.ikeVersion}:${ispi}`;
    if (this.sas.size >= this.options.maxIkeSas) {
      const oldest = this.sas.keys().next().value as string;
      const victim = this.sas.get(oldest)!;
      this.sas.delete(oldest);
      this.evicted++;
      this.findings.add('analysis.ike_sa_evicted', 'IKE SA table', victim.lastFrame, `IKE SA state evicted (cap ${this.options.maxIkeSas}); its later messages start a new entry`);
    }
    const sa = new IkeSa(key, ike.ikeVersion, ispi, rspi === '' || isZeroHex(rspi) ? ZERO_SPI_HEX : rspi, p.frame, p.time, ike.carrier === 'natt-port' || ike.carrier === 'natt-port-no-marker');
    this.sas.set(key, sa);
    return sa;
  }

  /** Who sent the message: IKEv2 says so in its I flag; IKEv1 is inferred from the SA's endpoints. */
  private fromInitiator(sa: IkeSa, p: PacketFacts, ike: IkeMessageFacts, rspiZero: boolean, isNew: boolean): boolean {
    if (ike.fromOriginalInitiator !== undefined) return ike.fromOriginalInitiator;
    if (isNew) {
      sa.rolesInferred = !rspiZero;
      return true;
    }
    if (sameEndpoint(sa.lastInitiator, p.src) || sameEndpoint(sa.lastResponder, p.dst)) return true;
    if (sameEndpoint(sa.lastResponder, p.src) || sameEndpoint(sa.lastInitiator, p.dst)) return false;
    if (sa.lastInitiator && p.src.address === sa.lastInitiator.address) return true;
    if (sa.lastResponder && p.src.address === sa.lastResponder.address) return false;
    return sa.lastResponder !== undefined && p.dst.address === sa.lastResponder.address;
  }

  /** Tracks one IKE message and returns its classification (`IkeMessageRecord`). */
  update(p: PacketFacts): IkeMessageRecord | undefined {
    const ike = p.ike;
    if (!ike) return undefined;
    const ispi = hexOf(ike.ispi);
    const rspi = hexOf(ike.rspi);
    const rspiZero = isZeroHex(rspi);
    let sa = this.lookup(ike, ispi, rspi);
    const isNew = !sa;
    sa ??= this.create(p, ike, ispi, rspi);
    // LRU: most recently used last.
    this.sas.delete(sa.key);
    this.sas.set(sa.key, sa);
    if (isZeroHex(sa.rspi) && !rspiZero) sa.rspi = rspi;
    const fromInit = this.fromInitiator(sa, p, ike, rspiZero, isNew);
    sa.messages++;
    sa.lastFrame = p.frame;
    sa.lastTime = p.time;
    sa.countExchange(ike.exchangeType);
    for (const n of ike.notifyTypes) {
      if (n === NOTIFY.NAT_DETECTION_SOURCE_IP) sa.notifies |= NOTIFY_BIT.NAT_DETECTION_SOURCE_IP;
      else if (n === NOTIFY.UPDATE_SA_ADDRESSES) sa.notifies |= NOTIFY_BIT.UPDATE_SA_ADDRESSES;
      else if (n === NOTIFY_FRAGMENTATION_SUPPORTED) sa.notifies |= fromInitFlag(ike) ? NOTIFY_BIT.FRAGMENTATION_INITIATOR : NOTIFY_BIT.FRAGMENTATION_RESPONDER;
    }

    const hi = signatureHi(fromInit, ike, rspiZero);
    const seen = sa.findSignature(hi, ike.messageId);
    const retransmission = seen >= 0;
    let step: number | undefined;
    if (retransmission) {
      sa.retransmissions++;
      step = sa.signatureStep(seen);
    } else {
      step = ike.ikeVersion === 2 ? undefined : ike.exchangeType === EXCHANGE.QUICK ? sa.quickStep(ike.messageId, fromInit, p.frame) : phase1Step(ike, fromInit);
      sa.rememberSignature(hi, ike.messageId, p.frame, step);
    }

    const src = this.intern(p.src, p.srcAddr);
    const dst = this.intern(p.dst, p.dstAddr);
    this.trackEndpoints(sa, p, fromInit, ike.carrier === 'ike-port', src, dst);
    this.trackMappings(sa, p, fromInit, ike.carrier === 'ike-port', retransmission, src.endpoint);
    this.directory?.note(sa, fromInit, src.endpoint, src.key, dst.endpoint, dst.key);
    const floated = this.trackFloat(sa, p, ike, fromInit, step);
    if (!retransmission && ike.ikeVersion === 1 && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE)) sa.phase1Messages++;
    const isRequest = ike.ikeVersion === 2 ? ike.isResponse === false : step === undefined ? fromInit : step % 2 === 1;
    // Exchange type (8 bits), message ID (32 bits) and the requester, exactly, in one number: pairs a response with its request.
    const requestKey = ike.messageId * 512 + ike.exchangeType * 2 + ((isRequest ? fromInit : !fromInit) ? 1 : 0);
    const responseTo = this.trackResponsePorts(sa, p, isRequest, requestKey, src.endpoint, dst.endpoint);
    this.trackOutcome(sa, p, ike, fromInit, isRequest, requestKey, retransmission, step, retransmission ? sa.signatureFrame(seen) : undefined);

    if (fromInit) {
      if (rspiZero && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE || ike.exchangeType === EXCHANGE.IKE_SA_INIT)) sa.initiatorFirstSeen = true;
      for (const v of ike.vendorIds) if (sa.initiatorVids.length < MAX_VIDS && !sa.initiatorVids.some((x) => x.hex === v.hex)) sa.initiatorVids = appended(sa.initiatorVids, v);
    } else {
      for (const v of ike.vendorIds) if (sa.responderVids.length < MAX_VIDS && !sa.responderVids.some((x) => x.hex === v.hex)) sa.responderVids = appended(sa.responderVids, v);
      if (ike.ikeVersion === 1 && ike.phase1Hashes.length === 1 && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE)) sa.negotiatedHash = ike.phase1Hashes[0]!;
    }
    if (ike.natd.length && !retransmission && sa.natdChecks.length < MAX_NATD_CHECKS) {
      for (const n of ike.natd) sa.natdKinds |= NATD_KIND_BIT[n.kind];
      sa.natdChecks = appended(sa.natdChecks, NatdRecord.of(checkNatd(natdInputOf(p, fromInit, sa.negotiatedHash)!)));
    }
    for (const oa of ike.natOa) if (sa.natOa.length < 4) sa.natOa = appended(sa.natOa, oa);
    for (const m of ike.encapModes) if (sa.encapModes.length < MAX_ENCAP_MODES && !sa.encapModes.includes(m)) sa.encapModes = appended(sa.encapModes, m);
    for (const c of ike.childSpis) {
      if (c.protocol !== 3) continue;
      if (sa.espSpiCount < 64) sa.setEspSpi(c.spi, 'sa-payload');
      this.directory?.noteSaPayloadSpi(parseInt(c.spi, 16) >>> 0, sa, fromInit);
    }
    if (!this.standardPorts.includes(p.src.port)) {
      if (fromInit) {
        if (sa.initiatorOddPortFrames.length < 8) sa.initiatorOddPortFrames = appended(sa.initiatorOddPortFrames, p.frame);
      } else if (sa.responderOddPortFrames.length < 8) sa.responderOddPortFrames = appended(sa.responderOddPortFrames, p.frame);
    }
    return {
      frame: p.frame,
      time: p.time,
      sa,
      ikeVersion: ike.ikeVersion,
      src: src.endpoint,
      dst: dst.endpoint,
      facts: ike,
      fromInitiator: fromInit,
      isRequest,
      retransmission,
      originalFrame: retransmission ? sa.signatureFrame(seen) : undefined,
      step,
      responseTo,
      floated,
    };
  }

  /**
   * NAT mapping changes: a side sends a new (not retransmitted) message from another address or
   * port than its last one on the same carrier (IKE port, or NAT-T port: the float itself, 500 →
   * 4500, is not one). A retransmission does not move a mapping (RFC 7296 §2.23: addresses are
   * updated only from new messages). The initiator's first change is the SA's rebinding.
   */
  private trackMappings(sa: IkeSa, p: PacketFacts, fromInit: boolean, onIkePort: boolean, retransmission: boolean, me: Endpoint): void {
    const slot = (fromInit ? 0 : 2) + (onIkePort ? 0 : 1);
    const old = sa.senderIn(slot);
    // A retransmission sets the endpoint only as the first message of its carrier.
    if (retransmission) {
      if (old === undefined) sa.setSender(slot, me);
      return;
    }
    sa.setSender(slot, me);
    if (old === undefined || sameEndpoint(old, me)) return;
    if (fromInit) this.rebound(sa, true, old, p.frame);
    this.onMappingChange?.({ frame: p.frame, time: p.time, via: 'ike', sa, moverIsInitiator: fromInit, old, now: me, spi: undefined });
  }

  private trackEndpoints(sa: IkeSa, p: PacketFacts, fromInit: boolean, onIkePort: boolean, src: { endpoint: Endpoint; key: string }, dst: { endpoint: Endpoint; key: string }): void {
    const me = src.endpoint; // the sender
    const peer = dst.endpoint;
    if (fromInit) {
      sa.initiator ??= me;
      sa.responder ??= peer;
      sa.lastInitiator = me;
      sa.lastResponder ??= peer;
      if (sa.initiatorEndpoints.length < MAX_ENDPOINTS && !sa.initiatorEndpoints.includes(src.key)) sa.initiatorEndpoints = appended(sa.initiatorEndpoints, src.key);
      if (sa.responderEndpoints.length < MAX_ENDPOINTS && !sa.responderEndpoints.includes(dst.key)) sa.responderEndpoints = appended(sa.responderEndpoints, dst.key);
    } else {
      sa.responder ??= me;
      sa.initiator ??= peer;
      if (sa.rebindingFrame !== undefined && sa.oldInitiatorEndpoint && sameEndpoint(sa.oldInitiatorEndpoint, peer) && p.frame > sa.rebindingFrame) {
        this.findings.add('natt.rebinding_not_followed', saLabel(sa), p.frame, `After the initiator moved to ${endpointKey(sa.lastInitiator!)} (frame ${sa.rebindingFrame}), the responder still sent to ${endpointKey(peer)}`);
      }
      sa.lastResponder = me;
      sa.lastInitiator ??= peer;
      if (sa.responderEndpoints.length < MAX_ENDPOINTS && !sa.responderEndpoints.includes(src.key)) sa.responderEndpoints = appended(sa.responderEndpoints, src.key);
      if (sa.initiatorEndpoints.length < MAX_ENDPOINTS && !sa.initiatorEndpoints.includes(dst.key)) sa.initiatorEndpoints = appended(sa.initiatorEndpoints, dst.key);
    }
  }

  /** Notes the float (the SA's first message on the NAT-T port); true when this message is it. */
  private trackFloat(sa: IkeSa, p: PacketFacts, ike: IkeMessageFacts, fromInit: boolean, step: number | undefined): boolean {
    const onNatt = ike.carrier === 'natt-port' || ike.carrier === 'natt-port-no-marker';
    let floated = false;
    if (onNatt && sa.floatedAtFrame === null && !sa.startedOnNattPort) {
      floated = true;
      sa.floatedAtFrame = p.frame;
      sa.floatedAt = ikeMessageLabel({ ikeVersion: ike.ikeVersion, step, facts: ike });
      if (ike.ikeVersion === 2) sa.floatExpected = ike.exchangeType === EXCHANGE.IKE_AUTH && ike.isResponse === false;
      else if (ike.exchangeType === EXCHANGE.MAIN) sa.floatExpected = fromInit && step === 5;
      else if (ike.exchangeType === EXCHANGE.AGGRESSIVE) sa.floatExpected = fromInit && step === 3;
      else sa.floatExpected = false;
    } else if (!onNatt && sa.floatedAtFrame !== null && ike.carrier === 'ike-port') {
      this.findings.add('natt.ike_on_500_after_float', saLabel(sa), p.frame, `IKE message on UDP ${p.src.port}→${p.dst.port} after the SA floated at frame ${sa.floatedAtFrame}`);
    }
    if (!onNatt && sa.floatedAtFrame === null && ike.carrier === 'ike-port') {
      const late =
        ike.ikeVersion === 2
          ? ike.exchangeType !== EXCHANGE.IKE_SA_INIT
          : (ike.exchangeType === EXCHANGE.MAIN && step !== undefined && step >= 5) || (ike.exchangeType === EXCHANGE.AGGRESSIVE && step === 3) || ike.exchangeType === EXCHANGE.QUICK;
      if (late && sa.laterMessagesOnIkePort.length < 8) sa.laterMessagesOnIkePort = appended(sa.laterMessagesOnIkePort, p.frame);
    }
    return floated;
  }

  /**
   * What the SA's status is decided from (sa-status.ts): the last message of each side, the
   * message that established it, a Delete in clear, the first error notify in clear, IKEv1
   * Informationals, and the requests that expect a reply and have none yet.
   */
  private trackOutcome(sa: IkeSa, p: PacketFacts, ike: IkeMessageFacts, fromInit: boolean, isRequest: boolean, key: number, retransmission: boolean, step: number | undefined, originalFrame: number | undefined): void {
    if (fromInit) sa.lastFromInitiatorFrame = p.frame;
    else sa.lastFromResponderFrame = p.frame;
    // Fragments before this message belong to it (or to nothing the SA is waiting for).
    if (sa.heldFragments.length) sa.heldFragments = NONE as never;
    if (!retransmission && sa.establishedFrame < 0 && establishesSa({ ikeVersion: ike.ikeVersion, step, facts: ike, fromInitiator: fromInit })) sa.establishedFrame = p.frame;
    if (sa.deletedFrame < 0 && !ike.encrypted) for (const d of ike.deletedSpis) if (d === sa.ispi + sa.rspi) sa.deletedFrame = p.frame;
    if (sa.errorNotifyType < 0) {
      for (const n of ike.notifyTypes) {
        if (n > 0 && n < 16384) {
          sa.errorNotifyType = n;
          sa.errorNotifyFrame = p.frame;
          sa.errorNotifyFromInitiator = fromInit;
          break;
        }
      }
    }
    if (ike.ikeVersion === 1 && ike.exchangeType === EXCHANGE.INFORMATIONAL_V1) sa.lastInformationalFrame = p.frame;
    if (!isRequest) sa.requestAnswered(key);
    else if (retransmission && originalFrame !== undefined && expectsReply(ike, step)) sa.requestResent(key, ike.exchangeType, fromInit, originalFrame, p.frame, p.fragmented === true, ike.length);
  }

  /**
   * Pairs a response with its request (by exchange type, message ID and requester; the latest
   * request wins) and checks RFC 7296 §2.11 / RFC 3947 §3: a response goes to the address and
   * port the request came from. Returns the request's frame for a response.
   */
  private trackResponsePorts(sa: IkeSa, p: PacketFacts, isRequest: boolean, key: number, src: Endpoint, dst: Endpoint): number | undefined {
    if (isRequest) {
      sa.addPending(key, src, dst, p.frame);
      return undefined;
    }
    const req = sa.pendingRequest(key);
    if (!req) return undefined;
    if (!sameEndpoint(req.src, p.dst) || !sameEndpoint(req.dst, p.src)) {
      this.findings.add(
        'natt.response_port_mismatch',
        saLabel(sa),
        [req.frame, p.frame],
        `Request frame ${req.frame} came from ${endpointKey(req.src)} to ${endpointKey(req.dst)}, the response (frame ${p.frame}) went from ${endpointKey(p.src)} to ${endpointKey(p.dst)}`,
      );
    }
    return req.frame;
  }
}

/** Whether a request expects a reply: every IKEv2 request; IKEv1 Main Mode 1/3/5, Aggressive Mode 1, Quick Mode 1 and Transaction messages, never an Informational. */
function expectsReply(ike: IkeMessageFacts, step: number | undefined): boolean {
  if (ike.ikeVersion === 2) return true;
  if (ike.exchangeType === EXCHANGE.INFORMATIONAL_V1) return false;
  if (ike.exchangeType === EXCHANGE.MAIN) return step === 1 || step === 3 || step === 5;
  if (ike.exchangeType === EXCHANGE.AGGRESSIVE || ike.exchangeType === EXCHANGE.QUICK) return step === 1;
  return true;
}

export function saLabel(sa: IkeSa): string {
  return `IKEv${sa.ikeVersion} ${sa.ispi}/${sa.rspi}`;
}
