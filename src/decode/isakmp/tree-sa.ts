import { toHex } from '../cursor.js';
import { bytesToLatin1, escapeText, formatIpv4, formatIpv6, item, type TreeNode } from '../tree.js';
import { type AttrFamily, IKE2_ATTRS, IKE_ATTRS, IPSEC_ATTRS, type TypedAttr } from './fields-attrs.js';
import { F } from './fields.js';
import { DOI, PROTOCOL_V1, PROTOCOL_V2, rangeName } from './names.js';
import { DH_GROUP, V1_TRANSFORM_AH, V1_TRANSFORM_ESP, V1_TRANSFORM_IPCOMP, V1_TRANSFORM_ISAKMP } from './names-attrs.js';
import { TF_ENCR, TF_ESN, TF_INTEG, TF_PRF, TRANSFORM_TYPE } from './names-v2.js';
import { attributeValue } from './sa.js';
import { bitString, flagItem, genericHeader, labelled, type LayerBytes, named } from './tree-util.js';
import type { DataAttribute, Proposal, SaBody, Transform } from './types.js';

const PROTO_ISAKMP = 1;

export function saNodes(bytes: LayerBytes, v: 1 | 2, at: number, sa: SaBody): TreeNode[] {
  const nodes: TreeNode[] = [];
  if (v === 1 && sa.doi !== undefined) {
    nodes.push(labelled(F.saDoi, sa.doi, at, 4, named(DOI, sa.doi)));
    const sit = sa.situation ?? new Uint8Array(0);
    if (sa.doi === 1 && sit.length === 4) {
      const s = bytes.u32(at + 4);
      nodes.push(item(F.saSituation, sit, at + 4, 4, {
        children: [
          flagItem(F.sitIdentity, s, 0x1, 32, at + 4, 4, 'True', 'False'),
          flagItem(F.sitSecrecy, s, 0x2, 32, at + 4, 4, 'True', 'False'),
          flagItem(F.sitIntegrity, s, 0x4, 32, at + 4, 4, 'True', 'False'),
        ],
      }));
    } else {
      nodes.push(item(F.saSituation, sit, at + 4, sit.length));
    }
  }
  for (const p of sa.proposals) nodes.push(proposalNode(bytes, v, p));
  if (sa.extra) nodes.push(item(F.extradata, sa.extra.data, sa.extra.offset, sa.extra.data.length));
  return nodes;
}

function proposalNode(bytes: LayerBytes, v: 1 | 2, p: Proposal): TreeNode {
  const o = p.offset;
  const children: TreeNode[] = [
    ...genericHeader(bytes, o, 1, p),
    item(F.propNumber, p.number, o + 4, 1),
    labelled(F.propProtoid, p.protocolId, o + 5, 1, named(v === 1 ? PROTOCOL_V1 : PROTOCOL_V2, p.protocolId)),
    item(F.spisize, p.spiSize, o + 6, 1),
    item(F.propTransforms, p.transformCount, o + 7, 1),
  ];
  if (p.spiSize > 0) children.push(item(F.spi, p.spi, o + 8, p.spi.length));
  for (const t of p.transforms) children.push(v === 1 ? transformV1(bytes, p.protocolId, t) : transformV2(bytes, t));
  return item(F.typepayload, 2, o, Math.min(p.length, bytes.left(o)), { label: `Payload: Proposal (2) # ${p.number}`, children });
}

function transformV1(bytes: LayerBytes, protocolId: number, t: Transform): TreeNode {
  const o = t.offset;
  const id = t.transformId;
  const table = protocolId === 1 ? V1_TRANSFORM_ISAKMP : protocolId === 2 ? V1_TRANSFORM_AH : protocolId === 3 ? V1_TRANSFORM_ESP : protocolId === 4 ? V1_TRANSFORM_IPCOMP : undefined;
  const children: TreeNode[] = [
    ...genericHeader(bytes, o, 1, t),
    item(F.transNumber, t.number ?? 0, o + 4, 1),
    table ? labelled(F.transId, id, o + 5, 1, `${table[id] ?? 'UNKNOWN-TRANS-TYPE'} (${id})`) : item(F.transId, id, o + 5, 1),
    item(F.reserved, bytes.view(o + 6, 2), o + 6, 2),
    ...attributeNodes(protocolId === PROTO_ISAKMP ? IKE_ATTRS : IPSEC_ATTRS, t.attributes),
  ];
  return item(F.typepayload, 3, o, Math.min(t.length, bytes.left(o)), { label: `Payload: Transform (3) # ${t.number ?? 0}`, children });
}

