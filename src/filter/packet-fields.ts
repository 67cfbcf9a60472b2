import type { Packet } from '../decode/packet.js';
import type { FieldDef, FieldType, FieldValue, TimeValue } from '../decode/field.js';
import { withoutLabels, type TreeNode } from '../decode/tree.js';
import { ALL_FIELDS, DESCRIBERS } from '../decode/protocols.js';
import { EXCHANGE_V1, EXCHANGE_V2 } from '../decode/isakmp/exchanges.js';
import { describerOf, layersHolding, protocolsInFrame, relativeTime, type ViewContext } from '../output/packet-tree.js';

export { layersHolding };
import type { CompiledFilter } from './compile.js';
import type { FieldCatalog, FilterField, FilterType, FilterValue } from './types.js';

/**
 * Packet fields for display filters: every field of the detail trees (`ALL_FIELDS`), each
 * protocol name (true when its layer is present), and Wireshark's two-way aliases (`ip.addr`,
 * `udp.port`, ...). Values are read from the same trees `-V` and `-T fields` print, so a filter
 * sees exactly what `-T fields -e` shows.
 */
const TYPE_OF: Readonly<Record<FieldType, FilterType>> = {
  uint: 'uint',
  uint64: 'uint64',
  int: 'int',
  bool: 'bool',
  bytes: 'bytes',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  ether: 'ether',
  string: 'string',
  none: 'none',
  time_epoch: 'time',
  time_rel: 'time',
  double: 'double',
};

/** Wireshark's fields that stand for either of two (hidden items in its trees). */
export const PACKET_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'eth.addr': ['eth.src', 'eth.dst'],
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
};

const LAYER_PROTOS = new Set(Object.keys(DESCRIBERS));

/**
 * Value names for fields whose tree labels depend on context (IKEv1 or IKEv2), so the FieldDef
 * has none: tshark knows the IKEv1 names for `isakmp.exchangetype`; espy also takes the IKEv2 ones.
 */
const VALUE_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'isakmp.exchangetype': { ...EXCHANGE_V1, ...EXCHANGE_V2 },
};

function toFilterField(def: FieldDef): FilterField {
  return {
    name: def.abbrev,
    type: TYPE_OF[def.type],
    domain: 'packet',
    ...(def.bits !== undefined ? { bits: def.bits } : {}),
    ...(def.values || VALUE_NAMES[def.abbrev] ? { values: def.values ?? VALUE_NAMES[def.abbrev]! } : {}),
  };
}

function buildPacketFields(): Map<string, FilterField> {
  const m = new Map<string, FilterField>();
  for (const def of ALL_FIELDS.values()) m.set(def.abbrev, toFilterField(def));
  for (const [alias, [first]] of Object.entries(PACKET_ALIASES)) {
    const base = m.get(first!);
    if (base) m.set(alias, { ...base, name: alias });
  }
  const protocols = new Set(['frame', ...LAYER_PROTOS, ...[...ALL_FIELDS.keys()].map((k) => k.slice(0, k.indexOf('.')))]);
  for (const p of protocols) if (!m.has(p)) m.set(p, { name: p, type: 'protocol', domain: 'packet' });
  return m;
}

export const PACKET_FIELDS: ReadonlyMap<string, FilterField> = buildPacketFields();

export const PACKET_CATALOG: FieldCatalog = { lookup: (name) => PACKET_FIELDS.get(name) };

function timeNs(t: TimeValue): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

/** A tree value as the filter compares it (see FilterType). */
export function filterValue(def: FieldDef, v: FieldValue): FilterValue | undefined {
  if (v === null) return def.type === 'none' ? 1 : undefined;
  switch (def.type) {
    case 'uint':
    case 'int':
      return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
    case 'uint64':
      return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : undefined;
    case 'bool':
      return v === true || (typeof v === 'number' && v !== 0) ? 1 : 0;
    case 'ipv4':
      if (typeof v === 'number') return v >>> 0;
      if (v instanceof Uint8Array) return (((v[0] ?? 0) << 24) | ((v[1] ?? 0) << 16) | ((v[2] ?? 0) << 8) | (v[3] ?? 0)) >>> 0;
      return undefined;
    case 'ipv6':
    case 'ether':
    case 'bytes':
      return v instanceof Uint8Array ? v : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'time_epoch':
    case 'time_rel':
      return typeof v === 'object' && !(v instanceof Uint8Array) ? timeNs(v) : undefined;
    case 'double':
      return typeof v === 'number' ? v : undefined;
    case 'none':
      return 1;
  }
}

