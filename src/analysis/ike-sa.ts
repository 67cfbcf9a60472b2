import type { Endpoint, IkeMessageFacts, NatOaFact, PacketFacts, VendorIdFact } from './facts.js';
import { endpointKey } from './facts.js';
import { checkNatd, natdInputOf, type NatdCheck } from './nat-detection.js';
import { EXCHANGE, exchangeName } from './exchange-names.js';
import type { FindingSink } from './finding-sink.js';
import { toHex } from '../decode/cursor.js';

const MAX_SIGNATURES = 64;
const MAX_ENDPOINTS = 8;
const MAX_VIDS = 32;
const MAX_NATD_CHECKS = 8;
const MAX_PENDING = 16;

export interface IkeSaState {
  readonly key: string;
  readonly ikeVersion: 1 | 2;
  readonly ispi: Uint8Array;
  rspi: Uint8Array;
  initiator?: Endpoint;
  responder?: Endpoint;
  lastInitiator?: Endpoint;
  lastResponder?: Endpoint;
  readonly initiatorEndpoints: Map<string, number>; // endpoint → first frame
  readonly responderEndpoints: Map<string, number>;
  /** IKEv1 captures that miss the first message: roles guessed from the first message seen. */
  rolesInferred: boolean;
  readonly firstFrame: number;
  lastFrame: number;
  readonly firstTime: number;
  lastTime: number;
  messages: number;
  retransmissions: number;
  readonly exchanges: Map<string, number>;
  readonly signatures: Set<string>;
  readonly initiatorVids: VendorIdFact[];
  readonly responderVids: VendorIdFact[];
  initiatorFirstSeen: boolean;
  readonly natdChecks: NatdCheck[];
  natdPayloadKinds: Set<string>;
  /** IKEv1: the hash the responder chose in its Phase-1 SA. */
  negotiatedHash?: number;
  startedOnNattPort: boolean;
  floatedAtFrame: number | null;
  /** What the float happened on: "Main Mode message 5", "IKE_AUTH", ... */
  floatedAt?: string;
  floatExpected?: boolean;
  /** IKEv1 Phase-1 messages seen before (non-retransmitted), for the float ordinal. */
  phase1Messages: number;
  readonly laterMessagesOnIkePort: number[];
  readonly espSpis: Map<string, 'sa-payload' | 'address-pairing'>;
  readonly natOa: NatOaFact[];
  readonly encapModes: Set<number>;
  readonly pending: Map<string, { src: Endpoint; dst: Endpoint; frame: number }>;
  /** Frames where the initiator / responder sent IKE from a port that is not an IKE or NAT-T port. */
  readonly initiatorOddPortFrames: number[];
  readonly responderOddPortFrames: number[];
  /** The initiator's endpoint per carrier ('ike' before the float, 'natt' after): a change within one is a rebinding. */
  readonly initiatorByCarrier: Map<string, Endpoint>;
  rebindingFrame?: number;
  oldInitiatorEndpoint?: Endpoint;
  keepalives: number;
  keepaliveMaxGap: number;
  readonly notifyTypes: Set<number>;
  readonly nattPortMessagesFrames: number[];
}

export interface IkeTrackerOptions {
  readonly ikePorts: readonly number[];
  readonly nattPorts: readonly number[];
  readonly maxIkeSas: number;
}

const ZERO8 = new Uint8Array(8);

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function sameEndpoint(a: Endpoint | undefined, b: Endpoint): boolean {
  return a !== undefined && a.address === b.address && a.port === b.port;
}

/** Tracks IKE SAs by SPI pair across ports, addresses and the float; bounded with LRU eviction. */
export class IkeSaTracker {
  readonly sas = new Map<string, IkeSaState>();
  evicted = 0;

  constructor(
    private readonly options: IkeTrackerOptions,
    private readonly findings: FindingSink,
  ) {}

  private lookup(ike: IkeMessageFacts): IkeSaState | undefined {
    const ispi = toHex(ike.ispi);
    const base = this.sas.get(`${ike.ikeVersion}:${ispi}`);
    if (!base) return undefined;
    if (isZero(base.rspi) || isZero(ike.rspi) || toHex(base.rspi) === toHex(ike.rspi)) return base;
    return this.sas.get(`${ike.ikeVersion}:${ispi}:${toHex(ike.rspi)}`);
  }

