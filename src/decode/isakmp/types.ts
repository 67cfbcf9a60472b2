import type { Layer, LayerStatus } from '../layer.js';
import type { VendorIdMatch } from './vendor-ids.js';

/**
 * Decoded ISAKMP message (IKEv1 or IKEv2). Every byte array is a view into the frame (copy it
 * before keeping it beyond the frame); every `offset` is an absolute frame offset.
 */
export interface IsakmpLayer extends Layer {
  readonly proto: 'isakmp';
  /** The message bytes as given to the decoder (a view; index 0 is at `offset`). */
  readonly bytes: Uint8Array;
  /** Undefined when fewer than 28 bytes were available. */
  readonly header: IsakmpHeader | undefined;
  /** From the major version: 1 or 2; undefined for any other major version (payloads not decoded). */
  readonly ikeVersion: 1 | 2 | undefined;
  /** Payloads in wire order (top level only; SA proposals/transforms are inside the SA bodies). */
  readonly payloads: readonly IsakmpPayload[];
  /** IKEv1 message with the encryption flag: everything after the header, opaque (no keys). */
  readonly encrypted?: OpaqueBytes;
  /** Bytes inside the message (per its length) after the payload chain ended or stopped. */
  readonly extra?: OpaqueBytes;
}

export interface IsakmpHeader {
  readonly ispi: Uint8Array;
  readonly rspi: Uint8Array;
  readonly nextPayload: number;
  /** The version byte as on the wire (major in the high nibble). */
  readonly version: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly exchangeType: number;
  readonly flags: number;
  readonly messageId: number;
  /** Header length field (the whole message, header included). */
  readonly length: number;
}

export interface OpaqueBytes {
  readonly offset: number;
  readonly data: Uint8Array;
}

/** The 4-byte generic payload header plus where the payload sits. */
export interface IsakmpPayload {
  /** Payload type: the "next payload" value of whatever preceded it. */
  readonly type: number;
  readonly offset: number;
  readonly nextPayload: number;
  /** IKEv2 critical bit (always false in IKEv1). */
  readonly critical: boolean;
  /** IKEv1: the reserved byte; IKEv2: its low 7 bits. */
  readonly reserved: number;
  /** Payload length field, generic header included. */
  readonly length: number;
  readonly status: LayerStatus;
  /** Undefined when the payload length was too small for its type (nothing decoded past the header). */
  readonly body: PayloadBody | undefined;
}

export type PayloadBody =
  | SaBody
  | KeyExchangeBody
  | IdentificationBody
  | CertificateBody
  | CertRequestBody
  | DataBody
  | NotifyBody
  | DeleteBody
  | VendorIdBody
  | NatDBody
  | NatOaBody
  | ConfigBody
  | AuthBody
  | TrafficSelectorsBody
  | EncryptedBody
  | EncryptedFragmentBody
  | CiscoFragmentBody
  | EapBody
  | OpaqueBody;

/** SA payload. IKEv1: DOI and situation, proposals only for the IPsec DOI (1). IKEv2: proposals. */
export interface SaBody {
  readonly kind: 'sa';
  readonly doi?: number;
  readonly situation?: Uint8Array;
  readonly proposals: readonly Proposal[];
  /** Bytes after the last proposal (next payload NONE, or the proposals stopped). */
  readonly extra?: OpaqueBytes;
}

export interface SubstructureHeader {
  readonly offset: number;
  readonly nextPayload: number;
  readonly reserved: number;
  readonly length: number;
  readonly status: LayerStatus;
}

export interface Proposal extends SubstructureHeader {
  readonly number: number;
  readonly protocolId: number;
  readonly spiSize: number;
  readonly transformCount: number;
  readonly spi: Uint8Array;
  readonly transforms: readonly Transform[];
}

export interface Transform extends SubstructureHeader {
  /** IKEv1 transform number; undefined in IKEv2. */
  readonly number?: number;
  /** IKEv2 transform type (ENCR 1, PRF 2, INTEG 3, DH 4, ESN 5); undefined in IKEv1. */
  readonly transformType?: number;
  readonly transformId: number;
  readonly attributes: readonly DataAttribute[];
}

/** A data attribute (RFC 2408 §3.3): TV when the format bit is set (value in the header), else TLV. */
export interface DataAttribute {
  readonly offset: number;
  readonly type: number;
  readonly tv: boolean;
  /** Value length: 2 for TV, the length field for TLV. */
  readonly length: number;
  /** The value bytes present (shorter than `length` when the attribute was cut). */
  readonly value: Uint8Array;
  readonly status: LayerStatus;
}

