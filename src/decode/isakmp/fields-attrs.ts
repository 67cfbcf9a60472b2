import type { FieldDef, FieldType } from '../field.js';
import type { NameTable, RangeTable } from './names.js';
import {
  ADDR_PRESERVATION, CFG_ATTR_V1, CFG_ATTR_V2, DH_GROUP, ECN_TUNNEL, ENCAP_MODE, EXT_SEQ, GROUP_TYPE, IKE_ATTR_TYPE,
  IKE_AUTH_METHOD, IKE_ENCRYPTION, IPSEC_ATTR_TYPE, IPSEC_AUTH_ALGORITHM, LIFE_TYPE, SA_DIRECTION, XAUTH_STATUS,
  XAUTH_TYPE,
} from './names-attrs.js';
import { IKE2_ATTR_TYPE } from './names-v2.js';
import { IKE_HASH } from './hashes.js';

/**
 * Data-attribute families (IKE SA, IPsec SA, IKEv2 transform, mode config / CP): the generic
 * per-attribute fields and the typed value field for each known attribute type.
 */
export interface TypedAttr {
  readonly field: FieldDef;
  /** How the value is read: unsigned number, bytes, address, text, or a lifetime (uint32/64/bytes by size). */
  readonly kind: 'uint' | 'bytes' | 'ipv4' | 'ipv6' | 'string' | 'life' | 'ipv6_prefix' | 'ipv4_subnet' | 'uint16_list';
  readonly names?: NameTable;
  /** Secondary field (prefix / netmask) for the composite kinds. */
  readonly second?: FieldDef;
}

export interface AttrFamily {
  readonly label: string;
  readonly node: FieldDef;
  readonly format: FieldDef;
  readonly type: FieldDef;
  readonly length: FieldDef;
  readonly value: FieldDef;
  readonly typeNames: RangeTable;
  readonly typed: Readonly<Record<number, TypedAttr>>;
  /** Lifetime fields (uint64 and bytes variants), for families that have them. */
  readonly life64?: FieldDef;
  readonly lifeBytes?: FieldDef;
  /** Whether the attribute's own label shows the value (mode config only shows it for some types). */
  readonly labelValue: (t: TypedAttr) => boolean;
}

const def = (abbrev: string, name: string, type: FieldType, bits?: number): FieldDef => ({ abbrev, name, type, ...(bits ? { bits } : {}) });
const u16 = (a: string, n: string) => def(a, n, 'uint', 16);
const u32 = (a: string, n: string) => def(a, n, 'uint', 32);

function generic(prefix: string, label: string) {
  return {
    label,
    node: def(prefix, label, 'none'),
    format: def(`${prefix}.format`, 'Format', 'bool'),
    type: u16(`${prefix}.type`, 'Type'),
    length: u16(`${prefix}.length`, 'Length'),
    value: def(`${prefix}.value`, 'Value', 'bytes'),
  };
}

const uint = (field: FieldDef, names?: NameTable): TypedAttr => ({ field, kind: 'uint', ...(names ? { names } : {}) });
const as = (field: FieldDef, kind: TypedAttr['kind'], second?: FieldDef): TypedAttr => ({ field, kind, ...(second ? { second } : {}) });

function lifeFamily(prefix: string) {
  return {
    life: u32(`${prefix}.life_duration`, 'Life Duration'),
    life64: def(`${prefix}.life_duration64`, 'Life Duration', 'uint64', 64),
    lifeBytes: def(`${prefix}.life_duration_bytes`, 'Life Duration', 'bytes'),
  };
}

