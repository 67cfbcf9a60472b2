import type { Endpoint } from './facts.js';
import { endpointKey } from './facts.js';

/** An IKE SA as the directory knows it: any object standing for one SA (the tracker's `IkeSa`). */
export type SaHandle = object;

export interface SaOwner<S extends SaHandle = SaHandle> {
  readonly sa: S;
  /** The packet was sent from the SA initiator's side. */
  readonly fromInitiator: boolean;
}

export interface EspSpiEntry<S extends SaHandle = SaHandle> {
  readonly owner: SaOwner<S>;
  /** Who sent the first ESP packet with it (undefined for an SPI known from an SA payload only). */
  readonly src: Endpoint | undefined;
  readonly how: 'sa-payload' | 'traffic';
}

interface Entry<S> {
  readonly sa: S;
  /** The endpoint (or address) that sorts first in the key is the initiator's. */
  readonly firstIsInitiator: boolean;
}

/**
 * The one index from traffic to IKE SAs, kept live as IKE messages go by: for every pair of
 * endpoints (and of addresses) an IKE SA used, the latest SA that used it and which side was its
 * initiator. ESP SAs are tied to their IKE SA through it when their first packet arrives, and
 * keepalives when they arrive (exact endpoints, then addresses; raw ESP by addresses): so the analysis, the timeline, the report's ladders and `verify` agree on
 * whose traffic a packet is. Lookups are two map reads; the maps are bounded (oldest pair
 * forgotten first).
 */
export class SaDirectory<S extends SaHandle = SaHandle> {
  private readonly byEndpoints = new Map<string, Entry<S>>();
  private readonly byAddresses = new Map<string, Entry<S>>();
  /** ESP SPIs tied to an SA: named in a cleartext SA payload, or seen in its traffic (and who sent them then). */
  private readonly bySpi = new Map<number, EspSpiEntry<S>>();
  /** Changes whenever a pair moves to another SA: a cached owner older than this is looked up again. */
  version = 0;

  constructor(private readonly maxPairs: number) {}

  /** An IKE message of `sa` from `src` to `dst` (keys from `endpointKey`). */
  note(sa: S, fromInitiator: boolean, src: Endpoint, srcKey: string, dst: Endpoint, dstKey: string): void {
    this.set(this.byEndpoints, srcKey, dstKey, sa, fromInitiator);
    this.set(this.byAddresses, src.address, dst.address, sa, fromInitiator);
  }

  private set(map: Map<string, Entry<S>>, a: string, b: string, sa: S, aIsInitiator: boolean): void {
    const first = a <= b;
    const key = first ? `${a}|${b}` : `${b}|${a}`;
    const firstIsInitiator = first ? aIsInitiator : !aIsInitiator;
    const known = map.get(key);
    if (known !== undefined) {
      if (known.sa === sa && known.firstIsInitiator === firstIsInitiator) return;
      map.delete(key);
    } else if (map.size >= this.maxPairs) {
      map.delete(map.keys().next().value as string);
    }
    map.set(key, { sa, firstIsInitiator });
    this.version++;
  }

  private get(map: Map<string, Entry<S>>, a: string, b: string): SaOwner<S> | undefined {
    const first = a <= b;
    const e = map.get(first ? `${a}|${b}` : `${b}|${a}`);
    if (e === undefined) return undefined;
    return { sa: e.sa, fromInitiator: first ? e.firstIsInitiator : !e.firstIsInitiator };
  }

  /** The SA whose IKE last used exactly these two endpoints. */
  byExactEndpoints(src: Endpoint, dst: Endpoint): SaOwner<S> | undefined {
    return this.get(this.byEndpoints, endpointKey(src), endpointKey(dst));
  }

  /** The SA whose IKE last ran between these two addresses. */
  byAddressPair(src: string, dst: string): SaOwner<S> | undefined {
    return this.get(this.byAddresses, src, dst);
  }

  /** ESP: in UDP by its exact endpoints, else (and raw ESP) by addresses. */
  espOwner(src: Endpoint, dst: Endpoint, raw: boolean): SaOwner<S> | undefined {
    return (raw ? undefined : this.byExactEndpoints(src, dst)) ?? this.byAddressPair(src.address, dst.address);
  }

  /** Keepalives: by exact endpoints, else by addresses (peers that send to 4500 without having floated). */
  keepaliveOwner(src: Endpoint, dst: Endpoint): SaOwner<S> | undefined {
    return this.byExactEndpoints(src, dst) ?? this.byAddressPair(src.address, dst.address);
  }

  /** The SA an ESP SPI was tied to before (ESP from a new NAT mapping keeps its SPI). */
  espSpi(spi: number): EspSpiEntry<S> | undefined {
    return this.bySpi.get(spi);
  }

  /** ESP with this SPI was tied to `owner` (first packet from `src`); an SPI already known keeps its entry. */
  noteEspSpi(spi: number, owner: SaOwner<S>, src: Endpoint): void {
    if (this.bySpi.has(spi)) return;
    this.putSpi(spi, { owner, src, how: 'traffic' });
  }

  /**
   * A cleartext SA payload of `sa` named this ESP SPI, sent by the initiator or the responder:
   * the SPI is the sender's inbound one, so ESP with it travels towards the sender.
   */
  noteSaPayloadSpi(spi: number, sa: S, sentByInitiator: boolean): void {
    this.bySpi.delete(spi);
    this.putSpi(spi, { owner: { sa, fromInitiator: !sentByInitiator }, src: undefined, how: 'sa-payload' });
  }

  private putSpi(spi: number, entry: EspSpiEntry<S>): void {
    if (this.bySpi.size >= this.maxPairs) this.bySpi.delete(this.bySpi.keys().next().value as number);
    this.bySpi.set(spi, entry);
  }

  clear(): void {
    this.bySpi.clear();
    this.byEndpoints.clear();
    this.byAddresses.clear();
  }
}
