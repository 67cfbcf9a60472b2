import type { AnalysisReport, EspSaReport, IkeSaReport } from '../analysis/report.js';
import type { Finding } from '../analysis/finding-sink.js';
import { ipv4Mapped, parseBytes, parseIpv4, parseIpv6 } from './literals.js';
import type { FieldCatalog, FilterDomain, FilterField, FilterType, FilterValue } from './types.js';

/**
 * Fields over the analysis report, for `espy analyze -Y`: `finding.*` over findings, `ike_sa.*`
 * over IKE SAs, `esp_sa.*` over ESP SAs. Each reads existing report keys only.
 */
export const SEVERITY_ORDER = ['chat', 'note', 'warning', 'error'] as const;
const NAT_SIDE_ORDER = ['not-behind-nat', 'unknown', 'behind-nat'] as const;

interface Spec<R> {
  readonly type: FilterType;
  readonly bits?: number;
  readonly order?: readonly string[];
  readonly get: (r: R) => readonly (FilterValue | null | undefined)[];
}

function address(text: string | undefined | null): Uint8Array | null {
  if (!text) return null;
  const v4 = parseIpv4(text);
  return v4 !== undefined ? ipv4Mapped(v4) : (parseIpv6(text) ?? null);
}

/** "10.1.0.2:500" / "[2001:db8::1]:500" → its address. */
function endpointAddress(key: string): Uint8Array | null {
  const at = key.lastIndexOf(':');
  return at < 0 ? null : address(key.slice(0, at).replace(/^\[|\]$/g, ''));
}

function endpointPort(key: string): number | null {
  const at = key.lastIndexOf(':');
  const port = at < 0 ? NaN : Number(key.slice(at + 1));
  return Number.isInteger(port) ? port : null;
}

const hexBytes = (h: string | null | undefined): Uint8Array | null => (h ? (parseBytes(h) ?? null) : null);
const hexNumber = (h: string): number | null => (/^[0-9a-f]{1,8}$/i.test(h) ? parseInt(h, 16) : null);
const rank = (order: readonly string[], v: string): number | null => (order.includes(v) ? order.indexOf(v) : null);

const FINDING: Readonly<Record<string, Spec<Finding>>> = {
  finding: { type: 'protocol', get: () => [1] },
  'finding.id': { type: 'string', get: (f) => [f.id] },
  'finding.severity': { type: 'enum', order: SEVERITY_ORDER, get: (f) => [rank(SEVERITY_ORDER, f.severity)] },
  'finding.subject': { type: 'string', get: (f) => [f.subject] },
  'finding.frames': { type: 'uint', bits: 32, get: (f) => f.frames },
  'finding.count': { type: 'uint', bits: 32, get: (f) => [f.count] },
  'finding.message': { type: 'string', get: (f) => [f.message] },
  'finding.rfc': { type: 'string', get: (f) => [f.rfc] },
};

const IKE_SA: Readonly<Record<string, Spec<IkeSaReport>>> = {
  ike_sa: { type: 'protocol', get: () => [1] },
  'ike_sa.version': { type: 'uint', bits: 8, get: (s) => [s.ikeVersion] },
  'ike_sa.ispi': { type: 'bytes', get: (s) => [hexBytes(s.initiatorSpi)] },
  'ike_sa.rspi': { type: 'bytes', get: (s) => [hexBytes(s.responderSpi)] },
  'ike_sa.initiator': { type: 'ipaddr', get: (s) => [address(s.initiator?.address)] },
  'ike_sa.responder': { type: 'ipaddr', get: (s) => [address(s.responder?.address)] },
  'ike_sa.initiator.port': { type: 'uint', bits: 16, get: (s) => [s.initiator?.port] },
  'ike_sa.responder.port': { type: 'uint', bits: 16, get: (s) => [s.responder?.port] },
  'ike_sa.addr': { type: 'ipaddr', get: (s) => [...s.initiatorEndpoints, ...s.responderEndpoints].map(endpointAddress) },
  'ike_sa.port': { type: 'uint', bits: 16, get: (s) => [...s.initiatorEndpoints, ...s.responderEndpoints].map(endpointPort) },
  'ike_sa.nat.initiator': { type: 'enum', order: NAT_SIDE_ORDER, get: (s) => [rank(NAT_SIDE_ORDER, s.nat.initiator)] },
  'ike_sa.nat.responder': { type: 'enum', order: NAT_SIDE_ORDER, get: (s) => [rank(NAT_SIDE_ORDER, s.nat.responder)] },
  'ike_sa.nat.detected': { type: 'bool', get: (s) => [s.nat.initiator === 'behind-nat' || s.nat.responder === 'behind-nat' ? 1 : 0] },
  'ike_sa.nat.forced': { type: 'bool', get: (s) => [s.nat.forcedEncapsulation ? 1 : 0] },
  'ike_sa.nat.private': { type: 'ipaddr', get: (s) => [s.nat.privateAddresses.initiator, s.nat.privateAddresses.responder].map((k) => (k ? endpointAddress(k) : null)) },
  'ike_sa.natt_method': { type: 'string', get: (s) => [s.nattMethod] },
  'ike_sa.floated': { type: 'bool', get: (s) => [s.floatedAtFrame !== null ? 1 : 0] },
  'ike_sa.float_frame': { type: 'uint', bits: 32, get: (s) => [s.floatedAtFrame] },
  'ike_sa.first_frame': { type: 'uint', bits: 32, get: (s) => [s.firstFrame] },
  'ike_sa.last_frame': { type: 'uint', bits: 32, get: (s) => [s.lastFrame] },
  'ike_sa.messages': { type: 'uint', bits: 32, get: (s) => [s.messages] },
  'ike_sa.retransmissions': { type: 'uint', bits: 32, get: (s) => [s.retransmissions] },
  'ike_sa.keepalives': { type: 'uint', bits: 32, get: (s) => [s.keepalives] },
  'ike_sa.exchange': { type: 'string', get: (s) => Object.keys(s.exchanges) },
  'ike_sa.esp_spi': { type: 'uint', bits: 32, get: (s) => s.espSpis.map(hexNumber) },
  'ike_sa.vendor_id': { type: 'string', get: (s) => [...s.vendorIds.initiator, ...s.vendorIds.responder].map((v) => v.name) },
  'ike_sa.vid_bytes': { type: 'bytes', get: (s) => [...s.vendorIds.initiator, ...s.vendorIds.responder].map((v) => hexBytes(v.hex)) },
  'ike_sa.roles_inferred': { type: 'bool', get: (s) => [s.rolesInferred ? 1 : 0] },
};

