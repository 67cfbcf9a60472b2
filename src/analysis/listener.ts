import type { Packet } from '../decode/packet.js';
import type { Endpoint, PacketFacts } from './facts.js';
import type { IkeMessageRecord, IkeSaIdentity } from './ike-message.js';
import type { IkeSaReport } from './report.js';
import type { SaOwner } from './sa-directory.js';

/** The IKE SA a packet between two endpoints belongs to (`SaDirectory.keepaliveOwner`: endpoints, then addresses). */
export type TrafficOwnerLookup = (src: Endpoint, dst: Endpoint) => SaOwner<IkeSaIdentity> | undefined;

/** An ESP packet or a NAT keepalive, with the IKE SA it belongs to (`SaDirectory`). */
export interface TrafficRecord {
  readonly frame: number;
  readonly time: number;
  readonly kind: 'esp' | 'keepalive';
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** ESP: the SPI. */
  readonly spi: number | undefined;
  /** ESP straight in IP (protocol 50), not in UDP. */
  readonly rawEsp: boolean;
  readonly owner: SaOwner<IkeSaIdentity> | undefined;
}

/**
 * A side of an SA sent from a new address or port (a NAT mapping change): a new IKE message from
 * another endpoint on the same carrier, or ESP of a known SPI from another endpoint with a
 * higher sequence number than seen before (a replay or reordering is not a move).
 */
export interface MappingChangeRecord {
  readonly frame: number;
  readonly time: number;
  readonly via: 'ike' | 'esp';
  /** The IKE SA (for ESP: the one its SPI was tied to, if any). */
  readonly sa: IkeSaIdentity | undefined;
  /** Whether the side that moved is the SA's initiator (undefined: ESP of no known SA). */
  readonly moverIsInitiator: boolean | undefined;
  readonly old: Endpoint;
  readonly now: Endpoint;
  /** ESP: the SPI. */
  readonly spi: number | undefined;
}

/**
 * What the one analysis pass tells the commands built on it (`espy timeline`, `report`,
 * `verify`): each call is made once, in capture order, from the same records the analysis itself
 * used. Nothing passed in may be kept past the call except the records, the endpoints and the SA
 * handles (a `Packet` and its bytes are reused).
 */
export interface AnalysisListener {
  /** Every frame read (also those the fast path takes without decoding). */
  frame?(number: number, tsSec: number, tsNsec: number): void;
  /**
   * Every decoded packet the analysis sees, with its facts when it has any, before the analysis
   * takes it; `ownerOf` finds the IKE SA of traffic between two endpoints. Frames the fast path
   * takes (plain ESP, keepalives, background traffic) come here only when `decodeEveryFrame`.
   */
  packet?(packet: Packet, facts: PacketFacts | undefined, ownerOf: TrafficOwnerLookup): void;
  /** `packet` must see every frame: the fast path is off. */
  readonly decodeEveryFrame?: boolean;
  /** An IKE message as the analysis classified it. */
  ikeMessage?(m: IkeMessageRecord, facts: PacketFacts, packet: Packet | undefined): void;
  /** An ESP packet or a NAT keepalive; with its facts when it was decoded (not taken by the fast path). */
  traffic?(t: TrafficRecord, facts: PacketFacts | undefined): void;
  /** A NAT mapping change, when the packet that shows it arrives. */
  mappingChanged?(c: MappingChangeRecord): void;
  /** At the end: the report entry made for the tracker's SA (SAs evicted earlier get none). */
  saReported?(sa: IkeSaIdentity, report: IkeSaReport): void;
}
