import type { DecodeConfig } from '../decode/layer.js';
import type { VendorIdFact } from '../analysis/facts.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import type { AnalysisListener } from '../analysis/listener.js';
import { runPipeline } from '../analysis/pipeline.js';
import type { AnalysisReport } from '../analysis/report.js';
import { escapeText } from '../decode/tree.js';
import { buildContexts, DEFAULT_VERIFY_SETTINGS, type SaContext, type VerifySettings } from './context.js';
import { DEFAULT_OBSERVER_LIMITS, VerifyObserver } from './observe.js';
import { judge } from './checks.js';
import { notSeen, ROLES, type Judgement, type Outcome, type SideJudgements } from './judge.js';
import { REQUIREMENTS, isBlocking, levelText, type Level, type Requirement, type Role } from './requirements.js';
import { VERIFY_JSON_VERSION, type VerifiedSa, type ImplementationReport, type RequirementResult, type SaResult, type VerifyResult } from './report.js';

export interface VerifyOptions {
  readonly strict: boolean;
  /** Hashes the private-address recovery from NAT-D hashes may compute per capture (0 = off). */
  readonly natdSearchHashes: number;
  /** RFC 3948 §4 M (seconds). */
  readonly keepaliveInterval: number;
  /** IKE SAs kept at once: the analysis's cap, so that both evict the same SAs (default 20,000). */
  readonly maxIkeSas?: number;
}

export const DEFAULT_VERIFY_OPTIONS: VerifyOptions = { strict: false, natdSearchHashes: DEFAULT_ANALYZER_OPTIONS.natdSearchHashes, keepaliveInterval: DEFAULT_VERIFY_SETTINGS.keepaliveInterval };

/** Vendor IDs that announce a capability rather than who made the implementation. */
const CAPABILITY = /dead peer|\bdpd\b|xauth|fragmentation|initial-contact|negotiation discovery|\bcga\b|gss|heartbeat|nat-t|nat-traversal|esp-in-udp|espthrunat|rfc 3947/i;

function saName(ctx: SaContext): string {
  return `IKEv${ctx.version} ${ctx.sa.ispi}/${ctx.sa.rspi}`;
}

/**
 * Per requirement, the results of every SA the implementation took part in, and the level each
 * violated (sparse: most results have none). Arrays start as literals of one element: an empty
 * array grown by push reserves 17 slots, 14 MB over 2000 hosts.
 */
interface Judged {
  readonly results: SaResult[];
  levels: (Level | undefined)[] | undefined;
}

interface Group {
  readonly address: string;
  readonly firstFrame: number;
  readonly roles: Set<Role>;
  readonly vids: VendorIdFact[];
  readonly vidHex: Set<string>;
  readonly privateAddresses: Set<string>;
  readonly sas: ImplementationReport['sas'][number][];
  /** By index in REQUIREMENTS. */
  readonly perRequirement: (Judged | undefined)[];
}

/** What one requirement comes to over all SAs: FAIL if any fails, PASS if any passes. */
interface Tally {
  readonly result: Outcome;
  readonly failedLevel: Level | null;
  readonly blocking: boolean;
  /** The SA results that decided it (the failures, the passes, or all). */
  readonly deciding: readonly number[];
}

/** Strings repeated once per SA (notes, endpoints): kept once while the table has room. */
class Interner {
  private readonly seen = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size < this.max) this.seen.set(s, s);
    return s;
  }
}

/**
 * `espy verify`: listens to the one analysis pass (`runPipeline`, the same as `espy analyze`:
 * NAT verdict, forced-encapsulation detection, NAT-T method, and the classification of every IKE
 * message) and keeps, through its `observer`, what the checks need of every message, flow and
 * mapping change; `finish` judges each requirement of the catalogue per IKE SA and side, then
 * groups the results by implementation (peer address).
 *
 * Memory: after `finish` only the per-SA results are kept (one small object per SA, side and
 * requirement, strings shared); each implementation's report is built when the output asks
 * for it and dropped once written (a capture with 8000 peers writes ~100 MB of JSON).
 */
