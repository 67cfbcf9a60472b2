import { endpointKey, type Endpoint } from './facts.js';
import { EXCHANGE, exchangeName } from './exchange-names.js';
import type { FindingSink } from './finding-sink.js';
import type { FindingId } from './findings.js';
import { NOTIFY_BIT, saLabel, type IkeSa } from './ike-sa.js';
import type { EspDirectionReport, SaStatusReport } from './report.js';
import { notifyTypeName } from '../decode/isakmp/notify-types.js';

/** No ESP either way: one shared object (most SAs of a flood have none). */
export const NO_ESP: EspDirections = Object.freeze({ initiatorToResponder: null, responderToInitiator: null }) as EspDirections;

/** ESP seen for one IKE SA, per direction (built from the ESP SAs the analysis tied to it). */
export interface EspDirections {
  initiatorToResponder: EspDirectionReport | null;
  responderToInitiator: EspDirectionReport | null;
}

/** ESP SA to the initiator's old endpoint after it moved: the responder did not follow the mapping change. */
export interface StaleEsp {
  readonly spi: string;
  readonly dst: Endpoint;
  readonly lastFrame: number;
  readonly packets: number;
}

export interface StatusInput {
  readonly esp: EspDirections;
  /** The responder's ESP SAs still going to the initiator's old endpoint after the rebinding. */
  readonly staleEsp: readonly StaleEsp[];
  /** A NAT mapping lifetime (s): longer silences are gaps (`--keepalive-timeout`). */
  readonly keepaliveTimeout: number;
}

/** ICMP error kinds as `IkeSa.icmpErrors` codes them (`ICMP_KIND_CODE`). */
export const ICMP_KIND_CODE = { unreachable: 1, 'too-big': 2, prohibited: 3, other: 4 } as const;
const ICMP_FINDING: Readonly<Record<number, FindingId | undefined>> = { 1: 'icmp.unreachable', 2: 'icmp.too_big', 3: 'icmp.prohibited' };
const ICMP_MEANING: Readonly<Record<number, string>> = {
  1: 'the peer or its NAT has nothing listening there any more (a NAT mapping that expired or moved, or a daemon that stopped)',
  2: "the path's MTU is smaller than these packets (fragmentation needed / packet too big): ESP-in-UDP that does not fit is dropped",
  3: 'a filter on the path refuses them (administratively prohibited)',
  4: 'the path reported an error for them',
};

/** Requests whose loss leaves the SA unestablished. */
function negotiates(version: 1 | 2, exchange: number): boolean {
  return version === 2 ? exchange === EXCHANGE.IKE_SA_INIT || exchange === EXCHANGE.IKE_AUTH : exchange === EXCHANGE.MAIN || exchange === EXCHANGE.AGGRESSIVE;
}

/** A typical path MTU: an IKE message (plus IP and UDP headers, and the non-ESP marker) larger than this is fragmented on most paths. */
const TYPICAL_PATH_MTU = 1500;

function fragmentationOffered(sa: IkeSa): string {
  if (sa.ikeVersion === 2) {
    const i = (sa.notifies & NOTIFY_BIT.FRAGMENTATION_INITIATOR) !== 0;
    const r = (sa.notifies & NOTIFY_BIT.FRAGMENTATION_RESPONDER) !== 0;
    return i && r ? 'both peers announced IKEv2 fragmentation (RFC 7383), yet the message went as IP fragments' : `IKEv2 fragmentation (RFC 7383) was ${i || r ? `offered by the ${i ? 'initiator' : 'responder'} only` : 'not offered by either peer'}, so the peers could not avoid IP fragments`;
  }
  const has = (vids: readonly { name?: string }[]): boolean => vids.some((v) => v.name !== undefined && /fragmentation/i.test(v.name));
  const i = has(sa.initiatorVids);
  const r = has(sa.responderVids);
  return i && r ? 'both peers announced IKE fragmentation (vendor ID), yet the message went as IP fragments' : `IKEv1 fragmentation was ${i || r ? `announced by the ${i ? 'initiator' : 'responder'} only` : 'not announced by either peer'}`;
}


