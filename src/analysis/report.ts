import type { Finding } from './finding-sink.js';
import type { CapturePosition, NatSide } from './nat-detection.js';
import type { EspTransport } from './esp-sa.js';
import type { FindingId, FindingSeverity } from './findings.js';

/** Version of the analysis JSON contract (docs/json.md). Bump when a key changes meaning. */
export const ANALYSIS_JSON_VERSION = 1;

export interface EndpointReport {
  readonly address: string;
  readonly port: number;
}

/** Packets and bytes between a first and a last frame (an ESP SA, or one direction of an IKE SA's ESP). */
export interface TrafficSpan {
  readonly packets: number;
  readonly bytes: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: number;
  readonly lastTime: number;
}

/** ESP of one IKE SA in one direction (every ESP SA tied to it that way). */
export interface EspDirectionReport extends TrafficSpan {
  readonly spis: readonly string[];
}

/** Did the tunnel come up, and did traffic flow both ways (sa-status.ts). */
export interface SaStatusReport {
  /** negotiating: the capture ends mid-negotiation; unknown: too little of it in the capture. */
  readonly ike: 'negotiating' | 'established' | 'failed' | 'deleted' | 'unknown';
  /** established: ESP both ways; one-way: ESP one way only; none: no ESP although the IKE SA is up. */
  readonly child: 'established' | 'one-way' | 'failed' | 'none' | 'unknown';
  /** One line for a person: "IKE SA up at frame 8, CHILD SA up, ESP both ways (9 → / 9 ← packets)". */
  readonly verdict: string;
  readonly establishedFrame: number | null;
  readonly failedFrame: number | null;
  readonly deletedFrame: number | null;
  /** The finding that names the failure, when there is one. */
  readonly cause: FindingId | null;
  readonly esp: { readonly initiatorToResponder: EspDirectionReport | null; readonly responderToInitiator: EspDirectionReport | null };
  /** ICMP errors that quoted the SA's packets, per kind. */
  readonly icmpErrors: readonly { readonly kind: 'unreachable' | 'too-big' | 'prohibited' | 'other'; readonly count: number; readonly firstFrame: number; readonly lastFrame: number }[];
}

export interface IkeSaReport {
  readonly initiatorSpi: string;
  readonly responderSpi: string;
  readonly ikeVersion: 1 | 2;
  readonly initiator: EndpointReport | null;
  readonly responder: EndpointReport | null;
  /** Every outer endpoint each side used (the float and mapping changes add entries). */
  readonly initiatorEndpoints: readonly string[];
  readonly responderEndpoints: readonly string[];
  readonly rolesInferred: boolean;
  readonly nat: {
    readonly initiator: NatSide;
    readonly responder: NatSide;
    readonly forcedEncapsulation: boolean;
    readonly capturePoint: { readonly initiatorNat: CapturePosition; readonly responderNat: CapturePosition };
    readonly reasoning: readonly string[];
    /** Private address:port recovered from a NATed peer's source NAT-D hash, when found. */
    readonly privateAddresses: { readonly initiator: string | null; readonly responder: string | null };
  };
  readonly nattMethod: string | null;
  readonly nattOffered: { readonly initiator: readonly string[]; readonly responder: readonly string[] };
  readonly floatedAtFrame: number | null;
  readonly floatedAt: string | null;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: number;
  readonly lastTime: number;
  readonly messages: number;
  readonly retransmissions: number;
  readonly exchanges: Readonly<Record<string, number>>;
  readonly espSpis: readonly string[];
  /** How each ESP SPI was tied to this SA: from a cleartext SA payload, or by address pairing and timing. */
  readonly espSpiLinks: Readonly<Record<string, 'sa-payload' | 'address-pairing'>>;
  readonly keepalives: number;
  readonly vendorIds: { readonly initiator: readonly VendorIdReport[]; readonly responder: readonly VendorIdReport[] };
  readonly natOa: readonly { readonly payloadType: number; readonly address: string }[];
  readonly natd: readonly { readonly frame: number; readonly from: 'initiator' | 'responder'; readonly destinationMatches: boolean | null; readonly sourceMatches: boolean | null; readonly sourcePortZero: boolean }[];
  readonly windowsAssumeUdpEncapsulationRule: 0 | 1 | 2 | null;
  readonly status: SaStatusReport;
}

export interface VendorIdReport {
  readonly hex: string;
  readonly name: string | null;
}

export interface EspSaReport extends TrafficSpan {
  readonly spi: string;
  readonly src: EndpointReport;
  readonly dst: EndpointReport;
  readonly transport: EspTransport;
  readonly sequence: { readonly max: number; readonly gaps: number; readonly missing: number; readonly replays: number; readonly resets: number };
  readonly ikeSa: { readonly initiatorSpi: string; readonly responderSpi: string } | null;
  readonly ikeSaLink: 'sa-payload' | 'address-pairing' | null;
}

export interface CaptureReport {
  readonly file: string;
  readonly format: string;
  readonly compressed: boolean;
  readonly frames: number;
  readonly bytes: number;
  /** Set when reading stopped early on a file error (exit code 2). */
  readonly error?: string;
}

export interface AnalysisReport {
  readonly type: 'analysis';
  readonly v: number;
  readonly captures: readonly CaptureReport[];
  readonly summary: {
    readonly frames: number;
    readonly ikeSas: number;
    readonly espSas: number;
    readonly natDetected: number;
    readonly keepalives: number;
    readonly findings: Readonly<Record<FindingSeverity, number>>;
  };
  readonly ikeSas: readonly IkeSaReport[];
  readonly espSas: readonly EspSaReport[];
  readonly findings: readonly Finding[];
  /**
   * Present only with `espy analyze -Y`: the filter, and how many frames its packet terms let
   * through to the analysis (all frames when it has none). `summary` counts what is listed.
   */
  readonly displayFilter?: { readonly expression: string; readonly framesMatched: number };
}