export class Verifier {
  private observer: VerifyObserver | undefined;
  private readonly settings: VerifySettings;

  constructor(
    config: Pick<DecodeConfig, 'ikePorts' | 'nattPorts'>,
    private readonly options: VerifyOptions = DEFAULT_VERIFY_OPTIONS,
  ) {
    this.observer = new VerifyObserver({ ...DEFAULT_OBSERVER_LIMITS, ikePorts: config.ikePorts, nattPorts: config.nattPorts, ...(options.maxIkeSas !== undefined ? { maxSas: Math.min(options.maxIkeSas, DEFAULT_OBSERVER_LIMITS.maxSas) } : {}) });
    this.settings = { ...DEFAULT_VERIFY_SETTINGS, ikePorts: config.ikePorts, nattPorts: config.nattPorts, keepaliveInterval: options.keepaliveInterval };
  }

  /** The listener to give the analysis pass (`runPipeline`). */
  get listener(): AnalysisListener {
    if (!this.observer) throw new Error('Verifier.listener after finish');
    return this.observer;
  }

  /** Judges every SA of the pass's report; the observer's records are released. Call once. */
  finish(analysis: AnalysisReport): VerifyResult {
    const observer = this.observer;
    if (!observer) throw new Error('Verifier.finish called twice');
    this.observer = undefined;
    const captures = analysis.captures;
    const truncated = { ikeSas: observer.evictedSas, flows: observer.droppedFlows };
    const contexts = buildContexts(observer, analysis, this.settings);
    const groups = this.judgeAll(contexts);
    const ordered = [...groups.values()].sort((a, b) => a.firstFrame - b.firstFrame);
    let pass = 0;
    let fail = 0;
    let notSeenCount = 0;
    let blockingFailures = 0;
    for (const g of ordered) {
      for (const [r, req] of REQUIREMENTS.entries()) {
        const judged = g.perRequirement[r];
        if (!judged) continue;
        const t = this.tally(req, judged);
        if (t.result === 'pass') pass++;
        else if (t.result === 'fail') fail++;
        else notSeenCount++;
        if (t.blocking) blockingFailures++;
      }
    }
    const implementation = (g: Group): ImplementationReport => this.implementation(g);
    return {
      type: 'verify',
      v: VERIFY_JSON_VERSION,
      captures,
      strict: this.options.strict,
      implementations: {
        *[Symbol.iterator]() {
          for (const g of ordered) yield implementation(g);
        },
      },
      summary: { implementations: ordered.length, ikeSas: contexts.length, pass, fail, notSeen: notSeenCount, blockingFailures },
      truncated,
    };
  }

