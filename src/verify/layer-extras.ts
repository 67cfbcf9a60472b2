import type { Packet } from '../decode/packet.js';
import { findLayer } from '../decode/packet.js';

const NAT_D_TYPES = new Set([20, 130, 15]);
const NAT_OA_TYPES = new Set([21, 131, 16]);
const NOTIFY_NAT_D = new Set([16388, 16389]);
const ID_PAYLOAD = 5;

export interface LayerExtras {
  readonly natdTypes: readonly number[];
  readonly natdNotifyShapes: readonly { readonly protocolId: number; readonly spiSize: number; readonly length: number }[];
  readonly idPorts: readonly number[];
  readonly natOa: readonly { readonly payloadType: number; readonly idType: number; readonly reservedZero: boolean }[];
}

const NONE: LayerExtras = { natdTypes: [], natdNotifyShapes: [], idPorts: [], natOa: [] };

/**
 * What the conformance checks need from an IKE message beyond the analysis facts: NAT-D payload
 * numbers, the shape of IKEv2 NAT_DETECTION notifies, IKEv1 ID ports and NAT-OA ID types with
 * whether their reserved octets are zero (all from the decoded layers, so right for reassembled
 * datagrams too).
 */
export function layerExtras(packet: Packet): LayerExtras {
  const isakmp = findLayer(packet, 'isakmp');
  if (!isakmp) return NONE;
  const natdTypes: number[] = [];
  const natdNotifyShapes: { protocolId: number; spiSize: number; length: number }[] = [];
  const idPorts: number[] = [];
  const natOa: { payloadType: number; idType: number; reservedZero: boolean }[] = [];
  for (const p of isakmp.payloads) {
    const b = p.body;
    if (!b) continue;
    if (b.kind === 'nat_d' && NAT_D_TYPES.has(p.type)) natdTypes.push(p.type);
    else if (b.kind === 'notify' && isakmp.ikeVersion === 2 && NOTIFY_NAT_D.has(b.notifyType)) {
      natdTypes.push(b.notifyType);
      natdNotifyShapes.push({ protocolId: b.protocolId, spiSize: b.spiSize, length: b.data.length });
    } else if (b.kind === 'id' && p.type === ID_PAYLOAD && b.port !== undefined) idPorts.push(b.port);
    else if (b.kind === 'nat_oa' && NAT_OA_TYPES.has(p.type)) {
      natOa.push({ payloadType: p.type, idType: b.idType, reservedZero: b.reservedZero ?? true });
    }
  }
  return { natdTypes, natdNotifyShapes, idPorts, natOa };
}
