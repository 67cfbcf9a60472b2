import { toHex } from '../cursor.js';
import { bytesToLatin1, escapeText, formatIpv4, formatIpv6, item, text, type TreeNode } from '../tree.js';
import { ID_FIXED_SIZE } from './constants.js';
import { CFG_ATTRS_V1, CFG_ATTRS_V2 } from './fields-attrs.js';
import { F } from './fields.js';
import { AUTH_METHOD_V2, CERT_TYPE_V1, CERT_TYPE_V2, CFG_TYPE_V1, CFG_TYPE_V2, DOI, EAP_CODE, EAP_TYPE, ID_TYPE_V1, ID_TYPE_V2, IP_PROTOCOL, PROTOCOL_V1, PROTOCOL_V2, TS_TYPE } from './names.js';
import { DH_GROUP } from './names-attrs.js';
import { deleteSpis } from './payloads-ext.js';
import { attributeNodes, saNodes } from './tree-sa.js';
import { notifyNodes, vendorNodes } from './tree-notify.js';
import { labelled, LayerBytes, named, nameOf } from './tree-util.js';
import type { IdentificationBody, IsakmpLayer, IsakmpPayload, PayloadBody, TrafficSelector } from './types.js';

/** Body fields of one payload, after its generic header, in Wireshark's order. */
export function bodyNodes(layer: IsakmpLayer, bytes: LayerBytes, p: IsakmpPayload, body: PayloadBody): TreeNode[] {
  const v = layer.ikeVersion ?? 1;
  const at = p.offset + 4;
  const reserved = (off: number, n: number) => item(F.reserved, bytes.view(off, n), off, n);
  switch (body.kind) {
    case 'sa':
      return saNodes(bytes, v, at, body);
    case 'ke':
      return v === 2
        ? [labelled(F.keDhGroup, body.group ?? 0, at, 2, named(DH_GROUP, body.group ?? 0)), reserved(at + 2, 2), item(F.keData, body.data, at + 4, body.data.length)]
        : [item(F.keData, body.data, at, body.data.length)];
    case 'id':
      return idNodes(bytes, v, at, body);
    case 'cert':
      return [
        labelled(F.certEncoding, body.encoding, at, 1, named(v === 1 ? CERT_TYPE_V1 : CERT_TYPE_V2, body.encoding)),
        item(F.certData, null, at + 1, body.data.length, { label: `Certificate Data (${body.data.length} bytes)` }),
      ];
    case 'certreq': {
      const nodes = [labelled(F.certreqType, body.certType, at, 1, named(v === 1 ? CERT_TYPE_V1 : CERT_TYPE_V2, body.certType))];
      if (v === 1) {
        // IKEv1: a DER distinguished name (Wireshark hands it to its X.509 dissector).
        if (body.data.length > 0) nodes.push(text(`Certificate Authority (DER name, ${body.data.length} bytes)`, undefined, at + 1, body.data.length));
        return nodes;
      }
      // IKEv2: SHA-1 hashes of the trusted CAs' public keys, 20 bytes each.
      for (let i = 0; i < body.data.length; i += 20) {
        const chunk = body.data.subarray(i, i + 20);
        nodes.push(item(F.certreqAuthority, chunk, at + 1 + i, chunk.length));
      }
      return nodes;
    }
    case 'hash':
      return [item(F.hash, body.data, at, body.data.length)];
    case 'sig':
      return [item(F.sig, body.data, at, body.data.length)];
    case 'nonce':
      return [item(F.nonce, body.data, at, body.data.length)];
    case 'notify':
      return notifyNodes(bytes, v, at, body);
    case 'delete': {
      const nodes: TreeNode[] = [];
      let o = at;
      if (v === 1) {
        nodes.push(labelled(F.deleteDoi, body.doi ?? 0, o, 4, named(DOI, body.doi ?? 0)));
        o += 4;
      }
      nodes.push(
        labelled(F.deleteProtoid, body.protocolId, o, 1, named(v === 1 ? PROTOCOL_V1 : PROTOCOL_V2, body.protocolId)),
        item(F.spisize, body.spiSize, o + 1, 1),
        item(F.spinum, body.spiCount, o + 2, 2),
      );
      let s = o + 4;
      for (const spi of deleteSpis(body)) {
        nodes.push(item(F.deleteSpi, spi, s, spi.length));
        s += spi.length;
      }
      return nodes;
    }
    case 'vid':
      return vendorNodes(at, body);
    case 'nat_d':
      return [item(F.natHash, body.hash, at, body.hash.length)];
    case 'nat_oa': {
      const nodes = [labelled(F.idType, body.idType, at, 1, named(ID_TYPE_V1, body.idType))];
      if (body.address?.length === 4) nodes.push(item(F.natOaIpv4, body.address, at + 4, 4));
      else if (body.address?.length === 16) nodes.push(item(F.natOaIpv6, body.address, at + 4, 16));
      return nodes;
    }
    case 'config':
      return [
        labelled(F.cfgType, body.cfgType, at, 1, named(v === 1 ? CFG_TYPE_V1 : CFG_TYPE_V2, body.cfgType)),
        ...(v === 1 ? [reserved(at + 1, 1), item(F.cfgIdentifier, body.identifier ?? 0, at + 2, 2)] : [reserved(at + 1, 3)]),
        ...attributeNodes(v === 1 ? CFG_ATTRS_V1 : CFG_ATTRS_V2, body.attributes),
      ];
    case 'auth':
      return [labelled(F.authMethod, body.method, at, 1, named(AUTH_METHOD_V2, body.method)), reserved(at + 1, 3), item(F.authData, body.data, at + 4, body.data.length)];
    case 'ts':
      return [item(F.tsNumber, body.count, at, 1), reserved(at + 1, 3), ...body.selectors.map(selectorNode)];
    case 'sk':
      return [item(F.encData, null, at, body.data.length, { label: `Encrypted Data (${body.data.length} bytes: IV, ciphertext, ICV)` })];
    case 'skf':
      return [
        item(F.fragNumber, body.fragmentNumber, at, 2),
        item(F.fragTotal, body.totalFragments, at + 2, 2),
        text(`Encrypted fragment (${body.data.length} bytes: IV, ciphertext, ICV)`, undefined, at + 4, body.data.length),
      ];
    case 'frag_v1':
      return [
        item(F.fragPacketid, body.id, at, 2),
        item(F.fragSeq, body.number, at + 2, 1),
        labelled(F.fragLast, body.flags, at + 3, 1, `${body.last ? 'Last fragment' : 'More fragments'} (${body.flags})`),
        text(`Fragment data (${body.data.length} bytes)`, undefined, at + 4, body.data.length),
      ];
    case 'eap':
      return [item(F.eapData, body.data, at, body.data.length, { children: eapDetails(at, body) })];
    case 'opaque':
      return [item(F.datapayload, body.data, at, body.data.length)];
  }
}