const ikeLife = lifeFamily('isakmp.ike.attr');
const P = 'isakmp.ike.attr';
export const IKE_ATTRS: AttrFamily = {
  ...generic(P, 'IKE Attribute'),
  typeNames: IKE_ATTR_TYPE,
  life64: ikeLife.life64,
  lifeBytes: ikeLife.lifeBytes,
  labelValue: () => true,
  typed: {
    1: uint(u16(`${P}.encryption_algorithm`, 'Encryption Algorithm'), IKE_ENCRYPTION),
    2: uint(u16(`${P}.hash_algorithm`, 'HASH Algorithm'), IKE_HASH),
    3: uint(u16(`${P}.authentication_method`, 'Authentication Method'), IKE_AUTH_METHOD),
    4: uint(u16(`${P}.group_description`, 'Group Description'), DH_GROUP),
    5: uint(u16(`${P}.group_type`, 'Group Type'), GROUP_TYPE),
    6: as(def(`${P}.group_prime`, 'Group Prime', 'bytes'), 'bytes'),
    7: as(def(`${P}.group_generator_one`, 'Group Generator One', 'bytes'), 'bytes'),
    8: as(def(`${P}.group_generator_two`, 'Group Generator Two', 'bytes'), 'bytes'),
    9: as(def(`${P}.group_curve_a`, 'Group Curve A', 'bytes'), 'bytes'),
    10: as(def(`${P}.group_curve_b`, 'Group Curve B', 'bytes'), 'bytes'),
    11: uint(u16(`${P}.life_type`, 'Life Type'), LIFE_TYPE),
    12: as(ikeLife.life, 'life'),
    13: as(def(`${P}.prf`, 'PRF', 'bytes'), 'bytes'),
    14: uint(u16(`${P}.key_length`, 'Key Length')),
    15: as(def(`${P}.field_size`, 'Field Size', 'bytes'), 'bytes'),
    16: as(def(`${P}.group_order`, 'Group Order', 'bytes'), 'bytes'),
    17: as(def(`${P}.block_size`, 'Block Size', 'bytes'), 'bytes'),
    20: uint(u16(`${P}.asymmetric_cryptographic_algorithm_type`, 'Asymmetric Cryptographic Algorithm Type')),
  },
};

const ipsecLife = lifeFamily('isakmp.ipsec.attr');
const Q = 'isakmp.ipsec.attr';
export const IPSEC_ATTRS: AttrFamily = {
  ...generic(Q, 'IPsec Attribute'),
  typeNames: IPSEC_ATTR_TYPE,
  life64: ipsecLife.life64,
  lifeBytes: ipsecLife.lifeBytes,
  labelValue: () => true,
  typed: {
    1: uint(u16(`${Q}.life_type`, 'Life Type'), LIFE_TYPE),
    2: as(ipsecLife.life, 'life'),
    3: uint(u16(`${Q}.group_description`, 'Group Description'), DH_GROUP),
    4: uint(u16(`${Q}.encap_mode`, 'Encapsulation Mode'), ENCAP_MODE),
    5: uint(u16(`${Q}.auth_algorithm`, 'Authentication Algorithm'), IPSEC_AUTH_ALGORITHM),
    6: uint(u16(`${Q}.key_length`, 'Key Length')),
    7: uint(u16(`${Q}.key_rounds`, 'Key Rounds')),
    8: uint(u16(`${Q}.cmpr_dict_size`, 'Compress Dictionary Size')),
    9: as(def(`${Q}.cmpr_algorithm`, 'Compress Private Algorithm', 'bytes'), 'bytes'),
    10: uint(u16(`${Q}.ecn_tunnel`, 'ECN Tunnel'), ECN_TUNNEL),
    11: uint(u16(`${Q}.ext_seq_nbr`, 'Extended (64-bit) Sequence Number'), EXT_SEQ),
    12: uint(u16(`${Q}.auth_key_length`, 'Authentication Key Length')),
    13: as(def(`${Q}.sig_enco_algorithm`, 'Signature Encoding Algorithm', 'bytes'), 'bytes'),
    14: uint(u16(`${Q}.addr_preservation`, 'Address Preservation'), ADDR_PRESERVATION),
    15: uint(u16(`${Q}.sa_direction`, 'SA Direction'), SA_DIRECTION),
  },
};

export const IKE2_ATTRS: AttrFamily = {
  ...generic('isakmp.ike2.attr', 'Transform Attribute'),
  typeNames: IKE2_ATTR_TYPE,
  labelValue: () => true,
  typed: { 14: uint(u16('isakmp.ike2.attr.key_length', 'Key Length')) },
};

