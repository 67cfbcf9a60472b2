import type { Packet } from '../decode/packet.js';
import type { DecodeConfig } from '../decode/layer.js';
import type { VendorIdFact } from '../analysis/facts.js';
import { Analyzer, DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { packetFacts } from '../analysis/packet-facts.js';
import type { CaptureReport } from '../analysis/report.js';
import { escapeText } from '../decode/tree.js';
import { buildContexts, DEFAULT_VERIFY_SETTINGS, type SaContext, type VerifySettings } from './context.js';
import { DEFAULT_OBSERVER_LIMITS, VerifyObserver } from './observe.js';
import { judge } from './checks.js';
import { notSeen, ROLES, type Judgement, type SideJudgements } from './judge.js';
import { REQUIREMENTS, isBlocking, levelText, type Level, type Requirement, type Role } from './requirements.js';
import { VERIFY_JSON_VERSION, type ImplementationReport, type RequirementResult, type SaResult, type VerifyReport } from './report.js';

export interface VerifyOptions {
  readonly strict: boolean;
  /** Time the private-address recovery from NAT-D hashes may take (ms; 0 = off). */
  readonly natdSearchMs: number;
  /** RFC 3948 §4 M (seconds). */
  readonly keepaliveInterval: number;
}

export const DEFAULT_VERIFY_OPTIONS: VerifyOptions = { strict: false, natdSearchMs: DEFAULT_ANALYZER_OPTIONS.natdSearchMs, keepaliveInterval: DEFAULT_VERIFY_SETTINGS.keepaliveInterval };

/** Vendor IDs that announce a capability rather than who made the implementation. */
const CAPABILITY = /dead peer|\bdpd\b|xauth|fragmentation|initial-contact|negotiation discovery|\bcga\b|gss|heartbeat|nat-t|nat-traversal|esp-in-udp|espthrunat|rfc 3947/i;

function saName(ctx: SaContext): string {
  return `IKEv${ctx.version} ${ctx.sa.ispi}/${ctx.sa.rspi}`;
}

interface Group {
  readonly address: string;
  readonly firstFrame: number;
  readonly roles: Set<Role>;
  readonly vids: VendorIdFact[];
  readonly privateAddresses: Set<string>;
  readonly sas: ImplementationReport['sas'][number][];
  readonly perRequirement: Map<string, { result: SaResult; level: Level | undefined }[]>;
}

/**
 * `espy verify`: decodes through the same analysis as `espy analyze` (for the NAT verdict,
 * forced-encapsulation detection and the NAT-T method) and keeps its own record of every
 * message, flow and mapping change; `finish` judges each requirement of the catalogue per IKE SA
 * and side, then groups the results by implementation (peer address).
 */
export class Verifier {
  private readonly analyzer: Analyzer;
  private readonly observer: VerifyObserver;
  private readonly settings: VerifySettings;

  constructor(
    private readonly config: DecodeConfig,
    private readonly options: VerifyOptions = DEFAULT_VERIFY_OPTIONS,
  ) {
    this.analyzer = new Analyzer({ ...DEFAULT_ANALYZER_OPTIONS, ikePorts: config.ikePorts, nattPorts: config.nattPorts, keepaliveTimeout: options.keepaliveInterval, natdSearchMs: options.natdSearchMs });
    this.observer = new VerifyObserver({ ...DEFAULT_OBSERVER_LIMITS, ikePorts: config.ikePorts, nattPorts: config.nattPorts });
    this.settings = { ...DEFAULT_VERIFY_SETTINGS, ikePorts: config.ikePorts, nattPorts: config.nattPorts, keepaliveInterval: options.keepaliveInterval };
  }

  feed(packet: Packet): void {
    this.observer.noteFrame(packet.frame.number, packet.frame.tsSec + packet.frame.tsNsec / 1e9);
    const facts = packetFacts(packet, this.config);
    if (!facts) return;
    this.analyzer.feed(facts);
    this.observer.feed(packet, facts);
  }

  finish(captures: readonly CaptureReport[]): VerifyReport {
    const analysis = this.analyzer.finish(captures);
    const contexts = buildContexts(this.observer, analysis, this.settings);
    const groups = new Map<string, Group>();
    for (const ctx of contexts) {
      const judged = new Map<string, SideJudgements>();
      for (const role of ROLES) {
        const endpoint = role === 'initiator' ? ctx.sa.initiator : ctx.sa.responder;
        if (!endpoint) continue;
        let g = groups.get(endpoint.address);
        if (!g) {
          g = { address: endpoint.address, firstFrame: ctx.sa.firstFrame, roles: new Set(), vids: [], privateAddresses: new Set(), sas: [], perRequirement: new Map() };
          groups.set(endpoint.address, g);
        }
        g.roles.add(role);
        for (const v of role === 'initiator' ? ctx.sa.initiatorVids : ctx.sa.responderVids) if (!g.vids.some((x) => x.hex === v.hex)) g.vids.push(v);
        const recovered = ctx.recovered[role];
        if (recovered) g.privateAddresses.add(recovered);
        g.sas.push({ initiatorSpi: ctx.sa.ispi, responderSpi: ctx.sa.rspi, ikeVersion: ctx.version, role, endpoint: endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}` });
        for (const req of REQUIREMENTS) {
          if (!req.ikeVersions.includes(ctx.version)) continue;
          let sides = judged.get(req.id);
          if (!sides) judged.set(req.id, (sides = judge(req, ctx)));
          const j: Judgement = req.roles.includes(role) ? (sides[role] ?? notSeen('not exercised in this SA')) : notSeen(`judged for the ${req.roles.join(' and ')} only`);
          const list = g.perRequirement.get(req.id) ?? [];
          list.push({ result: { sa: saName(ctx), role, result: j.outcome, frames: j.frames, note: j.note }, level: j.level });
          g.perRequirement.set(req.id, list);
        }
      }
    }
    const implementations = [...groups.values()].sort((a, b) => a.firstFrame - b.firstFrame).map((g) => this.implementation(g));
    const total = (k: 'pass' | 'fail' | 'notSeen'): number => implementations.reduce((n, i) => n + i.counts[k], 0);
    return {
      type: 'verify',
      v: VERIFY_JSON_VERSION,
      captures,
      strict: this.options.strict,
      implementations,
      summary: { implementations: implementations.length, ikeSas: contexts.length, pass: total('pass'), fail: total('fail'), notSeen: total('notSeen'), blockingFailures: implementations.reduce((n, i) => n + i.blockingFailures, 0) },
      truncated: { ikeSas: this.observer.evictedSas, flows: this.observer.droppedFlows },
    };
  }

  private implementation(g: Group): ImplementationReport {
    const results: RequirementResult[] = [];
    for (const req of REQUIREMENTS) {
      const list = g.perRequirement.get(req.id);
      if (list) results.push(this.aggregate(req, list));
    }
    const counts = { pass: results.filter((r) => r.result === 'pass').length, fail: results.filter((r) => r.result === 'fail').length, notSeen: results.filter((r) => r.result === 'not-seen').length };
    const names = g.vids.filter((v) => v.name !== undefined && v.nattMethod === undefined && !CAPABILITY.test(v.name)).map((v) => escapeText(v.name!));
    const label = names.length ? [...new Set(names)].join(' / ') : null;
    const roles = ROLES.filter((r) => g.roles.has(r));
    const blockingFailures = results.filter((r) => r.blocking).length;
    const who = `${label ? `${label} ` : ''}${g.address} (${roles.join(', ')})`;
    return {
      address: g.address,
      label,
      vendorIds: g.vids.map((v) => (v.name !== undefined ? escapeText(v.name) : v.hex)),
      roles,
      privateAddresses: [...g.privateAddresses],
      sas: g.sas,
      results,
      counts,
      blockingFailures,
      verdict: `${who}: ${counts.pass} pass, ${counts.fail} fail, ${counts.notSeen} not seen`,
    };
  }

  private aggregate(req: Requirement, list: readonly { result: SaResult; level: Level | undefined }[]): RequirementResult {
    const base = { id: req.id, rfc: req.rfc, section: req.section, level: levelText(req), sas: list.map((l) => l.result) };
    const many = list.length > 1;
    const union = (xs: readonly { result: SaResult }[]): number[] => [...new Set(xs.flatMap((x) => x.result.frames))].sort((a, b) => a - b).slice(0, 8);
    const fails = list.filter((l) => l.result.result === 'fail');
    if (fails.length) {
      const levels = fails.map((f) => f.level ?? req.levels[0]!);
      const failedLevel = levels.find((l) => isBlocking(l, false)) ?? levels[0]!;
      return { ...base, result: 'fail', failedLevel, blocking: isBlocking(failedLevel, this.options.strict), frames: union(fails), note: fails[0]!.result.note + (many ? ` (${fails.length} of ${list.length} SAs)` : '') };
    }
    const passes = list.filter((l) => l.result.result === 'pass');
    if (passes.length) return { ...base, result: 'pass', failedLevel: null, blocking: false, frames: union(passes), note: passes[0]!.result.note + (many ? ` (${passes.length} of ${list.length} SAs)` : '') };
    return { ...base, result: 'not-seen', failedLevel: null, blocking: false, frames: union(list), note: list[0]!.result.note };
  }
}