  private create(p: PacketFacts, ike: IkeMessageFacts): IkeSaState {
    const ispi = toHex(ike.ispi);
    const key = this.sas.has(`${ike.ikeVersion}:${ispi}`) ? `${ike.ikeVersion}:${ispi}:${toHex(ike.rspi)}` : `${ike.ikeVersion}:${ispi}`;
    if (this.sas.size >= this.options.maxIkeSas) {
      const oldest = this.sas.keys().next().value as string;
      const victim = this.sas.get(oldest)!;
      this.sas.delete(oldest);
      this.evicted++;
      this.findings.add('analysis.ike_sa_evicted', 'IKE SA table', victim.lastFrame, `IKE SA state evicted (cap ${this.options.maxIkeSas}); its later messages start a new entry`);
    }
    const sa: IkeSaState = {
      key,
      ikeVersion: ike.ikeVersion,
      ispi: ike.ispi,
      rspi: ike.rspi.length ? ike.rspi : ZERO8,
      initiatorEndpoints: new Map(),
      responderEndpoints: new Map(),
      rolesInferred: false,
      firstFrame: p.frame,
      lastFrame: p.frame,
      firstTime: p.time,
      lastTime: p.time,
      messages: 0,
      retransmissions: 0,
      exchanges: new Map(),
      signatures: new Set(),
      initiatorVids: [],
      responderVids: [],
      initiatorFirstSeen: false,
      natdChecks: [],
      natdPayloadKinds: new Set(),
      startedOnNattPort: ike.carrier === 'natt-port' || ike.carrier === 'natt-port-no-marker',
      floatedAtFrame: null,
      phase1Messages: 0,
      laterMessagesOnIkePort: [],
      espSpis: new Map(),
      natOa: [],
      encapModes: new Set(),
      pending: new Map(),
      initiatorOddPortFrames: [],
      initiatorByCarrier: new Map(),
      responderOddPortFrames: [],
      keepalives: 0,
      keepaliveMaxGap: 0,
      notifyTypes: new Set(),
      nattPortMessagesFrames: [],
    };
    this.sas.set(key, sa);
    return sa;
  }

  /** Who sent the message: IKEv2 says so in its I flag; IKEv1 is inferred from the SA's endpoints. */
  private fromInitiator(sa: IkeSaState, p: PacketFacts, ike: IkeMessageFacts, isNew: boolean): boolean {
    if (ike.fromOriginalInitiator !== undefined) return ike.fromOriginalInitiator;
    if (isNew) {
      sa.rolesInferred = !isZero(ike.rspi);
      return true;
    }
    if (sameEndpoint(sa.lastInitiator, p.src) || sameEndpoint(sa.lastResponder, p.dst)) return true;
    if (sameEndpoint(sa.lastResponder, p.src) || sameEndpoint(sa.lastInitiator, p.dst)) return false;
    if (sa.lastInitiator && p.src.address === sa.lastInitiator.address) return true;
    if (sa.lastResponder && p.src.address === sa.lastResponder.address) return false;
    return sa.lastResponder !== undefined && p.dst.address === sa.lastResponder.address;
  }