export interface KeyExchangeBody {
  readonly kind: 'ke';
  /** IKEv2 DH group number; undefined in IKEv1. */
  readonly group?: number;
  readonly data: Uint8Array;
}

export interface IdentificationBody {
  readonly kind: 'id';
  readonly idType: number;
  /** IKEv1 protocol id and port; undefined in IKEv2. */
  readonly protocolId?: number;
  readonly port?: number;
  readonly data: Uint8Array;
}

export interface CertificateBody {
  readonly kind: 'cert';
  readonly encoding: number;
  readonly data: Uint8Array;
}

export interface CertRequestBody {
  readonly kind: 'certreq';
  readonly certType: number;
  readonly data: Uint8Array;
}

/** HASH, SIG and NONCE: one opaque value. */
export interface DataBody {
  readonly kind: 'hash' | 'sig' | 'nonce';
  readonly data: Uint8Array;
}

export interface NotifyBody {
  readonly kind: 'notify';
  /** IKEv1 DOI; undefined in IKEv2. */
  readonly doi?: number;
  readonly protocolId: number;
  readonly spiSize: number;
  readonly notifyType: number;
  readonly spi: Uint8Array;
  readonly data: Uint8Array;
}

export interface DeleteBody {
  readonly kind: 'delete';
  readonly doi?: number;
  readonly protocolId: number;
  readonly spiSize: number;
  readonly spiCount: number;
  /** The SPIs back to back (`spiCount * spiSize` bytes when well formed); see `deleteSpis`. */
  readonly spiData: Uint8Array;
}

export interface VendorIdBody {
  readonly kind: 'vid';
  readonly data: Uint8Array;
  readonly vendor: VendorIdMatch | undefined;
}

/** NAT-D: type 20 (RFC 3947), 130 (drafts -02/-03) or 15 (earlier drafts, in Main/Aggressive Mode). */
export interface NatDBody {
  readonly kind: 'nat_d';
  readonly hash: Uint8Array;
}

/** NAT-OA: type 21 (RFC 3947), 131 (drafts) or 16 (earlier drafts). */
export interface NatOaBody {
  readonly kind: 'nat_oa';
  readonly idType: number;
  /** The 4 or 16 address bytes for ID types 1 / 5, when present. */
  readonly address: Uint8Array | undefined;
  /** The three reserved octets after the ID type are zero (undefined when cut short). */
  readonly reservedZero: boolean | undefined;
}

/** IKEv1 Attribute payload (14, mode config / XAUTH) and IKEv2 CP (47). */
export interface ConfigBody {
  readonly kind: 'config';
  readonly cfgType: number;
  /** IKEv1 identifier; undefined in IKEv2. */
  readonly identifier?: number;
  readonly attributes: readonly DataAttribute[];
}

export interface AuthBody {
  readonly kind: 'auth';
  readonly method: number;
  readonly data: Uint8Array;
}

export interface TrafficSelectorsBody {
  readonly kind: 'ts';
  readonly count: number;
  readonly selectors: readonly TrafficSelector[];
}

export interface TrafficSelector {
  readonly offset: number;
  readonly tsType: number;
  readonly protocolId: number;
  readonly length: number;
  readonly startPort: number;
  readonly endPort: number;
  /** Start and end addresses (4 or 16 bytes) for types 7 / 8; empty for other types. */
  readonly start: Uint8Array;
  readonly end: Uint8Array;
  readonly status: LayerStatus;
}

/** IKEv2 SK (46): IV, ciphertext and ICV, not separable without the negotiated algorithms. */
export interface EncryptedBody {
  readonly kind: 'sk';
  readonly data: Uint8Array;
}

/** IKEv2 SKF (53, RFC 7383). */
export interface EncryptedFragmentBody {
  readonly kind: 'skf';
  readonly fragmentNumber: number;
  readonly totalFragments: number;
  readonly data: Uint8Array;
}

/** IKEv1 fragment (132, Cisco/Microsoft). */
export interface CiscoFragmentBody {
  readonly kind: 'frag_v1';
  readonly id: number;
  readonly number: number;
  readonly flags: number;
  readonly last: boolean;
  readonly data: Uint8Array;
}

export interface EapBody {
  readonly kind: 'eap';
  readonly code: number | undefined;
  readonly identifier: number | undefined;
  readonly eapLength: number | undefined;
  /** EAP method type (Request/Response only). */
  readonly eapType: number | undefined;
  readonly data: Uint8Array;
}

/** Payload types not decoded (unknown, GDOI, GSPM, ...): the body bytes. */
export interface OpaqueBody {
  readonly kind: 'opaque';
  readonly data: Uint8Array;
}
