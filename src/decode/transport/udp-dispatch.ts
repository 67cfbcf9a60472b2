import type { DecodeConfig, DissectContext, NextLayer, Proto } from '../layer.js';
import { looksLikeIsakmp, ISAKMP_HEADER_LENGTH } from '../isakmp/shape.js';
import { be32 } from '../bytes.js';
import { handOff } from '../frame-view.js';

/**
 * Which decoder gets a UDP payload. Ports are configuration (`ikePorts`, `nattPorts`) plus this
 * table of fixed well-known ports; like tshark, the lower port is tried first, then the higher.
 * Afterwards, the espy-only cases on IKE ports (old non-IKE marker, keepalive), then — with
 * `heuristics` and neither port configured — the shape heuristics, listed here explicitly:
 *   1. one octet 0xFF                                  → udpencap (NAT-keepalive)
 *   2. 4 zero octets + a plausible ISAKMP header       → udpencap (non-ESP marker + IKE)
 *   3. a plausible ISAKMP header filling the payload   → isakmp
 * ("plausible" is `looksLikeIsakmp`: length field = bytes present, version 1.x/2.x, known exchange).
 */
export const UDP_PORT_DECODER: Readonly<Record<number, Proto>> = {
  1701: 'l2tp',
};

export const NON_ESP_MARKER_LENGTH = 4;
export const NON_IKE_MARKER_LENGTH = 8;
const ESP_HEADER = 8;

/** Where the UDP encapsulation layer was dispatched from: a NAT-T port, an IKE port, or the payload's shape. */
export type UdpEncapRole = 'natt' | 'ike' | 'shape';

export function udpEncapRole(config: DecodeConfig, srcPort: number, dstPort: number): UdpEncapRole {
  if (config.nattPorts.includes(srcPort) || config.nattPorts.includes(dstPort)) return 'natt';
  if (config.ikePorts.includes(srcPort) || config.ikePorts.includes(dstPort)) return 'ike';
  return 'shape';
}

/**
 * tshark 4.0's ISAKMP acceptance on an IKE port: at least a header's worth of bytes on the wire
 * and a length field of at least 28; otherwise the next port (or nothing) gets the payload.
 */
export function acceptsIsakmp(payload: Uint8Array, wire: number): boolean {
  if (wire < ISAKMP_HEADER_LENGTH) return false;
  return payload.length < ISAKMP_HEADER_LENGTH || be32(payload, 24) >= ISAKMP_HEADER_LENGTH;
}

function allZero(b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Payload of an old-draft non-IKE marker (8 zero octets) followed by at least an ESP header. An
 * IKE message with both SPIs zero whose length field matches the payload stays IKE.
 */
export function hasNonIkeMarker(payload: Uint8Array, wire: number): boolean {
  if (payload.length < NON_IKE_MARKER_LENGTH + ESP_HEADER || !allZero(payload, NON_IKE_MARKER_LENGTH)) return false;
  return !(payload.length >= ISAKMP_HEADER_LENGTH && be32(payload, 24) === wire);
}

function byPort(ctx: DissectContext, port: number, payload: Uint8Array, offset: number, wire: number): NextLayer | undefined {
  if (port === 0) return undefined;
  const cfg = ctx.config;
  if (cfg.ikePorts.includes(port) && !hasNonIkeMarker(payload, wire) && acceptsIsakmp(payload, wire)) {
    return handOff(ctx, 'isakmp', payload, offset, 'port');
  }
  if (cfg.nattPorts.includes(port)) return handOff(ctx, 'udpencap', payload, offset, 'port');
  const proto = UDP_PORT_DECODER[port];
  return proto === undefined ? undefined : handOff(ctx, proto, payload, offset, 'port');
}

/** The hand-off for a UDP payload of `wire` bytes on the wire (`payload` = those captured). */
export function udpNext(ctx: DissectContext, srcPort: number, dstPort: number, payload: Uint8Array, offset: number, wire: number): NextLayer | undefined {
  const cfg = ctx.config;
  const role = udpEncapRole(cfg, srcPort, dstPort);
  if (wire <= 0) {
    if (role === 'natt') ctx.expert('udpencap.short', { offset, message: 'Empty UDP datagram on a NAT-T port' });
    return undefined;
  }
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  const first = byPort(ctx, low, payload, offset, wire);
  if (first) return first;
  const second = high !== low ? byPort(ctx, high, payload, offset, wire) : undefined;
  if (second) return second;
  const lone = wire === 1 && payload.length === 1;
  if (role === 'ike') {
    return lone || hasNonIkeMarker(payload, wire) ? handOff(ctx, 'udpencap', payload, offset, 'port') : undefined;
  }
  if (role !== 'shape' || !cfg.heuristics) return undefined;
  if (lone && payload[0] === 0xff) return handOff(ctx, 'udpencap', payload, offset, 'shape');
  if (payload.length >= NON_ESP_MARKER_LENGTH + ISAKMP_HEADER_LENGTH && allZero(payload, NON_ESP_MARKER_LENGTH) && looksLikeIsakmp(payload.subarray(NON_ESP_MARKER_LENGTH))) {
    return handOff(ctx, 'udpencap', payload, offset, 'shape');
  }
  if (looksLikeIsakmp(payload)) return handOff(ctx, 'isakmp', payload, offset, 'shape');
  return undefined;
}
