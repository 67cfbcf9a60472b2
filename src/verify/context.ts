import type { Endpoint } from '../analysis/facts.js';
import { endpointKey } from '../analysis/facts.js';
import type { AnalysisReport, IkeSaReport } from '../analysis/report.js';
import type { CapturePosition, NatSide } from '../analysis/nat-detection.js';
import type { DirectionActivity, EncapFlow, IkeMsg, MappingChange, SaRecord, Silence } from './model.js';
import type { VerifyObserver } from './observe.js';
import type { Role } from './requirements.js';

export type NatState = 'yes' | 'no' | 'unknown';

export interface SideFlow {
  readonly flow: EncapFlow;
  readonly from: Role;
}

export interface SideChange {
  readonly change: MappingChange;
  readonly mover: Role;
}

export interface VerifySettings {
  readonly ikePorts: readonly number[];
  readonly nattPorts: readonly number[];
  /** RFC 3948 §4 M: seconds without sending after which a NATed peer should send a keepalive. */
  readonly keepaliveInterval: number;
  /** RFC 3948 §4 N: seconds after an SA during which keepalives may still be sent. */
  readonly keepaliveAfterSa: number;
}

export const DEFAULT_VERIFY_SETTINGS: VerifySettings = { ikePorts: [500], nattPorts: [4500], keepaliveInterval: 20, keepaliveAfterSa: 300 };

/** Everything the checks know about one IKE SA. */
export interface SaContext {
  readonly sa: SaRecord;
  readonly report: IkeSaReport | undefined;
  readonly version: 1 | 2;
  readonly messages: readonly IkeMsg[];
  /** The analysis verdict per side, and where the capture sits relative to that side's NAT. */
  readonly natSide: Readonly<Record<Role, NatSide>>;
  readonly capture: Readonly<Record<Role, CapturePosition>>;
  readonly forced: boolean;
  /** Whether the peers had reason to use NAT-T: a NAT, or a faked NAT-D forcing encapsulation. */
  readonly nat: NatState;
  readonly nattMethod: string | null;
  /** First IKE message of the SA on the NAT-T port, when the SA did not start there. */
  readonly floatFrame: number | undefined;
  readonly startedOnNatt: boolean;
  readonly flows: readonly SideFlow[];
  readonly activity: Readonly<Partial<Record<Role, DirectionActivity>>>;
  readonly changes: readonly SideChange[];
  readonly recovered: Readonly<Record<Role, string | null>>;
  /** ESP SPIs known anywhere in the capture (for ESP on port 500 without a marker). */
  readonly knownSpis: ReadonlySet<number>;
  readonly oddIkePort: readonly { readonly frame: number; readonly from: Role; readonly firstWord: number; readonly dst: Endpoint; readonly src: Endpoint }[];
  readonly markerWithoutIke: readonly { readonly frame: number; readonly from: Role }[];
  readonly settings: VerifySettings;
  /** Stretches with no packet at all in the capture; `undefined` when too many to keep. */
  readonly captureGaps: readonly Silence[] | undefined;
  /** SAs of the capture by "initiator address|responder address" (rekeys, several clients behind one NAT). */
  readonly byPair: () => ReadonlyMap<string, readonly SaContext[]>;
}

export function pairKey(initiator: string | undefined, responder: string | undefined): string {
  return `${initiator ?? '?'}|${responder ?? '?'}`;
}

export function endpointsOf(sa: SaRecord, role: Role): Set<string> {
  const out = new Set<string>();
  for (const m of sa.messages) out.add(endpointKey((role === 'initiator') === m.fromInitiator ? m.src : m.dst));
  const first = role === 'initiator' ? sa.initiator : sa.responder;
  if (first) out.add(endpointKey(first));
  return out;
}

export function addressesOf(sa: SaRecord, role: Role): Set<string> {
  const out = new Set<string>();
  for (const m of sa.messages) out.add(((role === 'initiator') === m.fromInitiator ? m.src : m.dst).address);
  const first = role === 'initiator' ? sa.initiator : sa.responder;
  if (first) out.add(first.address);
  return out;
}

function natState(r: IkeSaReport | undefined): NatState {
  if (!r) return 'unknown';
  if (r.nat.initiator === 'behind-nat' || r.nat.responder === 'behind-nat' || r.nat.forcedEncapsulation) return 'yes';
  if (r.nat.initiator === 'not-behind-nat' && r.nat.responder === 'not-behind-nat') return 'no';
  return 'unknown';
}

