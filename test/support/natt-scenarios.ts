/**
 * Crafted NAT-T sessions as seen from a chosen capture point. The model: initiator I behind an
 * optional NAT (private → public mapping), responder R behind an optional port-forwarding NAT.
 * Every message carries the NAT-D hashes its sender would compute from its own view, and the
 * capture shows the addresses as they are at the capture point. Used by the analysis tests.
 */
import { ether, ipv4, udp, nonEsp, nonIke, keepalive as keepaliveBytes, esp as espBytes, hex, concat, u8, u16, ip4, type Bytes } from './packet-builders.js';
import { writePcap, type RecordSpec } from './capture-writer.js';
import { ikeMessage, natd, natdHash, notifyV2, saV1Phase1, vid, VID, NAT_DETECTION_DESTINATION_IP, NAT_DETECTION_SOURCE_IP, natOa, saV1Quick, type PayloadSpec } from './ike-builders.js';

export interface Addr {
  readonly address: string;
  readonly port: number;
}

/** Where the capture sits. */
export type CapturePoint = 'initiator-inside' | 'middle' | 'responder-inside';

export interface SessionSpec {
  readonly version: 1 | 2;
  readonly initiator: string; // private address
  /** Public address of the initiator's NAT; undefined = no NAT in front of the initiator. */
  readonly initiatorNat?: string;
  /** Public source port the initiator's NAT picks for 500 and 4500 (default: preserves). */
  readonly initiatorNatPorts?: readonly [number, number];
  readonly responder: string; // private address of the responder
  /** Public address the responder is reached at (port-forwarded); undefined = no NAT. */
  readonly responderNat?: string;
  readonly capture: CapturePoint;
  /** Initiator fakes its source NAT-D (strongSwan encap=yes): random address, port 0. */
  readonly fakeSource?: boolean;
  /** Initiator hashes its source with port 0 (libreswan encapsulation=yes). */
  readonly portZeroSource?: boolean;
  /** Float to 4500 after NAT-D (default: when a NAT or a fake is involved). */
  readonly float?: boolean;
  /** Send NAT-T vendor IDs (IKEv1; default RFC 3947 both sides). */
  readonly vids?: { readonly initiator: readonly Bytes[]; readonly responder: readonly Bytes[] };
  readonly natdType?: number;
  readonly keepalives?: { readonly count: number; readonly interval: number; readonly from: 'initiator' | 'responder' };
  readonly espPackets?: number;
  readonly rawEsp?: boolean;
  /** IKEv1 Quick Mode SA in clear (crafted): encapsulation mode and optional NAT-OA. */
  readonly quickMode?: { readonly encapMode: number; readonly natOa?: readonly string[] };
  readonly ispi?: Bytes;
  readonly rspi?: Bytes;
  readonly startTime?: number;
  /** Responder answers IKE_AUTH / MM6 to this port instead of the request's source port. */
  readonly wrongResponsePort?: number;
  /** Skip the float message and keep IKE_AUTH / MM5+ on 500 even with a NAT. */
  readonly noFloat?: boolean;
  /** An encrypted INFORMATIONAL request/response this many seconds after the last message. */
  readonly informationalAfter?: number;

  // Conformance violations for `espy verify` (all off by default; nothing above changes).
  /** This side sends no NAT-D (IKEv1 MM3/MM4; IKEv2 no NAT_DETECTION notifies). */
  readonly natdOmit?: 'initiator' | 'responder';
  /** This side sends only its destination NAT-D. */
  readonly natdOnlyDestination?: 'initiator' | 'responder';
  /** This side swaps its NAT-D: IKEv1 source hash first; IKEv2 SOURCE and DESTINATION notify types exchanged. */
  readonly natdSwapped?: 'initiator' | 'responder';
  /** IKEv2: the IKE_SA_INIT response's NAT-D hashes use SPIr = 0. */
  readonly natdZeroSpirInResponse?: boolean;
  /** IKEv2: protocol ID of the NAT_DETECTION notifies (default 0). */
  readonly natdNotifyProtocolId?: number;
  /** Cut every NAT-D hash to this many bytes. */
  readonly natdLength?: number;
  /** The first IKE message on the NAT-T port goes without the non-ESP marker. */
  readonly markerMissing?: boolean;
  /** The responder's first message after the float leaves from UDP 500 (no marker). */
  readonly floatedReplyFrom500?: boolean;
  /** The `informationalAfter` exchange goes over UDP 500 even after the float. */
  readonly informationalOn500?: boolean;
  /** Keepalive payload (default one octet 0xFF). */
  readonly keepaliveBytes?: Bytes;
  /** Keepalives sent between the IKE ports (500) instead of the NAT-T ports. */
  readonly keepaliveOnIkePort?: boolean;
  /** ESP-in-UDP with a computed UDP checksum instead of 0. */
  readonly espChecksum?: boolean;
  /** ESP SPIs: [initiator → responder, responder → initiator] (default 0xc0ffee02, 0xc0ffee01). */
  readonly espSpis?: readonly [number, number];
  /** ESP-in-UDP ports as seen at the capture point, from the initiator's side: [initiator, responder]. */
  readonly espPorts?: readonly [number, number];
  /** ESP in UDP 500 behind the drafts' 8-byte non-IKE marker. */
  readonly espOnIkePort?: boolean;
  /** Halfway through the ESP, the initiator's NAT maps its NAT-T port to `newPort`; the responder follows or keeps the old one. */
  readonly mappingChange?: { readonly newPort: number; readonly responderFollows: boolean };
  /** NAT-OA ID type in the crafted Quick Mode (default 1, ID_IPV4_ADDR). */
  readonly natOaIdType?: number;
}

