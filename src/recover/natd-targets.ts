import type { DecodeConfig } from '../decode/layer.js';
import type { CaptureOptions } from '../capture/frame.js';
import { decodeCapture } from '../decode/stream.js';
import { toHex } from '../decode/cursor.js';
import { packetFacts } from '../analysis/packet-facts.js';
import { checkNatd, natdInputOf } from '../analysis/nat-detection.js';
import type { Endpoint, NatdFact } from '../analysis/facts.js';
import { exchangeName } from '../analysis/exchange-names.js';
import { DIGEST_BYTES } from '../decode/isakmp/hashes.js';
import type { NatdSearchAlgorithm } from '../analysis/natd-search.js';
import type { CaptureSummary } from '../capture/frame.js';

/**
 * The NAT-D hashes worth brute-forcing in one capture (NATT-REFERENCE §2.4):
 * - a SOURCE hash that matches the sender's address as seen here: the sender hashed an address
 *   the capture never sees (its private address, behind a NAT; or a fake);
 * - a DESTINATION hash that does not match the receiver as seen here: the sender addressed the
 *   receiver at another address, its public mapping (the capture is inside the receiver's NAT).
 */

export type Role = 'initiator' | 'responder';

export interface RecoveryTarget {
  readonly kind: 'source' | 'destination';
  readonly ikeVersion: 1 | 2;
  /** The SA's SPIs (hex); responderSpi is the final one even when the message hashed zero. */
  readonly initiatorSpi: string;
  readonly responderSpi: string;
  readonly frame: number;
  readonly exchange: string;
  readonly sender: Role;
  /** Whose hidden address the hash holds: the sender (source) or the receiver (destination). */
  readonly subject: Role;
  /** The subject's address as the capture sees it. */
  readonly observed: Endpoint;
  readonly algorithm: NatdSearchAlgorithm;
  /** The SPIs as hashed (SPIr zero in an IKEv2 IKE_SA_INIT request). */
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly hash: Uint8Array;
}

/** A NAT-D hash that cannot be searched: its length is not the digest size of its algorithm. */
export interface WrongLengthHash {
  readonly frame: number;
  readonly kind: RecoveryTarget['kind'];
  readonly algorithm: NatdSearchAlgorithm;
  readonly bytes: number;
  readonly expected: number;
}

/** Output sizes of the NAT-D hash algorithms: the table is `decode/isakmp/hashes.ts`. */
export { DIGEST_BYTES } from '../decode/isakmp/hashes.js';

export interface TargetScan {
  readonly capture: CaptureSummary;
  readonly targets: readonly RecoveryTarget[];
  /** IPv4 addresses seen on IKE and NAT-T traffic, in order of first appearance (u32). */
  readonly observedAddresses: readonly number[];
  /** UDP ports seen on IKE messages, in order of first appearance. */
  readonly observedPorts: readonly number[];
  /** Messages whose NAT-D was recomputed, and why others were left alone. */
  readonly natdMessages: number;
  readonly portZeroSources: readonly number[];
  readonly unverifiable: readonly number[];
  readonly ipv6: readonly number[];
  /** Hashes of the wrong length (hostile, or a broken sender): no address can match them. */
  readonly wrongLength: readonly WrongLengthHash[];
}

const MAX_OBSERVED_ADDRESSES = 4096;
const MAX_OBSERVED_PORTS = 64;
const MAX_TARGETS = 256;
const MAX_SAS = 100_000;

interface SaState {
  readonly ikeVersion: 1 | 2;
  readonly initiatorSpi: string;
  responderSpi: string;
  readonly initiatorAddress: string;
  negotiatedHash?: number;
}

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

function destinationHashes(version: 1 | 2, natd: readonly NatdFact[]): Uint8Array[] {
  return (version === 1 ? natd.slice(0, 1) : natd.filter((n) => n.kind === 'v2-destination')).map((n) => n.hash);
}

