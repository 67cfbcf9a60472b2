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
  initEndpoints: Set<string>;
  respEndpoints: Set<string>;
  initAddresses: Set<string>;
  respAddresses: Set<string>;
}

/**
 * Which SA and side a flow between two endpoints belongs to: exact endpoints first, then
 * addresses; of the SAs that started by the flow's first packet (1 s of slack), the latest (the
 * last of them in capture order on a tie). Indexed, so that thousands of flows and SAs cost
 * about flows + SAs: the candidates for a pair come from the shorter of the two endpoints' lists,
 * once per distinct pair, then a binary search by start time.
 */
class FlowAttribution {
  private readonly byEndpoint = new Map<string, Base[]>();
  private readonly byAddress = new Map<string, Base[]>();
  private readonly pairs = new Map<string, { base: Base; from: Role }[]>();

  constructor(bases: readonly Base[]) {
    for (const b of bases) {
      for (const e of new Set([...b.initEndpoints, ...b.respEndpoints])) push(this.byEndpoint, e, b);
      for (const a of new Set([...b.initAddresses, ...b.respAddresses])) push(this.byAddress, a, b);
    }
  }

  attribute(src: Endpoint, dst: Endpoint, firstTime: number): { base: Base; from: Role } | undefined {
    const s = endpointKey(src);
    const d = endpointKey(dst);
    return (
      this.latest(`e|${s}|${d}`, this.byEndpoint, s, d, (b) => [b.initEndpoints, b.respEndpoints], firstTime) ??
      this.latest(`a|${src.address}|${dst.address}`, this.byAddress, src.address, dst.address, (b) => [b.initAddresses, b.respAddresses], firstTime)
    );
  }

  private latest(key: string, index: ReadonlyMap<string, Base[]>, s: string, d: string, sides: (b: Base) => [Set<string>, Set<string>], firstTime: number): { base: Base; from: Role } | undefined {
    let list = this.pairs.get(key);
    if (!list) {
      const fromS = index.get(s) ?? [];
      const fromD = index.get(d) ?? [];
      list = [];
      for (const b of fromS.length <= fromD.length ? fromS : fromD) {
        const [init, resp] = sides(b);
        const from: Role | undefined = init.has(s) && resp.has(d) ? 'initiator' : resp.has(s) && init.has(d) ? 'responder' : undefined;
        if (from) list.push({ base: b, from });
      }
      list.sort((x, y) => x.base.sa.firstTime - y.base.sa.firstTime); // stable: capture order on a tie
      this.pairs.set(key, list);
    }
    // The last entry that started by firstTime + 1.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.base.sa.firstTime > firstTime + 1) hi = mid;
      else lo = mid + 1;
    }
    return lo > 0 ? list[lo - 1] : undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The first element of `list` for each key (what `find` on the list would return). */
function firstBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const t of list) {
    const k = key(t);
    if (!out.has(k)) out.set(k, t);
  }
  return out;
}

/** Builds one context per IKE SA from what the observer kept and the analysis concluded. */
export function buildContexts(obs: VerifyObserver, analysis: AnalysisReport, settings: VerifySettings): SaContext[] {
  const reportBySpis = firstBy(analysis.ikeSas, (r) => `${r.ikeVersion}|${r.initiatorSpi}|${r.responderSpi}`);
  const reportByIspi = firstBy(analysis.ikeSas, (r) => `${r.ikeVersion}|${r.initiatorSpi}`);
  const bases: Base[] = [...obs.sas.values()]
    .sort((a, b) => a.firstFrame - b.firstFrame)
    .map((sa) => ({
      sa,
      report: reportBySpis.get(`${sa.ikeVersion}|${sa.ispi}|${sa.rspi}`) ?? reportByIspi.get(`${sa.ikeVersion}|${sa.ispi}`),
      initEndpoints: endpointsOf(sa, 'initiator'),
      respEndpoints: endpointsOf(sa, 'responder'),
      initAddresses: addressesOf(sa, 'initiator'),
      respAddresses: addressesOf(sa, 'responder'),
    }));
  const byReport = new Map<string, Base>();
  for (const b of bases) if (b.report) byReport.set(`${b.report.initiatorSpi}/${b.report.responderSpi}`, b);

  const flows = new Map<Base, SideFlow[]>();
  const spiOwner = new Map<number, { base: Base; from: Role }>();
  const knownSpis = new Set<number>();
  for (const r of analysis.ikeSas) for (const spi of r.espSpis) knownSpis.add(parseInt(spi, 16) >>> 0);
  const espKey = (spi: string, transport: string, src: Endpoint, dst: Endpoint): string => `${spi}|${transport}|${src.address}|${src.port}|${dst.address}|${dst.port}`;
  const espSaOf = firstBy(analysis.espSas, (x) => espKey(x.spi, x.transport, x.src, x.dst));
  const attribution = new FlowAttribution(bases);
  for (const f of obs.flows.values()) {
    if (f.spi !== undefined) knownSpis.add(f.spi);
    let owner: { base: Base; from: Role } | undefined;
    if (f.spi !== undefined) {
      const spi = f.spi.toString(16).padStart(8, '0');
      const e = espSaOf.get(espKey(spi, f.transport, f.src, f.dst));
      const base = e?.ikeSa ? byReport.get(`${e.ikeSa.initiatorSpi}/${e.ikeSa.responderSpi}`) : undefined;
      if (base) owner = { base, from: base.initAddresses.has(f.src.address) && !base.respAddresses.has(f.src.address) ? 'initiator' : base.respAddresses.has(f.src.address) && !base.initAddresses.has(f.src.address) ? 'responder' : base.initEndpoints.has(endpointKey(f.src)) ? 'initiator' : 'responder' };
    }
    owner ??= attribution.attribute(f.src, f.dst, f.firstTime);
    if (!owner) continue;
    if (f.spi !== undefined) spiOwner.set(f.spi, owner);
    const list = flows.get(owner.base) ?? [];
    list.push({ flow: f, from: owner.from });
    flows.set(owner.base, list);
  }

  const changes = new Map<Base, SideChange[]>();
  const baseByKey = firstBy(bases, (b) => b.sa.key);
  for (const c of obs.changes) {
    let owner: { base: Base; from: Role } | undefined;
    if (c.via === 'ike') {
      const base = c.saKey === undefined ? undefined : baseByKey.get(c.saKey);
      if (base) owner = { base, from: c.moverIsInitiator ? 'initiator' : 'responder' };
    } else if (c.spi !== undefined) owner = spiOwner.get(c.spi);
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
    const firstNatt = sa.messages.find((m) => m.onNattPort);
    const startedOnNatt = sa.messages[0]?.onNattPort === true;
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
      floatFrame: startedOnNatt ? undefined : firstNatt?.frame,
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
