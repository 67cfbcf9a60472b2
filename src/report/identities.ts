import type { Packet } from '../decode/packet.js';
import { toHex } from '../decode/cursor.js';
import { bytesToLatin1, escapeText, formatIpv4, formatIpv6 } from '../decode/tree.js';
import type { IsakmpLayer } from '../decode/isakmp/types.js';
import { ID_TYPE_V1, ID_TYPE_V2, rangeName } from '../decode/isakmp/names.js';

/** Identities in cleartext ID payloads, for the report's identity table. */

const MAX_IDENTITY_CHARS = 160;

function idValue(type: number, data: Uint8Array): string {
  const ipv4 = (b: Uint8Array): string => formatIpv4(b);
  switch (type) {
    case 1:
      return data.length === 4 ? ipv4(data) : toHex(data);
    case 4:
      return data.length === 8 ? `${ipv4(data.subarray(0, 4))}/${ipv4(data.subarray(4))}` : toHex(data);
    case 7:
      return data.length === 8 ? `${ipv4(data.subarray(0, 4))}-${ipv4(data.subarray(4))}` : toHex(data);
    case 5:
      return data.length === 16 ? formatIpv6(data) : toHex(data);
    case 2:
    case 3:
    case 11:
      return bytesToLatin1(data);
    default:
      return toHex(data);
  }
}

/**
 * Cleartext identities of one message (IKEv1 Aggressive Mode; encrypted messages have none),
 * made printable with escapeText and clipped; HTML escaping happens when they are rendered.
 */
export function identitiesOf(packet: Packet): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  const layer = packet.layers.find((l) => (l.proto as string) === 'isakmp') as IsakmpLayer | undefined;
  if (!layer || layer.encrypted) return out;
  for (const p of layer.payloads) {
    const b = p.body;
    if (!b || b.kind !== 'id') continue;
    const name = rangeName(layer.ikeVersion === 2 ? ID_TYPE_V2 : ID_TYPE_V1, b.idType) ?? `type ${b.idType}`;
    const raw = idValue(b.idType, b.data);
    out.push({ type: name, value: escapeText(raw.slice(0, MAX_IDENTITY_CHARS)) + (raw.length > MAX_IDENTITY_CHARS ? '…' : '') });
  }
  return out;
}