function transformV2(bytes: LayerBytes, t: Transform): TreeNode {
  const o = t.offset;
  const type = t.transformType ?? 0;
  const id = t.transformId;
  const [def, table] =
    type === 1 ? [F.tfIdEncr, TF_ENCR] : type === 2 ? [F.tfIdPrf, TF_PRF] : type === 3 ? [F.tfIdInteg, TF_INTEG] : type === 4 ? [F.tfIdDh, DH_GROUP] : type === 5 ? [F.tfIdEsn, TF_ESN] : [F.tfId, undefined];
  const children: TreeNode[] = [
    ...genericHeader(bytes, o, 1, t),
    labelled(F.tfType, type, o + 4, 1, named(TRANSFORM_TYPE, type)),
    item(F.reserved, bytes.view(o + 5, 1), o + 5, 1),
    table ? labelled(def, id, o + 6, 2, named(table, id)) : item(def, id, o + 6, 2),
    ...attributeNodes(IKE2_ATTRS, t.attributes),
  ];
  return item(F.typepayload, 3, o, Math.min(t.length, bytes.left(o)), { label: 'Payload: Transform (3)', children });
}

/** One node per data attribute: "IKE Attribute (t=11,l=2): Life-Type: Seconds" with format, type, length, value and the typed value. */
export function attributeNodes(family: AttrFamily, attrs: readonly DataAttribute[]): TreeNode[] {
  return attrs.map((a) => attributeNode(family, a));
}

function attributeNode(f: AttrFamily, a: DataAttribute): TreeNode {
  const o = a.offset;
  const word = a.tv ? 0x8000 | a.type : a.type;
  const typeName = rangeName(f.typeNames, a.type) ?? 'Unknown';
  const headerLen = a.tv ? 2 : 4;
  const children: TreeNode[] = [
    item(f.format, a.tv, o, 2, { label: `${bitString(word, 0x8000, 16)} = Format: ${a.tv ? 'Type/Value (TV)' : 'Type/Length/Value (TLV)'}` }),
    item(f.type, a.type, o, 2, { label: `Type: ${typeName} (${a.type})` }),
  ];
  if (!a.tv) children.push(item(f.length, a.length, o + 2, 2));
  let shown: string | undefined;
  const typed = f.typed[a.type];
  if (a.value.length > 0) {
    children.push(item(f.value, a.value, o + headerLen, a.value.length));
    if (typed && a.status === 'ok') {
      const r = typedNodes(f, typed, a.value, o + headerLen);
      children.push(...r.nodes);
      if (f.labelValue(typed)) shown = r.shown;
    }
  }
  const label = `${f.label} (t=${a.type},l=${a.length}): ${typeName}${shown !== undefined ? `: ${shown}` : ''}`;
  return item(f.node, null, o, headerLen + a.value.length, { label, children });
}

function typedNodes(f: AttrFamily, t: TypedAttr, v: Uint8Array, o: number): { nodes: TreeNode[]; shown: string } {
  switch (t.kind) {
    case 'uint': {
      const n = attributeValue({ value: v } as DataAttribute) ?? 0;
      const shown = t.names ? (t.names[n] ?? 'Unknown') : String(n);
      return { nodes: [labelled(t.field, n, o, v.length, t.names ? `${shown} (${n})` : shown)], shown };
    }
    case 'life': {
      const n = attributeValue({ value: v } as DataAttribute);
      if (v.length <= 4 && n !== undefined) return { nodes: [item(t.field, n, o, v.length)], shown: String(n) };
      if (v.length <= 8 && f.life64) {
        let big = 0n;
        for (const b of v) big = (big << 8n) | BigInt(b);
        return { nodes: [item(f.life64, big, o, v.length, { label: `${f.life64.name}: ${big}` })], shown: String(big) };
      }
      const def = f.lifeBytes ?? f.value;
      return { nodes: [item(def, v, o, v.length)], shown: toHex(v) };
    }
    case 'bytes':
      return { nodes: [item(t.field, v, o, v.length)], shown: toHex(v) };
    case 'string': {
      const s = bytesToLatin1(v);
      return { nodes: [item(t.field, s, o, v.length)], shown: escapeText(s) };
    }
    case 'ipv4':
      return v.length >= 4 ? { nodes: [item(t.field, v.subarray(0, 4), o, 4)], shown: formatIpv4(v) } : { nodes: [], shown: toHex(v) };
    case 'ipv6':
      return v.length >= 16 ? { nodes: [item(t.field, v.subarray(0, 16), o, 16)], shown: formatIpv6(v) } : { nodes: [], shown: toHex(v) };
    case 'ipv4_subnet': {
      if (v.length < 8 || !t.second) return { nodes: [], shown: toHex(v) };
      return { nodes: [item(t.field, v.subarray(0, 4), o, 4), item(t.second, v.subarray(4, 8), o + 4, 4)], shown: `${formatIpv4(v)}/${formatIpv4(v.subarray(4))}` };
    }
    case 'ipv6_prefix': {
      if (v.length < 16) return { nodes: [], shown: toHex(v) };
      const nodes = [item(t.field, v.subarray(0, 16), o, 16)];
      if (v.length >= 17 && t.second) nodes.push(item(t.second, v[16]!, o + 16, 1));
      return { nodes, shown: formatIpv6(v) };
    }
    case 'uint16_list': {
      const nodes: TreeNode[] = [];
      for (let i = 0; i + 2 <= v.length; i += 2) nodes.push(item(t.field, (v[i]! << 8) | v[i + 1]!, o + i, 2));
      return { nodes, shown: '' };
    }
  }
}