  update(p: PacketFacts): IkeSaState | undefined {
    const ike = p.ike;
    if (!ike) return undefined;
    let sa = this.lookup(ike);
    const isNew = !sa;
    sa ??= this.create(p, ike);
    // LRU: most recently used last.
    this.sas.delete(sa.key);
    this.sas.set(sa.key, sa);
    if (isZero(sa.rspi) && !isZero(ike.rspi)) sa.rspi = ike.rspi;
    const fromInit = this.fromInitiator(sa, p, ike, isNew);
    const exchange = exchangeName(ike.ikeVersion, ike.exchangeType);
    sa.messages++;
    sa.lastFrame = p.frame;
    sa.lastTime = p.time;
    sa.exchanges.set(exchange, (sa.exchanges.get(exchange) ?? 0) + 1);
    for (const n of ike.notifyTypes) sa.notifyTypes.add(n);

    const signature = `${fromInit}|${ike.exchangeType}|${ike.messageId}|${ike.length}|${isZero(ike.rspi)}|${ike.flags}`;
    const retransmission = sa.signatures.has(signature);
    if (retransmission) sa.retransmissions++;
    else if (sa.signatures.size < MAX_SIGNATURES) sa.signatures.add(signature);

    this.trackEndpoints(sa, p, fromInit, ike.carrier === 'ike-port' ? 'ike' : 'natt');
    this.trackFloat(sa, p, ike, fromInit, retransmission);
    this.trackResponsePorts(sa, p, ike, fromInit);

    if (fromInit) {
      if (isZero(ike.rspi) && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE || ike.exchangeType === EXCHANGE.IKE_SA_INIT)) sa.initiatorFirstSeen = true;
      for (const v of ike.vendorIds) if (sa.initiatorVids.length < MAX_VIDS && !sa.initiatorVids.some((x) => x.hex === v.hex)) sa.initiatorVids.push(v);
    } else {
      for (const v of ike.vendorIds) if (sa.responderVids.length < MAX_VIDS && !sa.responderVids.some((x) => x.hex === v.hex)) sa.responderVids.push(v);
      if (ike.ikeVersion === 1 && ike.phase1Hashes.length === 1 && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE)) sa.negotiatedHash = ike.phase1Hashes[0]!;
    }
    if (ike.natd.length && !retransmission && sa.natdChecks.length < MAX_NATD_CHECKS) {
      for (const n of ike.natd) sa.natdPayloadKinds.add(n.kind);
      sa.natdChecks.push(checkNatd(natdInputOf(p, fromInit, sa.negotiatedHash)!));
    }
    for (const oa of ike.natOa) if (sa.natOa.length < 4) sa.natOa.push(oa);
    for (const m of ike.encapModes) sa.encapModes.add(m);
    for (const c of ike.childSpis) if (c.protocol === 3 && sa.espSpis.size < 64) sa.espSpis.set(c.spi, 'sa-payload');
    const standard = [...this.options.ikePorts, ...this.options.nattPorts];
    const odd = fromInit ? sa.initiatorOddPortFrames : sa.responderOddPortFrames;
    if (!standard.includes(p.src.port) && odd.length < 8) odd.push(p.frame);
    return sa;
  }

  private trackEndpoints(sa: IkeSaState, p: PacketFacts, fromInit: boolean, carrier: 'ike' | 'natt'): void {
    const me = p.src; // the sender
    const peer = p.dst;
    const mine = fromInit ? sa.initiatorEndpoints : sa.responderEndpoints;
    const theirs = fromInit ? sa.responderEndpoints : sa.initiatorEndpoints;
    if (fromInit) {
      sa.initiator ??= me;
      sa.responder ??= peer;
      // Rebinding: the initiator from a new address or port on the same carrier. The float
      // itself (500 → 4500, usually a new NAT mapping too) is not one.
      const previous = sa.initiatorByCarrier.get(carrier);
      if (previous && !sameEndpoint(previous, me) && sa.rebindingFrame === undefined) {
        sa.rebindingFrame = p.frame;
        sa.oldInitiatorEndpoint = previous;
      }
      sa.initiatorByCarrier.set(carrier, me);
      sa.lastInitiator = me;
      sa.lastResponder ??= peer;
    } else {
      sa.responder ??= me;
      sa.initiator ??= peer;
      if (sa.rebindingFrame !== undefined && sa.oldInitiatorEndpoint && sameEndpoint(sa.oldInitiatorEndpoint, peer) && p.frame > sa.rebindingFrame) {
        this.findings.add('natt.rebinding_not_followed', saLabel(sa), p.frame, `After the initiator moved to ${endpointKey(sa.lastInitiator!)} (frame ${sa.rebindingFrame}), the responder still sent to ${endpointKey(peer)}`);
      }
      sa.lastResponder = me;
      sa.lastInitiator ??= peer;
    }
    if (mine.size < MAX_ENDPOINTS && !mine.has(endpointKey(me))) mine.set(endpointKey(me), p.frame);
    if (theirs.size < MAX_ENDPOINTS && !theirs.has(endpointKey(peer))) theirs.set(endpointKey(peer), p.frame);
  }

  private trackFloat(sa: IkeSaState, p: PacketFacts, ike: IkeMessageFacts, fromInit: boolean, retransmission: boolean): void {
    const onNatt = ike.carrier === 'natt-port' || ike.carrier === 'natt-port-no-marker';
    if (onNatt && sa.nattPortMessagesFrames.length < 4) sa.nattPortMessagesFrames.push(p.frame);
    if (onNatt && sa.floatedAtFrame === null && !sa.startedOnNattPort) {
      sa.floatedAtFrame = p.frame;
      if (ike.ikeVersion === 2) {
        sa.floatedAt = exchangeName(2, ike.exchangeType) + (ike.isResponse ? ' response' : ' request');
        sa.floatExpected = ike.exchangeType === EXCHANGE.IKE_AUTH && ike.isResponse === false;
      } else if (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE) {
        const ordinal = sa.phase1Messages + 1;
        const mode = ike.exchangeType === EXCHANGE.MAIN ? 'Main Mode' : 'Aggressive Mode';
        sa.floatedAt = `${mode} message ${ordinal}`;
        sa.floatExpected = fromInit && ordinal === (ike.exchangeType === EXCHANGE.MAIN ? 5 : 3);
      } else {
        sa.floatedAt = exchangeName(1, ike.exchangeType);
        sa.floatExpected = false;
      }
    } else if (!onNatt && sa.floatedAtFrame !== null && ike.carrier === 'ike-port') {
      this.findings.add('natt.ike_on_500_after_float', saLabel(sa), p.frame, `IKE message on UDP ${p.src.port}→${p.dst.port} after the SA floated at frame ${sa.floatedAtFrame}`);
    }
    if (!onNatt && sa.floatedAtFrame === null && ike.carrier === 'ike-port') {
      const late =
        ike.ikeVersion === 2
          ? ike.exchangeType !== EXCHANGE.IKE_SA_INIT
          : (ike.exchangeType === EXCHANGE.MAIN && sa.phase1Messages >= 4) || (ike.exchangeType === EXCHANGE.AGGRESSIVE && sa.phase1Messages >= 2) || ike.exchangeType === EXCHANGE.QUICK;
      if (late && sa.laterMessagesOnIkePort.length < 8) sa.laterMessagesOnIkePort.push(p.frame);
    }
    if (!retransmission && ike.ikeVersion === 1 && (ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE)) sa.phase1Messages++;
  }

  /** RFC 7296 §2.11 / RFC 3947 §3: a response goes to the address and port the request came from. */
  private trackResponsePorts(sa: IkeSaState, p: PacketFacts, ike: IkeMessageFacts, fromInit: boolean): void {
    const isRequest = ike.ikeVersion === 2 ? ike.isResponse === false : fromInit;
    const requestFromInit = ike.ikeVersion === 2 ? (isRequest ? fromInit : !fromInit) : true;
    const key = `${ike.exchangeType}|${ike.messageId}|${requestFromInit}`;
    if (isRequest) {
      if (sa.pending.size >= MAX_PENDING) sa.pending.delete(sa.pending.keys().next().value as string);
      sa.pending.set(key, { src: p.src, dst: p.dst, frame: p.frame });
      return;
    }
    const req = sa.pending.get(key);
    if (!req) return;
    if (!sameEndpoint(req.src, p.dst) || !sameEndpoint(req.dst, p.src)) {
      this.findings.add(
        'natt.response_port_mismatch',
        saLabel(sa),
        [req.frame, p.frame],
        `Request frame ${req.frame} came from ${endpointKey(req.src)} to ${endpointKey(req.dst)}, the response (frame ${p.frame}) went from ${endpointKey(p.src)} to ${endpointKey(p.dst)}`,
      );
    }
  }
}

export function saLabel(sa: IkeSaState): string {
  return `IKEv${sa.ikeVersion} ${toHex(sa.ispi)}/${toHex(sa.rspi)}`;
}