const C = 'isakmp.cfg.attr';
const cfgIp4 = (s: string, n: string) => as(def(`${C}.${s}`, n, 'ipv4'), 'ipv4');
const cfgIp6 = (s: string, n: string) => as(def(`${C}.${s}`, n, 'ipv6'), 'ipv6');
const cfgStr = (s: string, n: string) => as(def(`${C}.${s}`, n, 'string'), 'string');
const CFG_TYPED: Readonly<Record<number, TypedAttr>> = {
  1: cfgIp4('internal_ip4_address', 'INTERNAL IP4 ADDRESS'),
  2: cfgIp4('internal_ip4_netmask', 'INTERNAL IP4 NETMASK'),
  3: cfgIp4('internal_ip4_dns', 'INTERNAL IP4 DNS'),
  4: cfgIp4('internal_ip4_nbns', 'INTERNAL IP4 NBNS'),
  5: uint(u32(`${C}.internal_address_expiry`, 'INTERNAL ADDRESS EXPIRY (Secs)')),
  6: cfgIp4('internal_ip4_dhcp', 'INTERNAL IP4 DHCP'),
  7: cfgStr('application_version', 'APPLICATION VERSION'),
  8: as(def(`${C}.internal_ip6_address`, 'INTERNAL IP6 ADDRESS', 'ipv6'), 'ipv6_prefix', def(`${C}.internal_ip6_address.prefix`, 'INTERNAL IP6 ADDRESS (PREFIX)', 'uint', 8)),
  9: cfgIp6('internal_ip6_netmask', 'INTERNAL IP4 NETMASK'),
  10: cfgIp6('internal_ip6_dns', 'INTERNAL IP6 DNS'),
  11: cfgIp6('internal_ip6_nbns', 'INTERNAL IP6 NBNS'),
  12: cfgIp6('internal_ip6_dhcp', 'INTERNAL IP6 DHCP'),
  13: as(def(`${C}.internal_ip4_subnet_ip`, 'INTERNAL IP4 SUBNET (IP)', 'ipv4'), 'ipv4_subnet', def(`${C}.internal_ip4_subnet_netmask`, 'INTERNAL IP4 SUBNET (NETMASK)', 'ipv4')),
  14: as(u16(`${C}.supported_attributes`, 'SUPPORTED ATTRIBUTES'), 'uint16_list'),
  15: as(def(`${C}.internal_ip6_subnet_ip`, 'INTERNAL_IP6_SUBNET (IP)', 'ipv6'), 'ipv6_prefix', def(`${C}.internal_ip6_subnet_prefix`, 'INTERNAL_IP6_SUBNET (PREFIX)', 'uint', 8)),
  16520: uint(u16(`${C}.xauth.type`, 'XAUTH TYPE'), XAUTH_TYPE),
  16521: cfgStr('xauth.user_name', 'XAUTH USER NAME'),
  16522: cfgStr('xauth.user_password', 'XAUTH USER PASSWORD'),
  16523: cfgStr('xauth.passcode', 'XAUTH PASSCODE'),
  16524: cfgStr('xauth.message', 'XAUTH MESSAGE'),
  16525: cfgStr('xauth.challenge', 'XAUTH CHALLENGE'),
  16526: cfgStr('xauth.domain', 'XAUTH DOMAIN'),
  16527: uint(u16(`${C}.xauth.status`, 'XAUTH STATUS'), XAUTH_STATUS),
  16528: cfgStr('xauth.next_pin', 'XAUTH TYPE'),
  16529: cfgStr('xauth.answer', 'XAUTH ANSWER'),
  28672: cfgStr('unity.banner', 'UNITY BANNER'),
  28674: cfgStr('unity.def_domain', 'UNITY DEF DOMAIN'),
};
const cfgLabelValue = (t: TypedAttr): boolean => t.kind === 'string' || t.names !== undefined;

export const CFG_ATTRS_V1: AttrFamily = { ...generic(C, 'Config Attribute'), typeNames: CFG_ATTR_V1, typed: CFG_TYPED, labelValue: cfgLabelValue };
export const CFG_ATTRS_V2: AttrFamily = {
  ...CFG_ATTRS_V1,
  typeNames: CFG_ATTR_V2,
  typed: {
    ...CFG_TYPED,
    20: cfgIp4('p_cscf_ip4_address', 'P_CSCF_IP4_ADDRESS (IP)'),
    21: cfgIp6('p_cscf_ip6_address', 'P_CSCF_IP6_ADDRESS (IP)'),
  },
};

function familyFields(f: AttrFamily): FieldDef[] {
  const out = [f.node, f.format, f.type, f.length, f.value];
  if (f.life64) out.push(f.life64);
  if (f.lifeBytes) out.push(f.lifeBytes);
  for (const t of Object.values(f.typed)) {
    out.push(t.field);
    if (t.second) out.push(t.second);
  }
  return out;
}

/** All attribute fields, one def per abbrev. */
export const ATTR_FIELDS: readonly FieldDef[] = (() => {
  const seen = new Map<string, FieldDef>();
  for (const f of [IKE_ATTRS, IPSEC_ATTRS, IKE2_ATTRS, CFG_ATTRS_V1, CFG_ATTRS_V2]) for (const d of familyFields(f)) if (!seen.has(d.abbrev)) seen.set(d.abbrev, d);
  return [...seen.values()];
})();
