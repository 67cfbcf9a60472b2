import type { Decoder, DissectContext, Layer, LayerStatus, NextLayer } from '../layer.js';
import type { UdpLayer } from './udp.js';
import { ISAKMP_HEADER_LENGTH, looksLikeIsakmp } from '../isakmp/shape.js';
import { be32 } from '../bytes.js';
import { cutShort, handOff, wireLength } from '../frame-view.js';
import { NON_ESP_MARKER_LENGTH, NON_IKE_MARKER_LENGTH, type UdpEncapRole, udpEncapRole } from './udp-dispatch.js';

/**
 * RFC 3948 UDP encapsulation, as tshark's UDPENCAP: what a NAT-T (or IKE) port payload is.
 * keepalive — NAT-keepalive (one octet 0xFF; other values / lengths are reported);
 * ike — non-ESP marker (4 zero octets), IKE follows (`next` isakmp when a header is there);
 * esp — ESP follows directly (the layer is 0 bytes long);
 * non_ike — draft non-IKE marker (8 zero octets) on an IKE port, ESP follows;
 * invalid — 2–3 octets: neither a keepalive nor a marker nor an ESP header;
 * unknown — the snap length cut the payload before it could be classified.
 */
export type UdpEncapKind = 'keepalive' | 'ike' | 'esp' | 'non_ike' | 'invalid' | 'unknown';

export interface UdpEncapLayer extends Layer {
  readonly proto: 'udpencap';
  readonly kind: UdpEncapKind;
  /** Why this payload was read as UDP encapsulation: a NAT-T port, an IKE port, or its shape. */
  readonly role: UdpEncapRole;
  /** Keepalive: the octet's value (0xFF when valid) and the payload length. */
  readonly keepaliveValue: number | undefined;
  readonly payloadLength: number;
}

declare module '../layer.js' {
  interface LayerMap {
    udpencap: UdpEncapLayer;
  }
}

function allOctets(b: Uint8Array, v: number): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== v) return false;
  return true;
}

function make(offset: number, length: number, status: LayerStatus, kind: UdpEncapKind, role: UdpEncapRole, keepaliveValue: number | undefined, payloadLength: number): UdpEncapLayer {
  return { proto: 'udpencap', offset, length, status, kind, role, keepaliveValue, payloadLength };
}

export const decodeUdpEncap: Decoder = (b, offset, ctx) => {
  const udp = ctx.layers[ctx.layers.length - 1] as UdpLayer | undefined;
  const role = udp?.proto === 'udp' ? udpEncapRole(ctx.config, udp.srcPort ?? 0, udp.dstPort ?? 0) : 'shape';
  const n = b.length;
  const wire = wireLength(b, ctx);
  const by = role === 'shape' ? 'shape' : 'port';

  if (n < wire && n < NON_ESP_MARKER_LENGTH) {
    const status = cutShort(ctx, b, offset, Math.min(wire, NON_ESP_MARKER_LENGTH), 'udpencap.short', 'UDP-encapsulated payload');
    return { layer: make(offset, n, status, 'unknown', role, undefined, n) };
  }
  if (n >= 1 && wire === 1) return keepalive(b, offset, ctx, role);
  if (n >= 2 && n === wire && allOctets(b, 0xff)) {
    ctx.expert('udpencap.keepalive_bad_length', { offset, message: `NAT-keepalive of ${n} octets 0xFF (must be exactly one)` });
    return { layer: make(offset, n, 'ok', 'keepalive', role, 0xff, n) };
  }
  if (role === 'ike') {
    ctx.expert('udpencap.non_ike_marker', { offset, field: 'udpencap.non_ike_marker' });
    const data = b.subarray(NON_IKE_MARKER_LENGTH);
    return { layer: make(offset, NON_IKE_MARKER_LENGTH, 'ok', 'non_ike', role, undefined, n), next: handOff(ctx, 'esp', data, offset + NON_IKE_MARKER_LENGTH, by) };
  }
  if (n < NON_ESP_MARKER_LENGTH) {
    ctx.expert('udpencap.short', { offset, message: `${wire}-octet UDP payload on a NAT-T port: not a keepalive (1 octet), marker or ESP header` });
    return { layer: make(offset, n, 'malformed', 'invalid', role, undefined, n) };
  }
  if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) return marker(b, offset, ctx, role, wire);

  if (role === 'natt' && looksLikeIsakmp(b)) {
    ctx.expert('udpencap.marker_missing', { offset, message: 'ISAKMP header without the 4-octet non-ESP marker on a NAT-T port; decoded as ESP (its SPI is the first half of the initiator SPI)' });
  }
  return { layer: make(offset, 0, 'ok', 'esp', role, undefined, n), next: handOff(ctx, 'esp', b, offset, by) };
};

function keepalive(b: Uint8Array, offset: number, ctx: DissectContext, role: UdpEncapRole): ReturnType<Decoder> {
  const v = b[0]!;
  if (v === 0xff) ctx.expert('udpencap.nat_keepalive', role === 'ike' ? { offset } : { offset, field: 'udpencap.nat_keepalive' });
  else ctx.expert('udpencap.keepalive_bad_value', { offset, message: `One-octet payload 0x${v.toString(16).padStart(2, '0')} on a NAT-T port (a NAT-keepalive is 0xFF)` });
  if (role === 'ike') ctx.expert('udpencap.keepalive_on_ike_port', { offset });
  return { layer: make(offset, 1, 'ok', 'keepalive', role, v, 1) };
}

function marker(b: Uint8Array, offset: number, ctx: DissectContext, role: UdpEncapRole, wire: number): ReturnType<Decoder> {
  const rest = wire - NON_ESP_MARKER_LENGTH;
  const ike = b.subarray(NON_ESP_MARKER_LENGTH);
  let problem: string | undefined;
  if (rest === 0) problem = 'nothing follows the non-ESP marker';
  else if (rest < ISAKMP_HEADER_LENGTH) problem = `only ${rest} octets follow the non-ESP marker (an ISAKMP header has ${ISAKMP_HEADER_LENGTH})`;
  else if (ike.length >= ISAKMP_HEADER_LENGTH && be32(ike, 24) < ISAKMP_HEADER_LENGTH) problem = `the ISAKMP length field is ${be32(ike, 24)} (less than ${ISAKMP_HEADER_LENGTH})`;
  if (problem !== undefined) {
    ctx.expert('udpencap.marker_without_ike', { offset, field: 'udpencap.non_esp_marker', message: `Non-ESP marker not followed by IKE: ${problem}` });
    return { layer: make(offset, NON_ESP_MARKER_LENGTH, 'malformed', 'ike', role, undefined, b.length) };
  }
  const next: NextLayer = handOff(ctx, 'isakmp', ike, offset + NON_ESP_MARKER_LENGTH, role === 'shape' ? 'shape' : 'port');
  return { layer: make(offset, NON_ESP_MARKER_LENGTH, 'ok', 'ike', role, undefined, b.length), next };
}
