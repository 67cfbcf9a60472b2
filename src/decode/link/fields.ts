import type { FieldDef } from '../field.js';

/** Link-layer fields, named and typed as tshark 4.0 defines them (`tshark -G fields`). */
export const ETH = {
  dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether' },
  src: { abbrev: 'eth.src', name: 'Source', type: 'ether' },
  type: { abbrev: 'eth.type', name: 'Type', type: 'uint', base: 'hex', bits: 16 },
  len: { abbrev: 'eth.len', name: 'Length', type: 'uint', bits: 16 },
} as const satisfies Record<string, FieldDef>;

export const VLAN = {
  priority: { abbrev: 'vlan.priority', name: 'Priority', type: 'uint', bits: 16 },
  dei: { abbrev: 'vlan.dei', name: 'DEI', type: 'bool' },
  id: { abbrev: 'vlan.id', name: 'ID', type: 'uint', bits: 16 },
  etype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint', base: 'hex', bits: 16 },
  len: { abbrev: 'vlan.len', name: 'Length', type: 'uint', bits: 16 },
} as const satisfies Record<string, FieldDef>;

export const IEEE8021AD = {
  priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: 'uint', bits: 16 },
  dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: 'uint', bits: 16 },
  id: { abbrev: 'ieee8021ad.id', name: 'ID', type: 'uint', bits: 16 },
} as const satisfies Record<string, FieldDef>;

export const ISL = {
  dst: { abbrev: 'isl.dst', name: 'Destination', type: 'ether' },
  type: { abbrev: 'isl.type', name: 'Type', type: 'uint', bits: 8, values: { 0: 'Ethernet', 1: 'Token-Ring', 2: 'FDDI', 3: 'ATM' } },
  src: { abbrev: 'isl.src', name: 'Source', type: 'ether' },
  len: { abbrev: 'isl.len', name: 'Length', type: 'uint', bits: 16 },
  vlanId: { abbrev: 'isl.vlan_id', name: 'VLAN ID', type: 'uint', bits: 16 },
  index: { abbrev: 'isl.index', name: 'Index', type: 'uint', bits: 16 },
} as const satisfies Record<string, FieldDef>;

const SLL_PACKET_TYPES = { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' };

export const SLL = {
  pkttype: { abbrev: 'sll.pkttype', name: 'Packet type', type: 'uint', bits: 16, values: SLL_PACKET_TYPES },
  hatype: { abbrev: 'sll.hatype', name: 'Link-layer address type', type: 'uint', bits: 16 },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint', bits: 16 },
  srcEth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether' },
  srcOther: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes' },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint', base: 'hex', bits: 16 },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint', base: 'hex', bits: 16 },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

export const NULL = {
  family: { abbrev: 'null.family', name: 'Family', type: 'uint', bits: 32, values: { 2: 'IP', 24: 'IPv6 (NetBSD/OpenBSD)', 28: 'IPv6 (FreeBSD)', 30: 'IPv6 (Darwin)' } },
} as const satisfies Record<string, FieldDef>;

export const LINK_FIELDS: readonly FieldDef[] = [ETH, VLAN, IEEE8021AD, ISL, SLL, NULL].flatMap((g) => Object.values(g));