function eapDetails(at: number, body: Extract<PayloadBody, { kind: 'eap' }>): TreeNode[] {
  const nodes: TreeNode[] = [];
  if (body.code !== undefined) nodes.push(text(`Code: ${named(EAP_CODE, body.code)}`, undefined, at, 1));
  if (body.identifier !== undefined) nodes.push(text(`Id: ${body.identifier}`, undefined, at + 1, 1));
  if (body.eapLength !== undefined) nodes.push(text(`Length: ${body.eapLength}`, undefined, at + 2, 2));
  if (body.eapType !== undefined) nodes.push(text(`Type: ${named(EAP_TYPE, body.eapType)}`, undefined, at + 4, 1));
  return nodes;
}

function idNodes(bytes: LayerBytes, v: 1 | 2, at: number, b: IdentificationBody): TreeNode[] {
  const nodes: TreeNode[] = [labelled(F.idType, b.idType, at, 1, named(v === 1 ? ID_TYPE_V1 : ID_TYPE_V2, b.idType))];
  if (v === 1) {
    const proto = b.protocolId ?? 0;
    const port = b.port ?? 0;
    nodes.push(labelled(F.idProtoid, proto, at + 1, 1, proto === 0 ? 'Unused' : named(IP_PROTOCOL, proto)));
    nodes.push(labelled(F.idPort, port, at + 2, 2, port === 0 ? 'Unused' : String(port)));
  } else {
    nodes.push(item(F.reserved, bytes.view(at + 1, 3), at + 1, 3));
  }
  const d = b.data;
  const o = at + 4;
  const need = ID_FIXED_SIZE[b.idType];
  const children: TreeNode[] = [];
  let shown = '';
  if (need !== undefined && d.length < need) {
    shown = `(${d.length} of ${need} bytes)`;
  } else {
    switch (b.idType) {
      case 1:
        children.push(item(F.idIpv4, d.subarray(0, 4), o, 4));
        shown = formatIpv4(d);
        break;
      case 2:
      case 3: {
        // Shown up to the first NUL, as Wireshark shows FT_STRING values.
        const nul = d.indexOf(0);
        const s = bytesToLatin1(nul >= 0 ? d.subarray(0, nul) : d);
        children.push(item(b.idType === 2 ? F.idFqdn : F.idUserFqdn, s, o, d.length));
        shown = escapeText(s);
        break;
      }
      case 4:
      case 7: {
        const [fa, fb] = b.idType === 4 ? [F.idIpv4, F.idIpv4Subnet] : [F.idIpv4RangeStart, F.idIpv4RangeEnd];
        children.push(item(fa, d.subarray(0, 4), o, 4), item(fb, d.subarray(4, 8), o + 4, 4));
        shown = `${formatIpv4(d.subarray(0, 4))}/${formatIpv4(d.subarray(4, 8))}`;
        break;
      }
      case 5:
        children.push(item(F.idIpv6, d.subarray(0, 16), o, 16));
        shown = formatIpv6(d);
        break;
      case 6:
      case 8: {
        const [fa, fb] = b.idType === 6 ? [F.idIpv6, F.idIpv6Subnet] : [F.idIpv6RangeStart, F.idIpv6RangeEnd];
        children.push(item(fa, d.subarray(0, 16), o, 16), item(fb, d.subarray(16, 32), o + 16, 16));
        shown = `${formatIpv6(d.subarray(0, 16))}/${formatIpv6(d.subarray(16, 32))}`;
        break;
      }
      case 11:
        children.push(item(F.idKeyId, d, o, d.length));
        break;
      default:
        shown = toHex(d);
    }
  }
  nodes.push(item(F.idData, null, o, d.length, { label: `Identification Data:${shown}`, children }));
  return nodes;
}

function selectorNode(s: TrafficSelector): TreeNode {
  const type = nameOf(TS_TYPE, s.tsType);
  const o = s.offset;
  const children: TreeNode[] = [
    labelled(F.tsType, s.tsType, o, 1, named(TS_TYPE, s.tsType)),
    labelled(F.tsProtoid, s.protocolId, o + 1, 1, s.protocolId === 0 ? 'Unused' : named(IP_PROTOCOL, s.protocolId)),
    item(F.tsSelectorLength, s.length, o + 2, 2),
    item(F.tsStartPort, s.startPort, o + 4, 2),
    item(F.tsEndPort, s.endPort, o + 6, 2),
  ];
  if (s.start.length === 4) children.push(item(F.tsStartIpv4, s.start, o + 8, 4), item(F.tsEndIpv4, s.end, o + 12, 4));
  else if (s.start.length === 16) children.push(item(F.tsStartIpv6, s.start, o + 8, 16), item(F.tsEndIpv6, s.end, o + 24, 16));
  return item(F.tsData, null, o, s.length, { label: `Traffic Selector: ${type}`, children });
}