/** One pass over the capture: every NAT-D message is recomputed against the addresses seen. */
export async function scanNatdTargets(source: string, config: DecodeConfig, captureOptions: CaptureOptions = {}): Promise<TargetScan> {
  const sas = new Map<string, SaState>();
  const targets: RecoveryTarget[] = [];
  const seenHashes = new Set<string>();
  const addresses = new Set<number>();
  const ports = new Set<number>();
  const portZeroSources: number[] = [];
  const unverifiable: number[] = [];
  const ipv6: number[] = [];
  const wrongLength: WrongLengthHash[] = [];
  let natdMessages = 0;
  const observe = (a: Uint8Array): void => {
    if (a.length === 4 && addresses.size < MAX_OBSERVED_ADDRESSES) addresses.add(((a[0]! << 24) >>> 0) + (a[1]! << 16) + (a[2]! << 8) + a[3]!);
  };
  const capture = await decodeCapture(source, config, (packet) => {
    const p = packetFacts(packet, config);
    if (!p) return;
    if (p.encap) {
      observe(p.srcAddr);
      observe(p.dstAddr);
    }
    const ike = p.ike;
    if (!ike) return;
    observe(p.srcAddr);
    observe(p.dstAddr);
    for (const port of [p.src.port, p.dst.port]) if (ports.size < MAX_OBSERVED_PORTS) ports.add(port);
    const ispi = toHex(ike.ispi);
    const key = `${ike.ikeVersion}:${ispi}`;
    let sa = sas.get(key);
    if (!sa) {
      if (sas.size >= MAX_SAS) return;
      // IKEv1 has no initiator flag: the sender of the first message seen (normally Main or
      // Aggressive Mode message 1, responder SPI zero) is taken as the initiator.
      sa = { ikeVersion: ike.ikeVersion, initiatorSpi: ispi, responderSpi: toHex(ike.rspi), initiatorAddress: p.src.address };
      sas.set(key, sa);
    }
    if (!isZero(ike.rspi)) sa.responderSpi = toHex(ike.rspi);
    const fromInitiator = ike.ikeVersion === 2 ? ike.fromOriginalInitiator === true : p.src.address === sa.initiatorAddress;
    if (ike.ikeVersion === 1 && !fromInitiator && ike.hasSa && ike.phase1Hashes.length === 1) sa.negotiatedHash = ike.phase1Hashes[0]!;
    if (!ike.natd.length) return;
    natdMessages++;
    if (p.ipVersion !== 4) {
      ipv6.push(p.frame);
      return;
    }
    const check = checkNatd(natdInputOf(p, fromInitiator, sa.negotiatedHash)!);
    if (check.unverifiable || !check.algorithm) {
      unverifiable.push(p.frame);
      return;
    }
    if (check.srcPortZero) portZeroSources.push(p.frame);
    const sender: Role = fromInitiator ? 'initiator' : 'responder';
    const receiver: Role = fromInitiator ? 'responder' : 'initiator';
    const exchange = exchangeName(ike.ikeVersion, ike.exchangeType) + (ike.isResponse === undefined ? '' : ike.isResponse ? ' response' : ' request');
    const algorithm = check.algorithm as NatdSearchAlgorithm;
    const add = (kind: RecoveryTarget['kind'], hash: Uint8Array, observed: Endpoint, subject: Role): void => {
      const id = `${ike.ikeVersion}:${toHex(ike.ispi)}:${toHex(ike.rspi)}:${toHex(hash)}`;
      if (seenHashes.has(id) || targets.length + wrongLength.length >= MAX_TARGETS) return;
      seenHashes.add(id);
      // The search hashes candidates into DIGEST_BYTES[algorithm] bytes: a hash of another
      // length (an empty notify, a cut payload) can never match, and the hashers refuse it.
      if (hash.length !== DIGEST_BYTES[algorithm]) {
        wrongLength.push({ frame: p.frame, kind, algorithm, bytes: hash.length, expected: DIGEST_BYTES[algorithm] });
        return;
      }
      const t: RecoveryTarget = {
        kind,
        ikeVersion: ike.ikeVersion,
        initiatorSpi: sa!.initiatorSpi,
        responderSpi: sa!.responderSpi,
        frame: p.frame,
        exchange,
        sender,
        subject,
        observed,
        algorithm,
        spiI: ike.ispi,
        spiR: ike.rspi,
        hash,
      };
      targets.push(t);
    };
    if (check.srcOk === false && !check.srcPortZero) for (const h of check.sourceHashes) add('source', h, p.src, sender);
    if (check.dstOk === false) for (const h of destinationHashes(ike.ikeVersion, ike.natd)) add('destination', h, p.dst, receiver);
  }, captureOptions);
  // Targets keep the SA's final responder SPI for labelling.
  const labelled = targets.map((t) => ({ ...t, responderSpi: sas.get(`${t.ikeVersion}:${t.initiatorSpi}`)?.responderSpi ?? t.responderSpi }));
  return { capture, targets: labelled, observedAddresses: [...addresses], observedPorts: [...ports], natdMessages, portZeroSources, unverifiable, ipv6, wrongLength };
}