function seconds(a: number, b: number): string {
  return `${Math.max(0, b - a).toFixed(1)} s`;
}

/**
 * Did the tunnel come up, and did traffic flow both ways? The status of one IKE SA and of its
 * CHILD SA(s), from what the capture shows, with the frames that prove it, and the failure
 * findings that name the cause.
 */
export function concludeStatus(sa: IkeSa, findings: FindingSink, input: StatusInput): SaStatusReport {
  const label = saLabel(sa);
  const { esp } = input;
  const anyEsp = esp.initiatorToResponder !== null || esp.responderToInitiator !== null;
  const laterExchanges = sa.ikeVersion === 2
    ? sa.exchangeCount(EXCHANGE.INFORMATIONAL) + sa.exchangeCount(EXCHANGE.CREATE_CHILD_SA) > 0
    : sa.exchangeCount(EXCHANGE.QUICK) > 0;
  const established = sa.establishedFrame >= 0 || anyEsp || laterExchanges;
  const opened = sa.initiatorFirstSeen;
  let cause: FindingId | null = null;
  let failedFrame: number | null = null;
  let verdictCause = '';

  // An error notify in clear, and the SA never established.
  if (sa.errorNotifyType >= 0 && !established) {
    const name = notifyTypeName(sa.errorNotifyType, sa.ikeVersion);
    const who = sa.errorNotifyFromInitiator ? 'initiator' : 'responder';
    findings.add('ike.error_notify', label, sa.errorNotifyFrame, `The ${who} refused the negotiation with ${name} (${sa.errorNotifyType}) in clear at frame ${sa.errorNotifyFrame}`);
    cause = 'ike.error_notify';
    failedFrame = sa.errorNotifyFrame;
    verdictCause = `refused: ${name}`;
  }

  // Requests retransmitted and never answered.
  const r = sa.openRequests;
  for (let i = 0; i < r.length; i += 8) {
    const exchange = r[i + 1]!;
    const byInitiator = r[i + 2] === 1;
    const first = r[i + 3]!;
    const last = r[i + 4]!;
    const copies = r[i + 5]!;
    const fragmented = r[i + 6]!;
    const bytes = r[i + 7]!;
    if (copies < 2) continue;
    // The peer sent nothing after the first copy: it never answered (or never got it).
    const peerLast = byInitiator ? sa.lastFromResponderFrame : sa.lastFromInitiatorFrame;
    if (peerLast > first) continue;
    const name = `${exchangeName(sa.ikeVersion, exchange)}${sa.ikeVersion === 2 ? ' request' : ''}`;
    const sender = byInitiator ? 'initiator' : 'responder';
    let why = '';
    if (fragmented > 0) why = `; ${fragmented === copies ? 'each copy' : `${fragmented} of the ${copies} copies`} arrived here as IP fragments (${bytes} bytes of IKE): fragments are likely dropped between here and the ${byInitiator ? 'responder' : 'initiator'} (a NAT or firewall that drops IP fragments); ${fragmentationOffered(sa)}`;
    else if (bytes + 36 > TYPICAL_PATH_MTU) why = `; the message (${bytes} bytes of IKE) is larger than a typical path MTU and is fragmented further on; ${fragmentationOffered(sa)}`;
    const essential = negotiates(sa.ikeVersion, exchange) && !established;
    findings.add('ike.request_unanswered', label, [first, last], `${name} from the ${sender} sent ${copies} times (frames ${first}–${last}), never answered${why}`);
    if (cause === null && (essential || !anyEsp || sa.lastFrame === last)) {
      cause = 'ike.request_unanswered';
      failedFrame = last;
      verdictCause = `${name} never answered: ${copies} tries${fragmented > 0 ? ', each IP-fragmented; fragments likely dropped on the path' : ''}`;
    }
  }

  // IP fragments sent after the SA's last message that never reassembled here: a large message
  // whose other fragments were lost before this point (no message followed them).
  const h = sa.heldFragments;
  if (h.length >= 2 && !established) {
    const frames: number[] = [];
    for (let i = 0; i < h.length; i += 2) frames.push(h[i]!);
    const sender = h[1] === 1 ? 'initiator' : 'responder';
    const after = sa.lastFromResponderFrame > sa.lastFromInitiatorFrame ? `the responder's message at frame ${sa.lastFromResponderFrame}` : `frame ${sa.lastFrame}`;
    findings.add('ike.fragments_incomplete', label, frames, `After ${after}, the ${sender} sent ${frames.length} IP fragments (frames ${frames.join(', ')}) whose datagrams never completed here and no IKE message followed: a large IKE message (IKE_AUTH with certificates or many proposals) lost its other fragments before this point; ${fragmentationOffered(sa)}`);
    if (cause === null) {
      cause = 'ike.fragments_incomplete';
      failedFrame = frames.at(-1)!;
      verdictCause = `the ${sender}'s next message arrived only as incomplete IP fragments (${frames.length}): fragments dropped before this point`;
    }
  }

  // IKEv1: a Quick Mode answered by an Informational (the refusal itself is encrypted) and no ESP.
  let childRefused = false;
  if (sa.ikeVersion === 1 && !anyEsp) {
    for (const q of sa.quickModes()) {
      if (q.step >= 3) continue;
      const infoAfter = sa.lastInformationalFrame;
      // An Informational that deletes the IKE SA in clear is a delete, not a refusal.
      if (infoAfter > q.frame && infoAfter !== sa.deletedFrame) {
        childRefused = true;
        findings.add('ike.child_sa_refused', label, [q.frame, infoAfter], `Quick Mode 0x${q.messageId.toString(16).padStart(8, '0')} (frame ${q.frame}) stopped at message ${q.step} and an Informational followed (frame ${infoAfter}, its notify is encrypted): the CHILD SA was refused and no ESP flows`);
        if (cause === null) {
          cause = 'ike.child_sa_refused';
          failedFrame = infoAfter;
          verdictCause = 'CHILD SA refused (Quick Mode answered by an Informational)';
        }
        break;
      }
    }
  }

  // ESP in one direction only, or one direction that stops while the other goes on.
  const i2r = esp.initiatorToResponder;
  const r2i = esp.responderToInitiator;
  if ((i2r === null) !== (r2i === null)) {
    const d = (i2r ?? r2i)!;
    const from = i2r ? 'initiator' : 'responder';
    if (d.packets >= 2) findings.add('esp.one_way', label, [d.firstFrame, d.lastFrame], `ESP only from the ${from}: ${d.packets} packets (frames ${d.firstFrame}–${d.lastFrame}, over ${seconds(d.firstTime, d.lastTime)}), nothing came back`);
  } else if (i2r && r2i) {
    const [early, late, earlyFrom] = i2r.lastTime < r2i.lastTime ? [i2r, r2i, 'initiator'] : [r2i, i2r, 'responder'];
    if (late.lastTime - early.lastTime > input.keepaliveTimeout)
      findings.add('esp.stopped', label, [early.lastFrame, late.lastFrame], `ESP from the ${earlyFrom} stopped at frame ${early.lastFrame}; the ${earlyFrom === 'initiator' ? 'responder' : 'initiator'} kept sending for ${seconds(early.lastTime, late.lastTime)} more (until frame ${late.lastFrame})`);
  }

  // ESP to a stale mapping after the initiator moved.
  for (const s of input.staleEsp) {
    findings.add('natt.rebinding_not_followed', label, [sa.rebindingFrame ?? s.lastFrame, s.lastFrame], `After the initiator moved (frame ${sa.rebindingFrame}), the responder kept sending ESP SPI 0x${s.spi} to its old endpoint ${endpointKey(s.dst)} until frame ${s.lastFrame}`);
  }

  // ICMP errors quoting the SA's packets.
  const e = sa.icmpErrors;
  for (let i = 0; i < e.length; i += 4) {
    const id = ICMP_FINDING[e[i]!];
    if (!id) continue;
    findings.add(id, label, [e[i + 2]!, e[i + 3]!], `${e[i + 1]} ICMP error(s) answered this SA's packets (frames ${e[i + 2]}–${e[i + 3]}): ${ICMP_MEANING[e[i]!]}`);
  }

  // The statuses.
  let ike: SaStatusReport['ike'];
  if (sa.deletedFrame >= 0) ike = 'deleted';
  else if (cause !== null && (!established || cause === 'ike.request_unanswered')) ike = 'failed';
  else if (established) ike = 'established';
  else if (opened) ike = 'negotiating';
  else ike = 'unknown';
  let child: SaStatusReport['child'];
  if (i2r && r2i) child = 'established';
  else if (i2r || r2i) child = 'one-way';
  else if (childRefused || (ike === 'failed' && !established)) child = 'failed';
  else if (established) child = 'none';
  else child = 'unknown';

  const verdict = verdictText(sa, ike, child, esp, verdictCause);
  return {
    ike,
    child,
    verdict,
    establishedFrame: sa.establishedFrame >= 0 ? sa.establishedFrame : null,
    failedFrame,
    deletedFrame: sa.deletedFrame >= 0 ? sa.deletedFrame : null,
    cause,
    esp,
    icmpErrors: icmpErrorsOf(sa),
  };
}

