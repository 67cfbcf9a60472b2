import { readU16, readU32 } from '../cursor.js';
import { bytesToLatin1, item, type TreeNode } from '../tree.js';
import { F } from './fields.js';
import { DOI, PROTOCOL_V1, PROTOCOL_V2 } from './names.js';
import { DH_GROUP, V1_TRANSFORM_IPCOMP } from './names-attrs.js';
import { REDIRECT_GW_TYPE, SIGNATURE_HASH } from './names-v2.js';
import { NOTIFY, notifyTypeName } from './notify-types.js';
import { labelled, type LayerBytes, named } from './tree-util.js';
import type { NotifyBody, VendorIdBody } from './types.js';

/**
 * Notify fields, then a few well-known data layouts (DPD sequence numbers, accepted DH group,
 * signature hash list, redirect). Notify data is never decoded as another ISAKMP message.
 */
export function notifyNodes(_bytes: LayerBytes, v: 1 | 2, at: number, n: NotifyBody): TreeNode[] {
  const nodes: TreeNode[] = [];
  let o = at;
  if (v === 1) {
    nodes.push(labelled(F.notifyDoi, n.doi ?? 0, o, 4, named(DOI, n.doi ?? 0)));
    o += 4;
  }
  nodes.push(
    labelled(F.notifyProtoid, n.protocolId, o, 1, named(v === 1 ? PROTOCOL_V1 : PROTOCOL_V2, n.protocolId)),
    item(F.spisize, n.spiSize, o + 1, 1),
    labelled(F.notifyMsgtype, n.notifyType, o + 2, 2, `${notifyTypeName(n.notifyType, v)} (${n.notifyType})`),
  );
  o += 4;
  if (n.spiSize > 0) nodes.push(item(F.spi, n.spi, o, n.spi.length));
  o += n.spi.length;
  nodes.push(item(F.notifyData, n.data, o, n.data.length, n.data.length === 0 ? { label: `${F.notifyData.name}: <MISSING>` } : {}));
  nodes.push(...notifyDataNodes(v, n.notifyType, n.data, o));
  return nodes;
}

function notifyDataNodes(v: 1 | 2, type: number, d: Uint8Array, o: number): TreeNode[] {
  if (v === 1) {
    if ((type === NOTIFY.V1_R_U_THERE || type === NOTIFY.V1_R_U_THERE_ACK) && d.length === 4) {
      return [item(type === NOTIFY.V1_R_U_THERE ? F.dpdAreYouThere : F.dpdAreYouThereAck, readU32(d, 0)!, o, 4)];
    }
    if (type === NOTIFY.V1_UNITY_LOAD_BALANCE && d.length === 4) return [item(F.unityLoadBalance, d, o, 4)];
    return [];
  }
  switch (type) {
    case NOTIFY.V2_INVALID_KE_PAYLOAD:
      return d.length === 2 ? [labelled(F.acceptedDhGroup, readU16(d, 0)!, o, 2, named(DH_GROUP, readU16(d, 0)!))] : [];
    case NOTIFY.V2_IPCOMP_SUPPORTED:
      return d.length >= 3
        ? [item(F.ipcompCpi, readU16(d, 0)!, o, 2), labelled(F.ipcompTransformId, d[2]!, o + 2, 1, named(V1_TRANSFORM_IPCOMP, d[2]!))]
        : [];
    case NOTIFY.V2_AUTH_LIFETIME:
      return d.length === 4 ? [item(F.authLifetime, readU32(d, 0)!, o, 4)] : [];
    case NOTIFY.V2_SIGNATURE_HASH_ALGORITHMS: {
      const nodes: TreeNode[] = [];
      for (let i = 0; i + 2 <= d.length; i += 2) {
        const h = readU16(d, i)!;
        nodes.push(labelled(F.signatureHash, h, o + i, 2, named(SIGNATURE_HASH, h)));
      }
      return nodes;
    }
    case NOTIFY.V2_REDIRECT:
    case NOTIFY.V2_REDIRECTED_FROM:
      return redirectNodes(type === NOTIFY.V2_REDIRECT, d, o);
    default:
      return [];
  }
}

function redirectNodes(isNew: boolean, d: Uint8Array, o: number): TreeNode[] {
  if (d.length < 2) return [];
  const gwType = d[0]!;
  const len = d[1]!;
  const nodes: TreeNode[] = [
    labelled(F.redirectGwType, gwType, o, 1, named(REDIRECT_GW_TYPE, gwType)),
    item(F.redirectGwLen, len, o + 1, 1),
  ];
  if (2 + len > d.length) return nodes;
  const ident = d.subarray(2, 2 + len);
  if (gwType === 1 && len === 4) nodes.push(item(isNew ? F.redirectNewIpv4 : F.redirectOrgIpv4, ident, o + 2, 4));
  else if (gwType === 2 && len === 16) nodes.push(item(isNew ? F.redirectNewIpv6 : F.redirectOrgIpv6, ident, o + 2, 16));
  else if (gwType === 3 && isNew) nodes.push(item(F.redirectNewFqdn, bytesToLatin1(ident), o + 2, len));
  else nodes.push(item(isNew ? F.redirectNewData : F.redirectOrgData, ident, o + 2, len));
  const nonce = d.subarray(2 + len);
  if (isNew && nonce.length > 0) nodes.push(item(F.redirectNonce, nonce, o + 2 + len, nonce.length));
  return nodes;
}

const WINDOWS: Readonly<Record<number, string>> = { 2: 'Windows 2000', 3: 'Windows XP SP1', 4: 'Windows 2003 and Windows XP SP2', 5: 'Windows Vista' };

/** Vendor ID bytes and name, and the structured tails Wireshark shows (Unity version, Windows version, ...). */
export function vendorNodes(at: number, b: VendorIdBody): TreeNode[] {
  const d = b.data;
  const name = b.vendor?.name ?? 'Unknown Vendor ID';
  const nodes: TreeNode[] = [item(F.vidBytes, d, at, d.length), item(F.vidString, name, at, d.length)];
  switch (name) {
    case 'CISCO-UNITY':
      nodes.push(item(F.vidUnityMajor, d[14] ?? 0, at + 14, 1), item(F.vidUnityMinor, d[15] ?? 0, at + 15, 1));
      break;
    case 'MS NT5 ISAKMPOAKLEY': {
      const ver = readU32(d, 16) ?? 0;
      nodes.push(labelled(F.vidMsNt5, ver, at + 16, 4, named(WINDOWS, ver)));
      break;
    }
    case 'Check Point':
      if (d.length >= 40) {
        nodes.push(
          item(F.vidCpProduct, readU32(d, 20)!, at + 20, 4),
          item(F.vidCpVersion, readU32(d, 24)!, at + 24, 4),
          item(F.vidCpTimestamp, readU32(d, 28)!, at + 28, 4),
          item(F.vidCpReserved, readU32(d, 32)!, at + 32, 4),
          item(F.vidCpFeatures, readU32(d, 36)!, at + 36, 4),
        );
      }
      break;
    case 'Fortigate (Fortinet)':
      if (d.length === 16) nodes.push(item(F.vidFortigateRelease, readU16(d, 12)!, at + 12, 2), item(F.vidFortigateBuild, readU16(d, 14)!, at + 14, 2));
      break;
  }
  return nodes;
}