interface Base {
  sa: SaRecord;
  report: IkeSaReport | undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds one context per IKE SA from what the observer kept and the analysis concluded. Each
 * SA's report entry, and the SA each flow belongs to, are the analysis's own (the observer was
 * told them by the pass): nothing is joined again here.
 */
export function buildContexts(obs: VerifyObserver, analysis: AnalysisReport, settings: VerifySettings): SaContext[] {
  const bases: Base[] = [...obs.sas.values()].sort((a, b) => a.firstFrame - b.firstFrame).map((sa) => ({ sa, report: sa.report }));
  const baseOf = new Map<SaRecord, Base>(bases.map((b) => [b.sa, b]));

  const flows = new Map<Base, SideFlow[]>();
  const spiOwner = new Map<number, { base: Base; from: Role }>();
  const knownSpis = new Set<number>();
  for (const r of analysis.ikeSas) for (const spi of r.espSpis) knownSpis.add(parseInt(spi, 16) >>> 0);
  for (const f of obs.flows.values()) {
    if (f.spi !== undefined) knownSpis.add(f.spi);
    const record = f.owner ? obs.recordOf(f.owner.sa) : undefined;
    const base = record ? baseOf.get(record) : undefined;
    if (!base || !f.owner) continue;
    const owner = { base, from: (f.owner.fromInitiator ? 'initiator' : 'responder') as Role };
    if (f.spi !== undefined) spiOwner.set(f.spi, owner);
    push(flows, base, { flow: f, from: owner.from });
  }

  const changes = new Map<Base, SideChange[]>();
  for (const c of obs.changes) {
    const record = c.sa ? obs.recordOf(c.sa) : undefined;
    const base = record ? baseOf.get(record) : undefined;
    const owner = base && c.moverIsInitiator !== undefined ? { base, from: (c.moverIsInitiator ? 'initiator' : 'responder') as Role } : c.spi !== undefined ? spiOwner.get(c.spi) : undefined;
    if (!owner) continue;
    const list = changes.get(owner.base) ?? [];
    list.push({ change: c, mover: owner.from });
    changes.set(owner.base, list);
  }

  const contexts: SaContext[] = [];
  let pairs: Map<string, SaContext[]> | undefined;
  const byPair = (): ReadonlyMap<string, readonly SaContext[]> => {
    if (!pairs) {
      pairs = new Map();
      for (const c of contexts) push(pairs, pairKey(c.sa.initiator?.address, c.sa.responder?.address), c);
    }
    return pairs;
  };
  for (const b of bases) {
    const { sa, report } = b;
    const startedOnNatt = sa.messages[0]?.onNattPort === true;
    // The analysis's float frame; without its report entry, the first message on the NAT-T port.
    const floatFrame = report ? (report.floatedAtFrame ?? undefined) : startedOnNatt ? undefined : sa.messages.find((m) => m.onNattPort)?.frame;
    const initAddr = sa.initiator?.address;
    const respAddr = sa.responder?.address;
    const odd = obs.oddIkePort.flatMap((o) => {
      const from: Role | undefined = o.src.address === initAddr && o.dst.address === respAddr ? 'initiator' : o.src.address === respAddr && o.dst.address === initAddr ? 'responder' : undefined;
      return from ? [{ frame: o.frame, from, firstWord: o.firstWord, src: o.src, dst: o.dst }] : [];
    });
    const markers = obs.markerWithoutIke.flatMap((o) => {
      const from: Role | undefined = o.src.address === initAddr && o.dst.address === respAddr ? 'initiator' : o.src.address === respAddr && o.dst.address === initAddr ? 'responder' : undefined;
      return from ? [{ frame: o.frame, from }] : [];
    });
    const activity: Partial<Record<Role, DirectionActivity>> = {};
    if (initAddr && respAddr) {
      const i = obs.activity.get(`${initAddr}>${respAddr}`);
      const r = obs.activity.get(`${respAddr}>${initAddr}`);
      if (i) activity.initiator = i;
      if (r) activity.responder = r;
    }
    contexts.push({
      sa,
      report,
      version: sa.ikeVersion,
      messages: sa.messages,
      natSide: { initiator: report?.nat.initiator ?? 'unknown', responder: report?.nat.responder ?? 'unknown' },
      capture: { initiator: report?.nat.capturePoint.initiatorNat ?? 'unknown', responder: report?.nat.capturePoint.responderNat ?? 'unknown' },
      forced: report?.nat.forcedEncapsulation ?? false,
      nat: natState(report),
      nattMethod: report?.nattMethod ?? null,
      floatFrame,
      startedOnNatt,
      flows: flows.get(b) ?? [],
      activity,
      changes: changes.get(b) ?? [],
      recovered: { initiator: report?.nat.privateAddresses.initiator ?? null, responder: report?.nat.privateAddresses.responder ?? null },
      knownSpis,
      oddIkePort: odd,
      markerWithoutIke: markers,
      settings,
      captureGaps: obs.captureGapsTruncated ? undefined : obs.captureGaps,
      byPair,
    });
  }
  return contexts;
}

/** The side that sent a message. */
export function senderOf(m: IkeMsg): Role {
  return m.fromInitiator ? 'initiator' : 'responder';
}