const ICMP_KIND_NAME = ['other', 'unreachable', 'too-big', 'prohibited', 'other'] as const;
const NO_ICMP: SaStatusReport['icmpErrors'] = Object.freeze([]);

function icmpErrorsOf(sa: IkeSa): SaStatusReport['icmpErrors'] {
  const e = sa.icmpErrors;
  if (e.length === 0) return NO_ICMP;
  const out: { kind: (typeof ICMP_KIND_NAME)[number]; count: number; firstFrame: number; lastFrame: number }[] = [];
  for (let i = 0; i < e.length; i += 4) out.push({ kind: ICMP_KIND_NAME[e[i]!] ?? 'other', count: e[i + 1]!, firstFrame: e[i + 2]!, lastFrame: e[i + 3]! });
  return out;
}

function espText(esp: EspDirections): string {
  const i = esp.initiatorToResponder;
  const r = esp.responderToInitiator;
  if (i && r) return `ESP both ways (${i.packets} → / ${r.packets} ← packets)`;
  if (i) return `ESP from the initiator only (${i.packets} packets, none back)`;
  if (r) return `ESP from the responder only (${r.packets} packets, none back)`;
  return 'no ESP';
}

/** One line: "IKE SA up at frame 8, CHILD SA up, ESP both ways (9 → / 9 ← packets)". */
function verdictText(sa: IkeSa, ike: SaStatusReport['ike'], child: SaStatusReport['child'], esp: EspDirections, cause: string): string {
  const at = sa.establishedFrame >= 0 ? ` at frame ${sa.establishedFrame}` : '';
  switch (ike) {
    case 'failed':
      return `${cause || 'failed'}${sa.establishedFrame >= 0 ? ` (IKE SA was up${at})` : ''}; ${espText(esp)}`;
    case 'deleted':
      return `IKE SA up${at}, deleted at frame ${sa.deletedFrame}; ${espText(esp)}`;
    case 'established':
      return `IKE SA up${at}${at ? '' : ' (established before the capture or in encrypted messages)'}, ${child === 'established' ? 'CHILD SA up' : child === 'one-way' ? 'CHILD SA one-way' : child === 'failed' ? `CHILD SA failed${cause ? `: ${cause}` : ''}` : 'no CHILD SA traffic seen'}, ${espText(esp)}`;
    case 'negotiating':
      return `still negotiating when the capture ends; ${espText(esp)}`;
    default:
      return `not enough of the negotiation in the capture to tell; ${espText(esp)}`;
  }
}