export interface Scenario {
  readonly pcap: Uint8Array;
  readonly frames: number;
  /** The records written, for tests that merge or edit sessions. */
  readonly records: readonly RecordSpec[];
}

interface Msg {
  readonly fromInitiator: boolean;
  readonly ike?: (ports: { sport: number; dport: number }) => Bytes;
  readonly raw?: Bytes;
  readonly nattPort: boolean;
  readonly kind: 'ike' | 'keepalive' | 'esp' | 'raw-esp';
  readonly dt: number;
  /** Sent after the `mappingChange`. */
  readonly late?: boolean;
}

/** What the capture point sees for a packet from the initiator (or from the responder). */
function view(spec: SessionSpec, fromInitiator: boolean, nattPort: boolean): { src: Addr; dst: Addr } {
  const basePort = nattPort ? 4500 : 500;
  const iPriv: Addr = { address: spec.initiator, port: basePort };
  const iPubPort = spec.initiatorNatPorts ? spec.initiatorNatPorts[nattPort ? 1 : 0] : basePort;
  const iPub: Addr = spec.initiatorNat ? { address: spec.initiatorNat, port: iPubPort } : iPriv;
  const rPriv: Addr = { address: spec.responder, port: basePort };
  const rPub: Addr = spec.responderNat ? { address: spec.responderNat, port: basePort } : rPriv;
  const iSeen = spec.capture === 'initiator-inside' ? iPriv : iPub;
  const rSeen = spec.capture === 'responder-inside' ? rPriv : rPub;
  return fromInitiator ? { src: iSeen, dst: rSeen } : { src: rSeen, dst: iSeen };
}

