import type { Describers } from '../describe-types.js';
import { FLAG_V2 } from './constants.js';
import { EXCHANGE_V1, EXCHANGE_V2 } from './exchanges.js';
import { isakmpTree } from './tree.js';
import type { IsakmpLayer } from './types.js';

/**
 * The Info column as tshark 4.0 writes it: the IKEv1 exchange name ("Identity Protection (Main
 * Mode)", "Quick Mode", "Unknown 16", " (Message fragment 2 - last)" for fragments), or for IKEv2 "IKE_AUTH MID=01 Initiator Request" with
 * " (fragment 1/3)" for SKF fragments.
 */
export function isakmpInfo(layer: IsakmpLayer): string | undefined {
  const h = layer.header;
  if (!h) return undefined;
  const x = h.exchangeType;
  if (layer.ikeVersion === 1) {
    let info = EXCHANGE_V1[x] ?? `Unknown ${x}`;
    // IKEv1 fragments (132); reassembly needs state across frames and is not done here.
    for (const p of layer.payloads) {
      if (p.body?.kind === 'frag_v1') info += ` (Message fragment ${p.body.number}${p.body.last ? ' - last' : ''})`;
    }
    return info;
  }
  if (layer.ikeVersion === 2) {
    const role = h.flags & FLAG_V2.INITIATOR ? 'Initiator' : 'Responder';
    const kind = h.flags & FLAG_V2.RESPONSE ? 'Response' : 'Request';
    let info = `${EXCHANGE_V2[x] ?? `Unknown ${x}`} MID=${String(h.messageId).padStart(2, '0')} ${role} ${kind}`;
    for (const p of layer.payloads) {
      if (p.body?.kind === 'skf') info += ` (fragment ${p.body.fragmentNumber}/${p.body.totalFragments})`;
    }
    return info;
  }
  return `Unknown ISAKMP version ${h.majorVersion}.${h.minorVersion}`;
}

export const ISAKMP_DESCRIBERS: Describers = {
  isakmp: {
    column: 'ISAKMP',
    info: (layer) => isakmpInfo(layer),
    tree: (layer) => isakmpTree(layer),
  },
};
