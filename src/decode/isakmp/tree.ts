import { item, text, type TreeNode } from '../tree.js';
import { FLAG_V1, FLAG_V2, ISAKMP_HEADER_LENGTH } from './constants.js';
import { F } from './fields.js';
import { payloadTypeName } from './names.js';
import { EXCHANGE_V1, EXCHANGE_V2 } from './exchanges.js';
import { notifyTypeName } from './notify-types.js';
import { bodyNodes } from './tree-payloads.js';
import { bitString, flagItem, genericHeader, LayerBytes, named } from './tree-util.js';
import type { IsakmpHeader, IsakmpLayer, IsakmpPayload } from './types.js';

/**
 * The detail tree, field for field in Wireshark's order, so that `-T fields` extraction over it
 * (every occurrence, tree order) gives tshark 4.0's output.
 */
export function isakmpTree(layer: IsakmpLayer): TreeNode {
  const children: TreeNode[] = [];
  const bytes = new LayerBytes(layer);
  const h = layer.header;
  if (!h) {
    children.push(text(`Too short for an ISAKMP header: ${layer.bytes.length} of ${ISAKMP_HEADER_LENGTH} bytes`, undefined, layer.offset, layer.bytes.length));
  } else {
    children.push(...headerNodes(layer, h));
    if (layer.encrypted) {
      const e = layer.encrypted;
      children.push(item(F.encData, null, e.offset, e.data.length, { label: `Encrypted Data (${e.data.length} bytes)` }));
    }
    for (const p of layer.payloads) children.push(payloadNode(layer, bytes, p));
    if (layer.extra) children.push(item(F.extradata, layer.extra.data, layer.extra.offset, layer.extra.data.length));
  }
  return text('Internet Security Association and Key Management Protocol', children, layer.offset, layer.length);
}

function headerNodes(layer: IsakmpLayer, h: IsakmpHeader): TreeNode[] {
  const o = layer.offset;
  const v = layer.ikeVersion;
  const nodes: TreeNode[] = [
    item(F.ispi, h.ispi, o, 8),
    item(F.rspi, h.rspi, o + 8, 8),
    item(F.nextpayload, h.nextPayload, o + 16, 1, { label: `Next payload: ${payloadTypeName(h.nextPayload)} (${h.nextPayload})` }),
    item(F.version, h.version, o + 17, 1, {
      label: `Version: ${h.majorVersion}.${h.minorVersion}`,
      children: [
        item(F.mjver, h.majorVersion, o + 17, 1, { label: `${bitString(h.version, 0xf0, 8)} = MjVer: 0x${h.majorVersion.toString(16)}` }),
        item(F.mnver, h.minorVersion, o + 17, 1, { label: `${bitString(h.version, 0x0f, 8)} = MnVer: 0x${h.minorVersion.toString(16)}` }),
      ],
    }),
  ];
  if (v !== undefined) {
    const table = v === 1 ? EXCHANGE_V1 : EXCHANGE_V2;
    nodes.push(item(F.exchangetype, h.exchangeType, o + 18, 1, { label: `Exchange type: ${named(table, h.exchangeType)}` }));
  }
  nodes.push(flagsNode(h, o + 19, v));
  nodes.push(item(F.messageid, h.messageId, o + 20, 4));
  nodes.push(item(F.length, h.length, o + 24, 4));
  return nodes;
}

function flagsNode(h: IsakmpHeader, at: number, v: 1 | 2 | undefined): TreeNode {
  const f = h.flags;
  const hex = `0x${f.toString(16).padStart(2, '0')}`;
  if (v === 1) {
    return item(F.flags, f, at, 1, {
      label: `Flags: ${hex}`,
      children: [
        flagItem(F.flagE, f, FLAG_V1.ENCRYPTION, 8, at, 1, 'Encrypted', 'Not encrypted'),
        flagItem(F.flagC, f, FLAG_V1.COMMIT, 8, at, 1, 'Commit', 'No commit'),
        flagItem(F.flagA, f, FLAG_V1.AUTHENTICATION, 8, at, 1, 'Authentication', 'No authentication'),
      ],
    });
  }
  if (v === 2) {
    const i = f & FLAG_V2.INITIATOR ? 'Initiator' : 'Responder';
    const ver = f & FLAG_V2.VERSION ? 'A higher version enabled' : 'No higher version';
    const r = f & FLAG_V2.RESPONSE ? 'Response' : 'Request';
    return item(F.flags, f, at, 1, {
      label: `Flags: ${hex} (${i}, ${ver}, ${r})`,
      children: [
        flagItem(F.flagI, f, FLAG_V2.INITIATOR, 8, at, 1, 'Initiator', 'Responder'),
        flagItem(F.flagV, f, FLAG_V2.VERSION, 8, at, 1, 'A higher version enabled', 'No higher version'),
        flagItem(F.flagR, f, FLAG_V2.RESPONSE, 8, at, 1, 'Response', 'Request'),
      ],
    });
  }
  return item(F.flags, f, at, 1, { label: `Flags: ${hex}` });
}

/** "Payload: Vendor ID (13) : strongSwan" and the generic header, then the body. */
function payloadNode(layer: IsakmpLayer, bytes: LayerBytes, p: IsakmpPayload): TreeNode {
  const v = layer.ikeVersion ?? 1;
  const children = [...genericHeader(bytes, p.offset, v, p), ...(p.body ? bodyNodes(layer, bytes, p, p.body) : [])];
  return item(F.typepayload, p.type, p.offset, Math.min(p.length, bytes.left(p.offset)), {
    label: `Payload: ${payloadTypeName(p.type)} (${p.type})${payloadSuffix(p, v)}`,
    children,
  });
}

function payloadSuffix(p: IsakmpPayload, v: 1 | 2): string {
  const b = p.body;
  if (!b) return '';
  if (b.kind === 'vid') return ` : ${b.vendor ? b.vendor.name + (b.vendor.version ? ` ${b.vendor.version}` : '') : 'Unknown Vendor ID'}`;
  if (b.kind === 'notify' && v === 2) return ` - ${notifyTypeName(b.notifyType, 2)}`;
  if (b.kind === 'ts') return ` # ${b.count}`;
  return '';
}
