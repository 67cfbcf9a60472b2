import type { Packet } from '../decode/packet.js';
import type { AnalysisReport } from '../analysis/report.js';
import { FINDING_SEVERITY_RANK, type FindingSeverity } from '../analysis/findings.js';
import type { ViewContext } from '../output/packet-tree.js';
import { compileNode, type CompiledFilter } from './compile.js';
import { FilterError } from './errors.js';
import { parseFilter, type FilterNode } from './parser.js';
import { PACKET_CATALOG, packetPredicate } from './packet-fields.js';
import { REPORT_CATALOG, reportSlots } from './report-fields.js';
import type { FieldCatalog, FilterDomain } from './types.js';

export { FilterError } from './errors.js';

export type PacketPredicate = (packet: Packet, view: ViewContext) => boolean;

const ALL_CATALOG: FieldCatalog = { lookup: (name) => PACKET_CATALOG.lookup(name) ?? REPORT_CATALOG.lookup(name) };

/** `espy packets -Y`: a predicate over packets. Report fields are an error that says where they work. */
export function compilePacketFilter(expression: string): PacketPredicate {
  const node = parseFilter(expression);
  const compiled = compileNode(node, expression, ALL_CATALOG);
  const foreign = compiled.fields.find((f) => f.domain !== 'packet');
  if (foreign) {
    const at = expression.indexOf(foreign.name);
    throw new FilterError(`${foreign.name} is a field of the analysis report: use it with espy analyze -Y`, expression, Math.max(0, at), foreign.name.length);
  }
  return packetPredicate(compiled);
}

/**
 * `espy analyze -Y`: the filter's top-level `&&` terms are sorted by what they talk about.
 * Terms on packet fields select the packets the analysis sees; terms on `finding.*`, `ike_sa.*`
 * and `esp_sa.*` select the findings, IKE SAs and ESP SAs the report lists. One term (inside
 * `||`, `!` or parentheses) must not mix kinds: "which packet is also a finding" has no meaning.
 */
export interface AnalysisFilter {
  readonly expression: string;
  readonly packet?: PacketPredicate;
  readonly finding?: CompiledFilter;
  readonly ikeSa?: CompiledFilter;
  readonly espSa?: CompiledFilter;
}

function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

export function compileAnalysisFilter(expression: string): AnalysisFilter {
  const groups = new Map<FilterDomain, FilterNode[]>();
  for (const term of conjuncts(parseFilter(expression))) {
    const domains = [...new Set(compileNode(term, expression, ALL_CATALOG).fields.map((f) => f.domain))];
    if (domains.length > 1)
      throw new FilterError(`this condition mixes ${domains.map((d) => (d === 'packet' ? 'packet fields' : `${d}.* fields`)).join(' and ')}; join conditions on different kinds with && only`, expression, term.pos, term.len);
    const d = domains[0]!;
    groups.set(d, [...(groups.get(d) ?? []), term]);
  }
  const build = (d: FilterDomain): CompiledFilter | undefined => {
    const terms = groups.get(d);
    if (!terms) return undefined;
    const node = terms.reduce((left, right) => ({ kind: 'and', left, right, pos: left.pos, len: right.pos + right.len - left.pos }));
    return compileNode(node, expression, ALL_CATALOG);
  };
  const packet = build('packet');
  const finding = build('finding');
  const ikeSa = build('ike_sa');
  const espSa = build('esp_sa');
  return {
    expression,
    ...(packet ? { packet: packetPredicate(packet) } : {}),
    ...(finding ? { finding } : {}),
    ...(ikeSa ? { ikeSa } : {}),
    ...(espSa ? { espSa } : {}),
  };
}

/**
 * The report with only the findings / SAs the filter selects. Counts in `summary` are those of
 * the lists kept (so `--fail-on` and the summary line agree with what is shown).
 */
export function filterReport(report: AnalysisReport, filter: AnalysisFilter): AnalysisReport {
  const { finding, ikeSa, espSa } = filter;
  const findings = finding ? report.findings.filter((f) => finding.test(reportSlots('finding', finding.fields, f))) : report.findings;
  const ikeSas = ikeSa ? report.ikeSas.filter((s) => ikeSa.test(reportSlots('ike_sa', ikeSa.fields, s))) : report.ikeSas;
  const espSas = espSa ? report.espSas.filter((e) => espSa.test(reportSlots('esp_sa', espSa.fields, e))) : report.espSas;
  const counts = Object.fromEntries(Object.keys(FINDING_SEVERITY_RANK).map((s) => [s, 0])) as Record<FindingSeverity, number>;
  for (const f of findings) counts[f.severity]++;
  return {
    ...report,
    summary: {
      ...report.summary,
      ikeSas: ikeSas.length,
      espSas: espSas.length,
      natDetected: ikeSas.filter((s) => s.nat.initiator === 'behind-nat' || s.nat.responder === 'behind-nat').length,
      findings: finding ? counts : report.summary.findings,
    },
    ikeSas,
    espSas,
    findings,
  };
}