const ESP_SA: Readonly<Record<string, Spec<EspSaReport>>> = {
  esp_sa: { type: 'protocol', get: () => [1] },
  'esp_sa.spi': { type: 'uint', bits: 32, get: (e) => [hexNumber(e.spi)] },
  'esp_sa.src': { type: 'ipaddr', get: (e) => [address(e.src.address)] },
  'esp_sa.dst': { type: 'ipaddr', get: (e) => [address(e.dst.address)] },
  'esp_sa.addr': { type: 'ipaddr', get: (e) => [address(e.src.address), address(e.dst.address)] },
  'esp_sa.srcport': { type: 'uint', bits: 16, get: (e) => [e.src.port] },
  'esp_sa.dstport': { type: 'uint', bits: 16, get: (e) => [e.dst.port] },
  'esp_sa.port': { type: 'uint', bits: 16, get: (e) => [e.src.port, e.dst.port] },
  'esp_sa.transport': { type: 'string', get: (e) => [e.transport] },
  'esp_sa.packets': { type: 'uint', bits: 53, get: (e) => [e.packets] },
  'esp_sa.bytes': { type: 'uint', bits: 53, get: (e) => [e.bytes] },
  'esp_sa.first_frame': { type: 'uint', bits: 32, get: (e) => [e.firstFrame] },
  'esp_sa.last_frame': { type: 'uint', bits: 32, get: (e) => [e.lastFrame] },
  'esp_sa.sequence.max': { type: 'uint', bits: 32, get: (e) => [e.sequence.max] },
  'esp_sa.sequence.gaps': { type: 'uint', bits: 32, get: (e) => [e.sequence.gaps] },
  'esp_sa.sequence.missing': { type: 'uint', bits: 53, get: (e) => [e.sequence.missing] },
  'esp_sa.sequence.replays': { type: 'uint', bits: 32, get: (e) => [e.sequence.replays] },
  'esp_sa.sequence.resets': { type: 'uint', bits: 32, get: (e) => [e.sequence.resets] },
  'esp_sa.ike_sa.ispi': { type: 'bytes', get: (e) => [hexBytes(e.ikeSa?.initiatorSpi)] },
  'esp_sa.ike_sa.rspi': { type: 'bytes', get: (e) => [hexBytes(e.ikeSa?.responderSpi)] },
  'esp_sa.ike_sa.link': { type: 'string', get: (e) => [e.ikeSaLink] },
};

type ReportDomain = Exclude<FilterDomain, 'packet'>;

const SPECS: { readonly [D in ReportDomain]: Readonly<Record<string, Spec<never>>> } = { finding: FINDING, ike_sa: IKE_SA, esp_sa: ESP_SA };

function buildFields(): Map<string, FilterField> {
  const m = new Map<string, FilterField>();
  for (const domain of Object.keys(SPECS) as ReportDomain[]) {
    for (const [name, spec] of Object.entries(SPECS[domain])) {
      m.set(name, { name, type: spec.type, domain, ...(spec.bits !== undefined ? { bits: spec.bits } : {}), ...(spec.order ? { order: spec.order } : {}) });
    }
  }
  return m;
}

export const REPORT_FIELDS: ReadonlyMap<string, FilterField> = buildFields();

export const REPORT_CATALOG: FieldCatalog = { lookup: (name) => REPORT_FIELDS.get(name) };

/** The slot values of one report record for a compiled filter's fields. */
export function reportSlots<D extends ReportDomain>(domain: D, fields: readonly FilterField[], record: D extends 'finding' ? Finding : D extends 'ike_sa' ? IkeSaReport : EspSaReport): FilterValue[][] {
  const specs = SPECS[domain] as Readonly<Record<string, Spec<typeof record>>>;
  return fields.map((f) => {
    const spec = specs[f.name];
    if (!spec) throw new Error(`${f.name} is not a ${domain} field`);
    return spec.get(record).filter((v): v is FilterValue => v !== null && v !== undefined);
  });
}

export type { AnalysisReport };
