import type { Describer, Describers } from '../describe-types.js';
import type { FieldDef } from '../field.js';
import { text, type TreeNode } from '../tree.js';
import type { GreLayer, PppLayer } from './gre.js';
import { PPP_PROTOCOL_NAMES } from './gre.js';
import type { L2tpLayer, PptpLayer } from './l2tp.js';
import { add } from '../link/tree-util.js';
import { ethertypeName, hexType } from '../link/ethertype.js';

/** GRE, PPP, L2TP and PPTP fields, named and typed as tshark 4.0 defines them. */
export const GRE = {
  flagsAndVersion: { abbrev: 'gre.flags_and_version', name: 'Flags and Version', type: 'uint', base: 'hex', bits: 16 },
  version: { abbrev: 'gre.flags.version', name: 'Version', type: 'uint', bits: 16 },
  proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: 'uint', base: 'hex', bits: 16 },
  checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  key: { abbrev: 'gre.key', name: 'Key', type: 'uint', base: 'hex', bits: 32 },
  keyPayloadLength: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: 'uint', bits: 16 },
  keyCallId: { abbrev: 'gre.key.call_id', name: 'Call ID', type: 'uint', bits: 16 },
  sequence: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: 'uint', bits: 32 },
  ack: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

export const PPP = {
  address: { abbrev: 'ppp.address', name: 'Address', type: 'uint', base: 'hex', bits: 8 },
  control: { abbrev: 'ppp.control', name: 'Control', type: 'uint', base: 'hex', bits: 8 },
  protocol: { abbrev: 'ppp.protocol', name: 'Protocol', type: 'uint', base: 'hex', bits: 16, values: PPP_PROTOCOL_NAMES },
} as const satisfies Record<string, FieldDef>;

export const L2TP_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'SCCRQ', 2: 'SCCRP', 3: 'SCCCN', 4: 'StopCCN', 6: 'Hello', 7: 'OCRQ', 8: 'OCRP', 9: 'OCCN', 10: 'ICRQ',
  11: 'ICRP', 12: 'ICCN', 14: 'CDN', 15: 'WEN', 16: 'SLI', 20: 'ACK',
};

export const L2TP = {
  type: { abbrev: 'l2tp.type', name: 'Type', type: 'uint', bits: 16, values: { 0: 'Data Message', 1: 'Control Message' } },
  version: { abbrev: 'l2tp.version', name: 'Version', type: 'uint', bits: 16 },
  length: { abbrev: 'l2tp.length', name: 'Length', type: 'uint', bits: 16 },
  tunnel: { abbrev: 'l2tp.tunnel', name: 'Tunnel ID', type: 'uint', bits: 16 },
  session: { abbrev: 'l2tp.session', name: 'Session ID', type: 'uint', bits: 16 },
  ns: { abbrev: 'l2tp.Ns', name: 'Ns', type: 'uint', bits: 16 },
  nr: { abbrev: 'l2tp.Nr', name: 'Nr', type: 'uint', bits: 16 },
  offset: { abbrev: 'l2tp.offset', name: 'Offset', type: 'uint', bits: 16 },
  ccid: { abbrev: 'l2tp.ccid', name: 'Control Connection ID', type: 'uint', base: 'hex', bits: 32 },
  sid: { abbrev: 'l2tp.sid', name: 'Session ID', type: 'uint', base: 'hex', bits: 32 },
  messageType: { abbrev: 'l2tp.avp.message_type', name: 'Message Type', type: 'uint', bits: 16, values: L2TP_MESSAGE_TYPES },
} as const satisfies Record<string, FieldDef>;

export const PPTP_CONTROL_TYPES: Readonly<Record<number, string>> = {
  1: 'Start-Control-Connection-Request', 2: 'Start-Control-Connection-Reply', 3: 'Stop-Control-Connection-Request',
  4: 'Stop-Control-Connection-Reply', 5: 'Echo-Request', 6: 'Echo-Reply', 7: 'Outgoing-Call-Request', 8: 'Outgoing-Call-Reply',
  9: 'Incoming-Call-Request', 10: 'Incoming-Call-Reply', 11: 'Incoming-Call-Connected', 12: 'Call-Clear-Request',
  13: 'Call-Disconnect-Notify', 14: 'WAN-Error-Notify', 15: 'Set-Link-Info',
};

export const PPTP = {
  length: { abbrev: 'pptp.length', name: 'Length', type: 'uint', bits: 16 },
  type: { abbrev: 'pptp.type', name: 'Message type', type: 'uint', bits: 16, values: { 1: 'Control Message', 2: 'Management Message' } },
  magicCookie: { abbrev: 'pptp.magic_cookie', name: 'Magic Cookie', type: 'uint', base: 'hex', bits: 32 },
  controlType: { abbrev: 'pptp.control_message_type', name: 'Control Message Type', type: 'uint', bits: 16, values: PPTP_CONTROL_TYPES },
} as const satisfies Record<string, FieldDef>;