  private judgeAll(contexts: readonly SaContext[]): Map<string, Group> {
    const groups = new Map<string, Group>();
    const strings = new Interner(50_000);
    const onlyFor = new Map<string, Judgement>();
    const unexercised = notSeen('not exercised in this SA');
    for (const ctx of contexts) {
      const judged = new Map<string, SideJudgements>();
      const name = saName(ctx);
      let retransmissions = 0;
      for (const m of ctx.messages) if (m.retransmission) retransmissions++;
      const basis = { retransmissions, rebindingFrame: ctx.changes.find((c) => c.mover === 'initiator')?.change.frame ?? null };
      for (const role of ROLES) {
        const endpoint = role === 'initiator' ? ctx.sa.initiator : ctx.sa.responder;
        if (!endpoint) continue;
        const sa: VerifiedSa = {
          initiatorSpi: ctx.sa.ispi,
          responderSpi: ctx.sa.rspi,
          ikeVersion: ctx.version,
          role,
          endpoint: strings.get(endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`),
          floatedAtFrame: ctx.floatFrame ?? null,
          retransmissions: basis.retransmissions,
          rebindingFrame: basis.rebindingFrame,
          nat: ctx.natSide,
        };
        let g = groups.get(endpoint.address);
        if (!g) {
          g = { address: endpoint.address, firstFrame: ctx.sa.firstFrame, roles: new Set(), vids: [], vidHex: new Set(), privateAddresses: new Set(), sas: [sa], perRequirement: new Array<Judged | undefined>(REQUIREMENTS.length) };
          groups.set(endpoint.address, g);
        } else g.sas.push(sa);
        g.roles.add(role);
        for (const v of role === 'initiator' ? ctx.sa.initiatorVids : ctx.sa.responderVids) {
          if (g.vidHex.has(v.hex)) continue;
          g.vidHex.add(v.hex);
          g.vids.push(v);
        }
        const recovered = ctx.recovered[role];
        if (recovered) g.privateAddresses.add(recovered);
        for (const [r, req] of REQUIREMENTS.entries()) {
          if (!req.ikeVersions.includes(ctx.version)) continue;
          let sides = judged.get(req.id);
          if (!sides) judged.set(req.id, (sides = judge(req, ctx)));
          let j: Judgement;
          if (req.roles.includes(role)) j = sides[role] ?? unexercised;
          else {
            j = onlyFor.get(req.id) ?? notSeen(`judged for the ${req.roles.join(' and ')} only`);
            onlyFor.set(req.id, j);
          }
          const result: SaResult = { sa: name, role, result: j.outcome, frames: j.frames, note: strings.get(j.note) };
          const list = g.perRequirement[r];
          if (!list) g.perRequirement[r] = { results: [result], levels: j.level ? [j.level] : undefined };
          else {
            list.results.push(result);
            if (j.level) (list.levels ??= [])[list.results.length - 1] = j.level;
          }
        }
      }
    }
    return groups;
  }

  private implementation(g: Group): ImplementationReport {
    const results: RequirementResult[] = [];
    for (const [r, req] of REQUIREMENTS.entries()) {
      const judged = g.perRequirement[r];
      if (judged) results.push(this.aggregate(req, judged));
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

  private tally(req: Requirement, judged: Judged): Tally {
    const { results, levels } = judged;
    const fails: number[] = [];
    const passes: number[] = [];
    results.forEach((r, i) => {
      if (r.result === 'fail') fails.push(i);
      else if (r.result === 'pass') passes.push(i);
    });
    if (fails.length) {
      const failed = fails.map((i) => levels?.[i] ?? req.levels[0]!);
      const failedLevel = failed.find((l) => isBlocking(l, false)) ?? failed[0]!;
      return { result: 'fail', failedLevel, blocking: isBlocking(failedLevel, this.options.strict), deciding: fails };
    }
    if (passes.length) return { result: 'pass', failedLevel: null, blocking: false, deciding: passes };
    return { result: 'not-seen', failedLevel: null, blocking: false, deciding: results.map((_r, i) => i) };
  }

  private aggregate(req: Requirement, judged: Judged): RequirementResult {
    const t = this.tally(req, judged);
    const list = judged.results;
    const many = list.length > 1;
    const frames = [...new Set(t.deciding.flatMap((i) => list[i]!.frames))].sort((a, b) => a - b).slice(0, 8);
    const first = list[t.deciding[0]!]!;
    const note = t.result === 'not-seen' ? first.note : first.note + (many ? ` (${t.deciding.length} of ${list.length} SAs)` : '');
    // One literal in the JSON key order: built by spreading, each of these objects got a hidden
    // class of its own (17 MB of V8 maps for 2000 hosts).
    return { id: req.id, rfc: req.rfc, section: req.section, level: levelText(req), sas: list, result: t.result, failedLevel: t.failedLevel, blocking: t.blocking, frames, note };
  }
}

/**
 * Verifies one capture in one analysis pass (what `espy verify` does, for tests and library
 * use): reading errors end the pass, and the result covers every frame before them.
 */
export async function verifyCapture(source: string, config: DecodeConfig, options: VerifyOptions = DEFAULT_VERIFY_OPTIONS): Promise<VerifyResult> {
  const verifier = new Verifier(config, options);
  const { report } = await runPipeline(source, {
    decode: config,
    analyzer: { ...DEFAULT_ANALYZER_OPTIONS, ikePorts: config.ikePorts, nattPorts: config.nattPorts, keepaliveTimeout: options.keepaliveInterval, natdSearchHashes: options.natdSearchHashes },
    listener: verifier.listener,
  });
  return verifier.finish(report);
}
