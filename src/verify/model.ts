import type { Endpoint, NatdFact, VendorIdFact } from '../analysis/facts.js';
import type { NatdCheck } from '../analysis/nat-detection.js';
import type { IkeSaIdentity } from '../analysis/ike-message.js';
import type { IkeSaReport } from '../analysis/report.js';

/**
 * What `espy verify` keeps of a capture: every IKE message of every SA (bounded), aggregated
 * UDP-encapsulation and ESP flows, per-direction activity, and mapping changes. Built by
 * `VerifyObserver` (observe.ts), judged by the checks (checks-*.ts).
 */
export interface IkeMsg {
  readonly frame: number;
  readonly time: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly fromInitiator: boolean;
  readonly exchangeType: number;
  readonly messageId: number;
  /** IKEv2 R flag; undefined for IKEv1. */
  readonly isResponse: boolean | undefined;
  readonly encrypted: boolean;
  /** Carried on a NAT-T port behind the non-ESP marker. */
  readonly onNattPort: boolean;
  /** The analysis's retransmission rule (analysis/ike-message.ts): the same message was seen before. */
  readonly retransmission: boolean;
  /** IKEv1 Main / Aggressive / Quick Mode step, as the analysis numbered it. */
  readonly step: number | undefined;
  /** A request, as the analysis classified it. */
  readonly isRequest: boolean;
  /** The request this response answers (its frame, the latest copy), as the analysis paired them. */
  readonly responseTo: number | undefined;
  readonly rspiZero: boolean;
  readonly hasSa: boolean;
  /** NAT-T methods of the NAT-T vendor IDs in this message. */
  readonly nattVids: readonly string[];
  readonly natd: readonly NatdFact[];
  /** Payload type of each NAT-D (IKEv1: 20, 130, ...) or notify type (IKEv2: 16388/16389). */
  readonly natdTypes: readonly number[];
  readonly natdCheck: NatdCheck | undefined;
  /** Proof of a wrong NAT-D formula, when the hashes match the observed addresses the wrong way. */
  readonly natdWrongFormula: string | undefined;
  /** IKEv2 NAT_DETECTION_* notifies: protocol ID, SPI size, data length. */
  readonly natdNotifyShapes: readonly { readonly protocolId: number; readonly spiSize: number; readonly length: number }[];
  /** IKEv1 ID payload ports in clear. */
  readonly idPorts: readonly number[];
  readonly natOa: readonly { readonly payloadType: number; readonly idType: number; readonly reservedZero: boolean }[];
  readonly encapModes: readonly number[];
}

export interface SaRecord {
  readonly key: string;
  readonly ikeVersion: 1 | 2;
  readonly ispi: string;
  rspi: string;
  readonly firstFrame: number;
  readonly firstTime: number;
  lastFrame: number;
  lastTime: number;
  initiator?: Endpoint;
  responder?: Endpoint;
  lastInitiator?: Endpoint;
  lastResponder?: Endpoint;
  /** The first message was not the initiator's opening message: IKEv1 roles are a guess. */
  rolesInferred: boolean;
  readonly messages: IkeMsg[];
  droppedMessages: number;
  negotiatedHash?: number;
  readonly initiatorVids: VendorIdFact[];
  readonly responderVids: VendorIdFact[];
  /** The analysis's report entry for this SA (undefined if the analysis evicted it). */
  report?: IkeSaReport;
  /** IKE messages on the NAT-T port without the non-ESP marker (read as ESP: SPI + sequence = SPIi). */
  readonly markerMissing: { readonly frame: number; readonly time: number; readonly src: Endpoint; readonly dst: Endpoint }[];
}

export type FlowKind = 'esp-udp' | 'esp-raw' | 'keepalive';

export interface EncapFlow {
  readonly key: string;
  readonly kind: FlowKind;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly ipv4: boolean;
  /** ESP: the SPI (one flow per SPI); undefined for keepalives. */
  readonly spi: number | undefined;
  /** Transport as the analysis names it ('raw', 'udp-natt', 'udp-500-draft', 'udp-other'). */
  readonly transport: string;
  /** Either UDP port is an IKE port (500). */
  readonly onIkePort: boolean;
  packets: number;
  readonly firstFrame: number;
  readonly firstTime: number;
  lastFrame: number;
  lastTime: number;
  readonly frames: number[];
  checksumNonZero: number;
  readonly checksumNonZeroFrames: number[];
  badKeepalives: number;
  readonly badKeepaliveFrames: number[];
  /** The IKE SA the analysis tied the flow's first packet to (`SaDirectory`), and whether that packet came from its initiator. */
  readonly owner: { readonly sa: IkeSaIdentity; readonly fromInitiator: boolean } | undefined;
}

/** Packets from one address to another (any kind), for "nothing sent for M seconds". */
export interface DirectionActivity {
  readonly src: string;
  readonly dst: string;
  readonly firstTime: number;
  lastTime: number;
  lastFrame: number;
  packets: number;
  /** Silences longer than `SILENCE_RECORDED` seconds between two packets (the first ones, bounded). */
  readonly silences: Silence[];
}

export interface Silence {
  readonly from: number;
  readonly to: number;
  readonly fromFrame: number;
  readonly toFrame: number;
}

/** Silences shorter than this are not recorded (seconds); RFC 3948 §4 M is 20 s by default. */
export const SILENCE_RECORDED = 10;

/** A packet of an SA (IKE, or ESP with a new sequence number) arrived from a new IP:port. */
export interface MappingChange {
  readonly frame: number;
  readonly time: number;
  readonly via: 'ike' | 'esp';
  /** The analysis's SA (for ESP: the one its SPI was tied to); ESP: the SPI. */
  readonly sa?: IkeSaIdentity;
  readonly spi?: number;
  /** IKE: whether the mover is the SA's initiator; ESP: decided when the SPI is tied to an SA. */
  readonly moverIsInitiator?: boolean;
  readonly old: Endpoint;
  readonly now: Endpoint;
  /** First later packet from elsewhere to the old / the new IP:port. */
  firstToOld?: number;
  firstToNew?: number;
}

/** UDP on an IKE port that did not decode as IKE: ESP without a marker if the word is a known SPI. */
export interface OddIkePortPacket {
  readonly frame: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly firstWord: number;
}

/** A non-ESP marker followed by something that is not IKE. */
export interface MarkerWithoutIke {
  readonly frame: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
}