export const TUNNEL_FIELDS: readonly FieldDef[] = [GRE, PPP, L2TP, PPTP].flatMap((g) => Object.values(g) as FieldDef[]);

const gre: Describer<GreLayer> = {
  column: 'GRE',
  info: (l) => (l.protocolType === undefined ? 'GRE header cut short' : `Encapsulated ${l.protocolType === 0x880b ? 'PPP' : ethertypeName(l.protocolType)}`),
  tree(l) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, GRE.flagsAndVersion, l.flagsAndVersion, o, 2);
    add(c, GRE.version, l.version, o, 2);
    add(c, GRE.proto, l.protocolType, o + 2, 2, l.protocolType === undefined ? undefined : { label: `Protocol Type: ${ethertypeName(l.protocolType)} (${hexType(l.protocolType)})` });
    add(c, GRE.checksum, l.checksum, o + 4, 2);
    if (l.version === 1) {
      add(c, GRE.keyPayloadLength, l.keyPayloadLength);
      add(c, GRE.keyCallId, l.keyCallId);
    } else add(c, GRE.key, l.key);
    add(c, GRE.sequence, l.sequence);
    add(c, GRE.ack, l.ack);
    const what = l.version === 1 ? 'Enhanced GRE (PPTP)' : l.protocolType === undefined ? 'GRE' : ethertypeName(l.protocolType);
    return text(`Generic Routing Encapsulation (${what})`, c, o, l.length);
  },
};

const ppp: Describer<PppLayer> = {
  column: 'PPP',
  info: (l) => (l.protocol === undefined ? 'PPP header cut short' : `PPP ${PPP_PROTOCOL_NAMES[l.protocol] ?? hexType(l.protocol)}`),
  tree(l) {
    const c: TreeNode[] = [];
    add(c, PPP.address, l.address, l.offset, 1);
    add(c, PPP.control, l.control, l.offset + 1, 1);
    add(c, PPP.protocol, l.protocol);
    return text('Point-to-Point Protocol', c, l.offset, l.length);
  },
};

const l2tp: Describer<L2tpLayer> = {
  column: 'L2TP',
  info(l) {
    if (l.version !== 2 && l.version !== 3) return `L2TP version ${l.version ?? '?'}`;
    if (l.control) {
      const t = l.messageType === undefined ? 'ZLB' : (L2TP_MESSAGE_TYPES[l.messageType] ?? `Unknown (${l.messageType})`);
      return l.version === 3 ? `Control Message - ${t} (ccid=0x${(l.ccid ?? 0).toString(16).padStart(8, '0')})` : `Control Message - ${t} (tunnel id=${l.tunnelId}, session id=${l.sessionId})`;
    }
    return l.version === 3 ? `D[S:0x${(l.sessionId32 ?? 0).toString(16).padStart(8, '0')}]` : `Data (tunnel id=${l.tunnelId}, session id=${l.sessionId})`;
  },
  tree(l) {
    const c: TreeNode[] = [];
    add(c, L2TP.type, l.flags === undefined ? undefined : l.control ? 1 : 0, l.offset, 2);
    add(c, L2TP.version, l.version, l.offset, 2);
    add(c, L2TP.length, l.l2tpLength);
    add(c, L2TP.tunnel, l.tunnelId);
    add(c, L2TP.session, l.sessionId);
    add(c, L2TP.ccid, l.ccid);
    add(c, L2TP.sid, l.sessionId32);
    add(c, L2TP.ns, l.ns);
    add(c, L2TP.nr, l.nr);
    add(c, L2TP.offset, l.offsetSize);
    add(c, L2TP.messageType, l.messageType);
    return text(`Layer 2 Tunneling Protocol${l.version === 3 ? ' version 3' : ''}`, c, l.offset, l.length);
  },
};

const pptp: Describer<PptpLayer> = {
  column: 'PPTP',
  info: (l) => (l.controlType === undefined ? 'PPTP message cut short' : (PPTP_CONTROL_TYPES[l.controlType] ?? `Unknown control type (${l.controlType})`)),
  tree(l) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, PPTP.length, l.pptpLength, o, 2);
    add(c, PPTP.type, l.messageType, o + 2, 2);
    add(c, PPTP.magicCookie, l.magicCookie, o + 4, 4, l.magicCookie === 0x1a2b3c4d ? undefined : { label: `Magic Cookie: 0x${(l.magicCookie ?? 0).toString(16).padStart(8, '0')} (incorrect)` });
    add(c, PPTP.controlType, l.controlType, o + 8, 2);
    return text('Point-to-Point Tunnelling Protocol', c, o, l.length);
  },
};

export const TUNNEL_DESCRIBERS: Describers = { gre, ppp, l2tp, pptp };