export function natSession(spec: SessionSpec): Scenario {
  const ispi = spec.ispi ?? hex('1122334455667788');
  const rspi = spec.rspi ?? hex('99aabbccddeeff00');
  const zero = new Uint8Array(8);
  const alg = spec.version === 2 ? 'sha1' : 'sha1';
  const iPriv = { address: spec.initiator, port: 500 };
  const iPub = spec.initiatorNat ? { address: spec.initiatorNat, port: spec.initiatorNatPorts?.[0] ?? 500 } : iPriv;
  const rPriv = { address: spec.responder, port: 500 };
  const rPub = spec.responderNat ? { address: spec.responderNat, port: 500 } : rPriv;
  const natInvolved = !!spec.initiatorNat || !!spec.responderNat || !!spec.fakeSource || !!spec.portZeroSource;
  const float = !spec.noFloat && (spec.float ?? natInvolved);
  const msgs: Msg[] = [];
  const add = (m: Msg): void => {
    msgs.push(m);
  };
  // The initiator's own source hash: its private address, or a fake.
  const cut = (h: Bytes): Bytes => (spec.natdLength !== undefined ? h.subarray(0, spec.natdLength) : h);
  const initiatorSource = (r: Bytes): Bytes =>
    cut(spec.fakeSource ? natdHash(alg, ispi, r, '203.0.113.254', 0) : natdHash(alg, ispi, r, iPriv.address, spec.portZeroSource ? 0 : iPriv.port));
  /** One side's NAT-D as IKEv2 notifies or IKEv1 payloads (destination first), with the requested violations. */
  const natdV2 = (side: 'initiator' | 'responder', source: Bytes, destination: Bytes): PayloadSpec[] => {
    if (spec.natdOmit === side) return [];
    const notify = (type: number, h: Bytes): PayloadSpec =>
      spec.natdNotifyProtocolId !== undefined ? { type: 41, body: concat(u8(spec.natdNotifyProtocolId), u8(0), u16(type), cut(h)) } : notifyV2(type, cut(h));
    const [srcType, dstType] = spec.natdSwapped === side ? [NAT_DETECTION_DESTINATION_IP, NAT_DETECTION_SOURCE_IP] : [NAT_DETECTION_SOURCE_IP, NAT_DETECTION_DESTINATION_IP];
    return spec.natdOnlyDestination === side ? [notify(dstType, destination)] : [notify(srcType, source), notify(dstType, destination)];
  };
  const natdV1 = (side: 'initiator' | 'responder', destination: Bytes, source: Bytes, type: number): PayloadSpec[] => {
    if (spec.natdOmit === side) return [];
    if (spec.natdOnlyDestination === side) return [natd(cut(destination), type)];
    return spec.natdSwapped === side ? [natd(cut(source), type), natd(cut(destination), type)] : [natd(cut(destination), type), natd(cut(source), type)];
  };
  const rspiResponseNatd = spec.natdZeroSpirInResponse ? zero : rspi;
  if (spec.version === 2) {
    add({ fromInitiator: true, nattPort: false, kind: 'ike', dt: 0, ike: () => ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: natdV2('initiator', initiatorSource(zero), natdHash(alg, ispi, zero, rPub.address, rPub.port)) }) });
    add({ fromInitiator: false, nattPort: false, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 2, exchange: 34, flags: 0x20, payloads: [{ type: 33, body: hex('00000008 01000000') }, ...natdV2('responder', natdHash(alg, ispi, rspiResponseNatd, rPriv.address, rPriv.port), natdHash(alg, ispi, rspiResponseNatd, iPub.address, iPub.port))] }) });
    const auth = (fromInitiator: boolean, flags: number) => ({ fromInitiator, nattPort: float, kind: 'ike' as const, dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 2, exchange: 35, flags, mid: 1, payloads: [{ type: 46, body: new Uint8Array(48) }] }) });
    add(auth(true, 0x08));
    add(auth(false, 0x20));
  } else {
    const vids = spec.vids ?? { initiator: [VID.RFC3947, VID.DRAFT02N], responder: [VID.RFC3947] };
    const t = spec.natdType ?? 20;
    add({ fromInitiator: true, nattPort: false, kind: 'ike', dt: 0, ike: () => ikeMessage({ ispi, version: 1, exchange: 2, payloads: [saV1Phase1(2), ...vids.initiator.map(vid)] }) });
    add({ fromInitiator: false, nattPort: false, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [saV1Phase1(2), ...vids.responder.map(vid)] }) });
    const ke: PayloadSpec[] = [{ type: 4, body: new Uint8Array(128) }, { type: 10, body: new Uint8Array(16) }];
    add({ fromInitiator: true, nattPort: false, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [...ke, ...natdV1('initiator', natdHash(alg, ispi, rspi, rPub.address, rPub.port), initiatorSource(rspi), t)] }) });
    add({ fromInitiator: false, nattPort: false, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [...ke, ...natdV1('responder', natdHash(alg, ispi, rspi, iPub.address, iPub.port), natdHash(alg, ispi, rspi, rPriv.address, rPriv.port), t)] }) });
    const enc = (fromInitiator: boolean, exchange = 2, mid = 0) => ({ fromInitiator, nattPort: float, kind: 'ike' as const, dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange, flags: 1, mid, payloads: [{ type: 5, body: new Uint8Array(60) }] }) });
    add(enc(true));
    add(enc(false));
    if (spec.quickMode) {
      const qm = spec.quickMode;
      const oa = (a: string): PayloadSpec => (spec.natOaIdType !== undefined ? { type: t === 130 ? 131 : 21, body: concat(u8(spec.natOaIdType), u8(0), u16(0), ip4(a)) } : natOa(a, t === 130 ? 131 : 21));
      const payloads = (spi: number): PayloadSpec[] => [{ type: 8, body: new Uint8Array(20) }, saV1Quick(spi, qm.encapMode), { type: 10, body: new Uint8Array(16) }, ...(qm.natOa ?? []).map(oa)];
      add({ fromInitiator: true, nattPort: float, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange: 32, mid: 0x1234, payloads: payloads(0xc0ffee01) }) });
      add({ fromInitiator: false, nattPort: float, kind: 'ike', dt: 0.01, ike: () => ikeMessage({ ispi, rspi, version: 1, exchange: 32, mid: 0x1234, payloads: payloads(0xc0ffee02) }) });
    } else {
      add(enc(true, 32, 0x1234));
      add(enc(false, 32, 0x1234));
    }
  }
  const espCount = spec.espPackets ?? 0;
  const lateFrom = spec.mappingChange ? 2 * Math.floor(espCount / 4) : Infinity;
  const [spiOut, spiIn] = spec.espSpis ?? [0xc0ffee02, 0xc0ffee01];
  for (let i = 0; i < espCount; i++) {
    const bytes = espBytes(i % 2 === 0 ? spiOut : spiIn, Math.floor(i / 2) + 1, new Uint8Array(48));
    add({ fromInitiator: i % 2 === 0, nattPort: float && !spec.espOnIkePort, kind: spec.rawEsp ? 'raw-esp' : 'esp', dt: 0.1, raw: spec.espOnIkePort ? nonIke(bytes) : bytes, late: i >= lateFrom });
  }
  const ka = spec.keepalives;
  for (let i = 0; i < (ka?.count ?? 0); i++) add({ fromInitiator: ka!.from === 'initiator', nattPort: !spec.keepaliveOnIkePort, kind: 'keepalive', dt: ka!.interval, raw: spec.keepaliveBytes ?? keepaliveBytes(), late: lateFrom !== Infinity });

  if (spec.informationalAfter !== undefined) {
    const info = (fromInitiator: boolean, flags: number, dt: number): Msg => ({
      fromInitiator,
      nattPort: float && !spec.informationalOn500,
      kind: 'ike',
      dt,
      late: lateFrom !== Infinity,
      ike: () => ikeMessage({ ispi, rspi, version: spec.version, exchange: spec.version === 2 ? 37 : 5, flags, mid: 7, payloads: [{ type: spec.version === 2 ? 46 : 8, body: new Uint8Array(32) }] }),
    });
    add(info(true, spec.version === 2 ? 0x08 : 1, spec.informationalAfter));
    add(info(false, spec.version === 2 ? 0x20 : 1, 0.01));
  }
  const records: RecordSpec[] = [];
  let time = spec.startTime ?? 1_700_000_000;
  let lastRequestSource: Addr | undefined;
  let markerDropped = false;
  let replyFrom500 = false;
  for (const m of msgs) {
    time += m.dt;
    const seen = view(spec, m.fromInitiator, m.nattPort);
    let { src } = seen;
    const { dst } = seen;
    let realDst = dst;
    if (!m.fromInitiator && spec.wrongResponsePort !== undefined && m.nattPort && m.kind === 'ike') realDst = { ...dst, port: spec.wrongResponsePort };
    if (spec.espPorts && m.kind === 'esp') {
      src = { ...src, port: spec.espPorts[m.fromInitiator ? 0 : 1] };
      realDst = { ...realDst, port: spec.espPorts[m.fromInitiator ? 1 : 0] };
    }
    // The initiator's NAT moves its NAT-T mapping; the capture sees it unless it sits inside that NAT.
    if (spec.mappingChange && m.late && m.nattPort && spec.initiatorNat && spec.capture !== 'initiator-inside') {
      if (m.fromInitiator) src = { ...src, port: spec.mappingChange.newPort };
      else if (spec.mappingChange.responderFollows) realDst = { ...realDst, port: spec.mappingChange.newPort };
    }
    let marker = true;
    if (spec.markerMissing && m.kind === 'ike' && m.nattPort && !markerDropped) {
      markerDropped = true;
      marker = false;
    }
    if (spec.floatedReplyFrom500 && !m.fromInitiator && m.kind === 'ike' && m.nattPort && !replyFrom500) {
      replyFrom500 = true;
      marker = false;
      src = { ...src, port: 500 };
    }
    if (m.fromInitiator && m.kind === 'ike') lastRequestSource = src;
    void lastRequestSource;
    let payload: Bytes;
    if (m.kind === 'raw-esp') {
      records.push({ data: ether(ipv4({ src: src.address, dst: realDst.address, proto: 50 }, m.raw!)), tsSec: Math.floor(time), tsUsec: Math.round((time % 1) * 1e6) });
      continue;
    }
    if (m.kind === 'ike') payload = m.nattPort && marker ? nonEsp(m.ike!({ sport: src.port, dport: realDst.port })) : m.ike!({ sport: src.port, dport: realDst.port });
    else payload = m.raw!;
    const zeroChecksum = m.kind === 'keepalive' || (m.kind === 'esp' && !spec.espChecksum);
    records.push({ data: ether(ipv4({ src: src.address, dst: realDst.address }, udp(src.port, realDst.port, payload, zeroChecksum ? { checksum: 0 } : {}))), tsSec: Math.floor(time), tsUsec: Math.round((time % 1) * 1e6) });
  }
  return { pcap: writePcap(records), frames: records.length, records };
}