/** The frame node's values, read from the frame itself (the frame tree is not built for this). */
export function frameValue(name: string, packet: Packet, view: ViewContext): FilterValue | undefined {
  const f = packet.frame;
  switch (name) {
    case 'frame.number':
      return f.number;
    case 'frame.time_epoch':
      return timeNs({ sec: f.tsSec, nsec: f.tsNsec });
    case 'frame.time_relative':
      return timeNs(relativeTime(packet, view));
    case 'frame.len':
      return f.originalLength;
    case 'frame.cap_len':
      return f.capturedLength;
    case 'frame.interface_id':
      return f.interfaceId;
    case 'frame.link_type':
      return f.linkType;
    case 'frame.protocols':
      return protocolsInFrame(packet);
    default:
      return undefined;
  }
}

interface Plan {
  /** Slot indexes per tree abbrev (an alias feeds its slot from two abbrevs). */
  readonly byAbbrev: Map<string, number[]>;
  readonly frameSlots: { readonly slot: number; readonly name: string }[];
  readonly protocolSlots: { readonly slot: number; readonly layers: readonly string[] }[];
  /** Layer protos whose trees must be built; undefined: all of them. */
  readonly layers: Set<string> | undefined;
}

function plan(fields: readonly FilterField[]): Plan {
  const byAbbrev = new Map<string, number[]>();
  const frameSlots: { slot: number; name: string }[] = [];
  const protocolSlots: { slot: number; layers: readonly string[] }[] = [];
  let layers: Set<string> | undefined = new Set();
  fields.forEach((f, slot) => {
    if (f.domain !== 'packet') throw new Error(`packet filter given a ${f.domain} field`);
    if (f.type === 'protocol') {
      protocolSlots.push({ slot, layers: f.name === 'frame' ? ['*'] : layersHolding(f.name) });
      return;
    }
    if (f.name.startsWith('frame.')) {
      frameSlots.push({ slot, name: f.name });
      return;
    }
    for (const abbrev of PACKET_ALIASES[f.name] ?? [f.name]) {
      byAbbrev.set(abbrev, [...(byAbbrev.get(abbrev) ?? []), slot]);
      const prefix = abbrev.slice(0, abbrev.indexOf('.'));
      const holders = layersHolding(prefix);
      if (holders.every((h) => LAYER_PROTOS.has(h))) holders.forEach((h) => layers?.add(h));
      else layers = undefined;
    }
  });
  return { byAbbrev, frameSlots, protocolSlots, layers };
}

/**
 * A packet predicate from a compiled filter: collects only the fields the filter reads, and
 * builds the detail trees only of the layers that can hold them.
 */
export function packetPredicate(filter: CompiledFilter): (packet: Packet, view: ViewContext) => boolean {
  const p = plan(filter.fields);
  const n = filter.fields.length;
  return (packet, view) => {
    const slots: FilterValue[][] = Array.from({ length: n }, () => []);
    for (const { slot, layers } of p.protocolSlots) {
      if (layers[0] === '*' || packet.layers.some((l) => layers.includes(l.proto))) slots[slot]!.push(1);
    }
    for (const { slot, name } of p.frameSlots) {
      const v = frameValue(name, packet, view);
      if (v !== undefined) slots[slot]!.push(v);
    }
    if (p.byAbbrev.size) {
      const walk = (nodes: readonly TreeNode[]): void => {
        for (const node of nodes) {
          if (node.field && node.value !== undefined) {
            const targets = p.byAbbrev.get(node.field.abbrev);
            if (targets) {
              const v = filterValue(node.field, node.value);
              if (v !== undefined) for (const t of targets) slots[t]!.push(v);
            }
          }
          if (node.children) walk(node.children);
        }
      };
      // Values only: the labels of these trees are never read.
      withoutLabels(() => {
        for (const layer of packet.layers) {
          if (p.layers && !p.layers.has(layer.proto)) continue;
          const d = describerOf(layer);
          if (d) walk([d.tree(layer, packet)]);
        }
      });
    }
    return filter.test(slots);
  };
}
