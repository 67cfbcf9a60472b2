/**
 * The traffic model behind the benchmark captures: remote-access clients behind NATs keeping
 * IPsec tunnels to a set of gateways, seen at the gateways' uplink (outside the clients' NATs).
 *
 * - `clients` clients, most with a 10.x address behind one of `nats` public NAT addresses (a
 *   skewed share: some NATs are carrier-grade or corporate, most are small), a few with their own
 *   public address; each talks to one of `gateways` gateways.
 * - Each tunnel: IKEv2 (IKE_SA_INIT with NAT-D notifies, then IKE_AUTH on 4500 behind the
 *   non-ESP marker; EAP clients need several IKE_AUTH round trips) or IKEv1 (Main Mode with the
 *   RFC 3947 vendor ID and NAT-D payloads, the float to 4500 at message 5, Quick Mode); then ESP
 *   data (UDP-encapsulated behind a NAT, plain ESP otherwise) with per-SPI sequence numbers; NAT
 *   keepalives when the client has been silent for its keepalive interval; after a lifetime the
 *   tunnel is deleted and the client reconnects (sometimes through a new NAT mapping).
 * - A share of tunnels is already up when the capture starts: their ESP appears without IKE,
 *   with sequence numbers far from 1, as in any capture started mid-day.
 * - Some background TCP (HTTPS) and UDP (DNS, NTP) between other hosts.
 *
 * Everything is drawn from one seeded PRNG, so a parameter set always gives the same bytes.
 */
import { CaptureWriter } from './capture-writer.js';
import { EventHeap } from './heap.js';
import {
  FrameBuilder,
  IP_PAYLOAD,
  IP_PROTO_ESP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  UDP_PAYLOAD,
  ipv4,
  ipv4Bytes,
  tcpPayloadOffset,
  type IpParams,
} from './frames.js';
import {
  IKEV1,
  IKEV1_FIRST,
  IKEV2,
  IKEV2_INNER,
  IKEV2_PROFILES,
  ikev1Encrypted,
  ikev1MainKe,
  ikev1MainSa,
  ikev2Encrypted,
  ikev2SaInit,
  type Ikev2Profile,
} from './ike.js';
import { Prng } from './prng.js';

/** Bump when the bytes a parameter set produces change: cached captures are then rebuilt. */
export const GENERATOR_VERSION = 2;

export interface ScenarioParams {
  readonly seed: number;
  readonly clients: number;
  readonly nats: number;
  readonly gateways: number;
  /** Share of clients with their own public address (no NAT: IKE stays on 500, plain ESP). */
  readonly directShare: number;
  /** Share of tunnels using IKEv1 Main Mode (the rest IKEv2). */
  readonly ikev1Share: number;
  /** Share of tunnels already up when the capture starts (ESP without IKE). */
  readonly preEstablishedShare: number;
  /** New tunnels start within this many seconds of the capture start. */
  readonly rampSeconds: number;
  /** Mean tunnel lifetime before delete and reconnect, seconds. */
  readonly meanLifetimeSeconds: number;
  /** Multiplies every tunnel's packet rate (1 = about 2.7 packets/s per tunnel on average). */
  readonly rateScale: number;
  /** Background flows (TCP and UDP between other hosts). */
  readonly backgroundFlows: number;
  /** Capture start, seconds since the epoch. */
  readonly startEpochSeconds: number;
}

export const DEFAULT_SCENARIO: ScenarioParams = {
  seed: 1,
  clients: 2000,
  nats: 50,
  gateways: 20,
  directShare: 0.03,
  ikev1Share: 0.3,
  preEstablishedShare: 0.25,
  rampSeconds: 10,
  meanLifetimeSeconds: 300,
  rateScale: 1,
  backgroundFlows: 100,
  startEpochSeconds: 1_700_000_000,
};

/** Frames of each kind written, for the capture's description. */
export interface ScenarioCounts {
  espUdp: number;
  espRaw: number;
  ikev2: number;
  ikev1: number;
  keepalives: number;
  backgroundTcp: number;
  backgroundUdp: number;
  ikeSasStarted: number;
  tunnelsDeleted: number;
}

const SEC = 1_000_000;
const MS = 1_000;

interface Nat {
  readonly publicIp: number;
  readonly publicBytes: Uint8Array;
  nextPort: number;
  /** Routers between the NAT and the capture point (lowers the TTL). */
  readonly hops: number;
}

interface Gateway {
  readonly ip: number;
  readonly bytes: Uint8Array;
  readonly mac: Uint8Array;
  ipId: number;
}

type Step =
  | 'v2-init-req'
  | 'v2-init-resp'
  | 'v2-auth-req'
  | 'v2-auth-resp'
  | 'v2-info-req'
  | 'v2-info-resp'
  | 'v1-mm1'
  | 'v1-mm2'
  | 'v1-mm3'
  | 'v1-mm4'
  | 'v1-mm5'
  | 'v1-mm6'
  | 'v1-qm1'
  | 'v1-qm2'
  | 'v1-qm3'
  | 'v1-delete'
  | 'retransmit-req'
  | 'retransmit-resp'
  | 'up'
  | 'down';

/** Steps sent by the gateway (the others come from the client). */
const FROM_GATEWAY: ReadonlySet<Step> = new Set<Step>(['v2-init-resp', 'v2-auth-resp', 'v2-info-resp', 'v1-mm2', 'v1-mm4', 'v1-mm6', 'v1-qm2', 'retransmit-resp']);

interface Client {
  readonly index: number;
  readonly privateIp: number;
  readonly privateBytes: Uint8Array;
  readonly nat: Nat | undefined;
  readonly gateway: Gateway;
  readonly ttl: number;
  /** Round trip between the capture point and the client, µs. */
  readonly rtt: number;
  readonly rate: number;
  readonly downShare: number;
  readonly keepaliveInterval: number;
  ikeVersion: 1 | 2;
  profile: Ikev2Profile;
  /** Outside ports of the NAT mappings for the client's 500 and 4500 (500/4500 without NAT). */
  ikePort: number;
  nattPort: number;
  state: 'down' | 'ike' | 'up';
  /** Bumped when a tunnel goes down: events of the old tunnel are dropped. */
  epoch: number;
  spiI: Uint8Array;
  spiR: Uint8Array;
  steps: Step[];
  stepAt: number;
  messageId: number;
  floated: boolean;
  lastRequest: Uint8Array | undefined;
  lastResponse: Uint8Array | undefined;
  espToGateway: number;
  espToClient: number;
  seqToGateway: number;
  seqToClient: number;
  espIv: number;
  espIcv: number;
  espBlock: number;
  lastClientTx: number;
  endAt: number;
  ipId: number;
}

interface BackgroundFlow {
  readonly kind: 'https' | 'dns' | 'ntp';
  readonly clientIp: number;
  readonly serverIp: number;
  readonly clientPort: number;
  readonly serverMac: Uint8Array;
  readonly rate: number;
  seqC: number;
  seqS: number;
  tsC: number;
  pendingResponse: boolean;
  /** Data sent by the client / server not yet acknowledged by the other side. */
  clientSent: boolean;
  serverSent: boolean;
  dnsId: number;
  ipIdC: number;
  ipIdS: number;
}

const enum Kind {
  Step,
  Data,
  Keepalive,
  Background,
}

interface Ev {
  readonly time: number;
  readonly order: number;
  readonly kind: Kind;
  readonly client: Client | undefined;
  readonly flow: BackgroundFlow | undefined;
  readonly epoch: number;
}

const ROUTER_MAC = Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01);
const DNS_NAMES = ['www.example.com', 'mail.example.org', 'cdn.example.net', 'api.example.com', 'update.example.org', 'time.example.net'];

function mac(kind: number, index: number): Uint8Array {
  return Uint8Array.of(0x02, 0x00, 0x5e, kind, (index >>> 8) & 0xff, index & 0xff);
}

function randomSpi(rng: Prng): number {
  return 0x100 + rng.int(0xffffff00 - 0x100);
}

/** One frame of random bytes to copy from (ciphertext looks random; copying is cheaper than drawing). */
const POOL_BYTES = 1 << 20;

export class Scenario {
  readonly counts: ScenarioCounts = {
    espUdp: 0,
    espRaw: 0,
    ikev2: 0,
    ikev1: 0,
    keepalives: 0,
    backgroundTcp: 0,
    backgroundUdp: 0,
    ikeSasStarted: 0,
    tunnelsDeleted: 0,
  };
  private readonly rng: Prng;
  private readonly heap = new EventHeap<Ev>();
  private readonly fb = new FrameBuilder();
  private readonly pool: Buffer;
  private order = 0;
  private readonly start: number;
  /** Time of the last frame written, µs since the epoch. */
  now: number;

  constructor(
    private readonly p: ScenarioParams,
    private readonly writer: CaptureWriter,
  ) {
    this.rng = new Prng(p.seed);
    const rng = this.rng;
    this.pool = Buffer.alloc(POOL_BYTES + 2048);
    rng.fill(this.pool);
    this.start = p.startEpochSeconds * SEC;
    this.now = this.start;

    const nats: Nat[] = [];
    for (let i = 0; i < p.nats; i++) {
      const ip = ipv4(198, 51, 100, 1 + (i % 254));
      nats.push({ publicIp: ip, publicBytes: ipv4Bytes(ip), nextPort: rng.range(10240, 60000), hops: rng.range(4, 18) });
    }
    const gateways: Gateway[] = [];
    for (let i = 0; i < p.gateways; i++) {
      const ip = ipv4(203, 0, 113, 1 + (i % 200));
      gateways.push({ ip, bytes: ipv4Bytes(ip), mac: mac(1, i), ipId: rng.int(65536) });
    }
    for (let i = 0; i < p.clients; i++) {
      const direct = nats.length === 0 || rng.chance(p.directShare);
      // Skewed: low-numbered NATs carry many clients (CGN, offices), the rest few (homes).
      const nat = direct ? undefined : nats[Math.min(nats.length - 1, Math.floor(nats.length * rng.float() ** 2))]!;
      const privateIp = direct ? ipv4(198, 18 + ((i >>> 16) & 1), (i >>> 8) & 0xff, i & 0xff) : ipv4(10, (i >>> 16) & 0xff, (i >>> 8) & 0xff, (i & 0xff) | 0);
      const klass = rng.float();
      const rate = (klass < 0.2 ? 1 / 60 : klass < 0.8 ? rng.logNormal(0.8, 0.8) : rng.logNormal(8, 0.7)) * p.rateScale;
      const client: Client = {
        index: i,
        privateIp,
        privateBytes: ipv4Bytes(privateIp),
        nat,
        gateway: gateways[rng.int(gateways.length)]!,
        ttl: (rng.chance(0.4) ? 128 : 64) - (nat ? nat.hops + 1 : rng.range(6, 20)),
        rtt: Math.round(rng.logNormal(60, 0.6) * MS),
        rate,
        downShare: 0.5 + 0.2 * rng.float(),
        keepaliveInterval: rng.pick([10, 15, 20]) * SEC,
        ikeVersion: 2,
        profile: IKEV2_PROFILES[0]!,
        ikePort: 500,
        nattPort: 4500,
        state: 'down',
        epoch: 0,
        spiI: new Uint8Array(8),
        spiR: new Uint8Array(8),
        steps: [],
        stepAt: 0,
        messageId: 0,
        floated: false,
        lastRequest: undefined,
        lastResponse: undefined,
        espToGateway: 0,
        espToClient: 0,
        seqToGateway: 1,
        seqToClient: 1,
        espIv: 8,
        espIcv: 16,
        espBlock: 4,
        lastClientTx: this.start,
        endAt: 0,
        ipId: rng.int(65536),
      };
      this.newTunnelParams(client, true);
      if (rng.chance(p.preEstablishedShare)) {
        // Up before the capture began: ESP (and keepalives) without IKE.
        client.state = 'up';
        client.floated = nat !== undefined;
        client.messageId = rng.range(2, 40);
        client.seqToGateway = rng.range(1000, 5_000_000);
        client.seqToClient = rng.range(1000, 5_000_000);
        client.lastClientTx = this.start - rng.int(client.keepaliveInterval);
        client.endAt = this.start + Math.round(rng.exp(p.meanLifetimeSeconds * SEC));
        this.schedule(Kind.Data, client, this.start + Math.round(rng.exp(SEC / client.rate)));
        if (client.nat) this.schedule(Kind.Keepalive, client, client.lastClientTx + client.keepaliveInterval);
      } else {
        this.beginIke(client, this.start + rng.int(p.rampSeconds * SEC));
      }
    }
    for (let i = 0; i < p.backgroundFlows; i++) {
      const r = rng.float();
      const kind = r < 0.6 ? 'https' : r < 0.9 ? 'dns' : 'ntp';
      const flow: BackgroundFlow = {
        kind,
        clientIp: ipv4(192, 0, 2, 1 + rng.int(254)),
        serverIp: ipv4(203, 0, 113, 201 + rng.int(50)),
        clientPort: kind === 'ntp' ? 123 : rng.range(32768, 60999),
        serverMac: mac(2, i),
        rate: (kind === 'https' ? rng.logNormal(3, 1) : rng.logNormal(1, 0.5)) * p.rateScale,
        seqC: rng.u32(),
        seqS: rng.u32(),
        tsC: rng.u32(),
        pendingResponse: false,
        clientSent: false,
        serverSent: true,
        dnsId: rng.int(65536),
        ipIdC: rng.int(65536),
        ipIdS: rng.int(65536),
      };
      this.scheduleFlow(flow, this.start + Math.round(rng.exp(SEC / flow.rate)));
    }
  }

  /** New SPIs, cipher, IKE version, and (sometimes) a new NAT mapping for the next tunnel. */
  private newTunnelParams(c: Client, first: boolean): void {
    const rng = this.rng;
    rng.fill(c.spiI);
    rng.fill(c.spiR);
    c.ikeVersion = rng.chance(this.p.ikev1Share) ? 1 : 2;
    c.profile = rng.pick(IKEV2_PROFILES);
    c.espToGateway = randomSpi(rng);
    c.espToClient = randomSpi(rng);
    c.seqToGateway = 1;
    c.seqToClient = 1;
    if (c.ikeVersion === 1) {
      [c.espIv, c.espIcv, c.espBlock] = [16, 12, 16]; // AES-CBC + HMAC-SHA1-96
    } else if (c.profile.aead) {
      [c.espIv, c.espIcv, c.espBlock] = [8, 16, 4]; // AES-GCM-16
    } else {
      [c.espIv, c.espIcv, c.espBlock] = [16, 16, 16]; // AES-CBC + HMAC-SHA2-256-128
    }
    if (c.nat && (first || rng.chance(0.5))) {
      c.ikePort = this.allocatePort(c.nat);
      c.nattPort = this.allocatePort(c.nat);
    } else if (!c.nat) {
      c.ikePort = 500;
      c.nattPort = 4500;
    }
  }

  private allocatePort(nat: Nat): number {
    const port = nat.nextPort;
    nat.nextPort += this.rng.range(1, 9);
    if (nat.nextPort > 65000) nat.nextPort = 10240 + this.rng.int(1000);
    return port;
  }

  private schedule(kind: Kind, client: Client, time: number): void {
    this.heap.push({ time: Math.round(time), order: this.order++, kind, client, flow: undefined, epoch: client.epoch });
  }

  private scheduleFlow(flow: BackgroundFlow, time: number): void {
    this.heap.push({ time: Math.round(time), order: this.order++, kind: Kind.Background, client: undefined, flow, epoch: 0 });
  }

  private beginIke(c: Client, at: number): void {
    c.state = 'ike';
    c.floated = false;
    c.messageId = 0;
    const steps: Step[] = [];
    if (c.ikeVersion === 2) {
      steps.push('v2-init-req', 'v2-init-resp');
      if (this.rng.chance(0.02)) steps.push('retransmit-req', 'retransmit-resp');
      for (let i = 0; i < c.profile.authRoundTrips; i++) steps.push('v2-auth-req', 'v2-auth-resp');
    } else {
      steps.push('v1-mm1', 'v1-mm2', 'v1-mm3', 'v1-mm4', 'v1-mm5', 'v1-mm6', 'v1-qm1', 'v1-qm2', 'v1-qm3');
    }
    steps.push('up');
    c.steps = steps;
    c.stepAt = 0;
    this.schedule(Kind.Step, c, at);
  }

  private beginDelete(c: Client): void {
    c.state = 'ike';
    c.steps = c.ikeVersion === 2 ? ['v2-info-req', 'v2-info-resp', 'down'] : ['v1-delete', 'down'];
    c.stepAt = 0;
  }

  /** Handles the next event; false when there is nothing left (never, in practice). */
  step(): boolean {
    const ev = this.heap.pop();
    if (!ev) return false;
    this.now = ev.time;
    switch (ev.kind) {
      case Kind.Step:
        if (ev.epoch === ev.client!.epoch) this.ikeStep(ev.client!);
        break;
      case Kind.Data:
        if (ev.epoch === ev.client!.epoch && ev.client!.state === 'up') this.data(ev.client!);
        break;
      case Kind.Keepalive:
        if (ev.epoch === ev.client!.epoch && ev.client!.state === 'up') this.keepalive(ev.client!);
        break;
      case Kind.Background:
        this.background(ev.flow!);
        break;
    }
    return true;
  }

  // ------------------------------------------------------------ addresses as seen at the capture point

  private clientOutsideIp(c: Client): number {
    return c.nat ? c.nat.publicIp : c.privateIp;
  }

  private clientOutsideBytes(c: Client): Uint8Array {
    return c.nat ? c.nat.publicBytes : c.privateBytes;
  }

  private fromClient(c: Client, proto: number): IpParams {
    c.ipId = (c.ipId + 1) & 0xffff;
    return { src: this.clientOutsideIp(c), dst: c.gateway.ip, proto, id: c.ipId, ttl: c.ttl, dontFragment: false };
  }

  private fromGateway(c: Client, proto: number): IpParams {
    const g = c.gateway;
    g.ipId = (g.ipId + 1) & 0xffff;
    return { src: g.ip, dst: this.clientOutsideIp(c), proto, id: g.ipId, ttl: 64, dontFragment: false };
  }

  private emit(length: number): void {
    this.writer.add(this.now, this.fb.buf, length);
  }

  /** An IKE message over UDP: on 500, or on 4500 behind the non-ESP marker once floated. */
  private sendIke(c: Client, fromGateway: boolean, message: Uint8Array): void {
    const b = this.fb.buf;
    let at = UDP_PAYLOAD;
    if (c.floated) {
      b.writeUInt32BE(0, at);
      at += 4;
    }
    b.set(message, at);
    const length = at - UDP_PAYLOAD + message.length;
    const clientPort = c.floated ? c.nattPort : c.ikePort;
    const serverPort = c.floated ? 4500 : 500;
    const end = fromGateway
      ? this.fb.udp(ROUTER_MAC, c.gateway.mac, this.fromGateway(c, IP_PROTO_UDP), serverPort, clientPort, length, true)
      : this.fb.udp(c.gateway.mac, ROUTER_MAC, this.fromClient(c, IP_PROTO_UDP), clientPort, serverPort, length, true);
    if (!fromGateway) c.lastClientTx = this.now;
    if (c.ikeVersion === 2) this.counts.ikev2++;
    else this.counts.ikev1++;
    this.emit(end);
  }

  // ------------------------------------------------------------ IKE

  private ikeStep(c: Client): void {
    const rng = this.rng;
    const step = c.steps[c.stepAt++]!;
    const gw = c.gateway;
    const natted = c.nat !== undefined;
    // What each side hashes as its own source: the client its private address and port 500.
    const clientSelf = { addr: c.privateBytes, port: 500 };
    const clientSeen = { addr: this.clientOutsideBytes(c), port: c.ikePort };
    const p = c.profile;
    let message: Uint8Array | undefined;
    const fromGateway = FROM_GATEWAY.has(step);
    switch (step) {
      case 'v2-init-req':
        this.counts.ikeSasStarted++;
        message = ikev2SaInit(rng, p, c.spiI, undefined, { srcAddr: clientSelf.addr, srcPort: clientSelf.port, dstAddr: gw.bytes, dstPort: 500 });
        c.lastRequest = message;
        break;
      case 'v2-init-resp':
        message = ikev2SaInit(rng, p, c.spiI, c.spiR, { srcAddr: gw.bytes, srcPort: 500, dstAddr: clientSeen.addr, dstPort: clientSeen.port });
        c.lastResponse = message;
        break;
      case 'retransmit-req':
        message = c.lastRequest!;
        break;
      case 'retransmit-resp':
        message = c.lastResponse!;
        break;
      case 'v2-auth-req': {
        if (natted) c.floated = true;
        c.messageId++;
        const first = c.messageId === 1;
        const plain = p.authRoundTrips > 1 ? (first ? rng.range(280, 420) : c.messageId === p.authRoundTrips ? rng.range(60, 110) : rng.range(90, 160)) : rng.range(700, 1150);
        message = ikev2Encrypted(rng, p, c.spiI, c.spiR, IKEV2.IKE_AUTH, IKEV2.FLAG_INITIATOR, c.messageId, first ? IKEV2_INNER.IDI : IKEV2_INNER.EAP, plain);
        break;
      }
      case 'v2-auth-resp': {
        const last = c.messageId === p.authRoundTrips;
        const plain = p.authRoundTrips > 1 ? (c.messageId === 1 ? rng.range(900, 1150) : last ? rng.range(250, 400) : rng.range(80, 140)) : rng.range(650, 1100);
        message = ikev2Encrypted(rng, p, c.spiI, c.spiR, IKEV2.IKE_AUTH, IKEV2.FLAG_RESPONSE, c.messageId, last ? IKEV2_INNER.IDR : IKEV2_INNER.EAP, plain);
        break;
      }
      case 'v2-info-req':
        c.messageId++;
        message = ikev2Encrypted(rng, p, c.spiI, c.spiR, IKEV2.INFORMATIONAL, IKEV2.FLAG_INITIATOR, c.messageId, IKEV2_INNER.D, 12);
        break;
      case 'v2-info-resp':
        message = ikev2Encrypted(rng, p, c.spiI, c.spiR, IKEV2.INFORMATIONAL, IKEV2.FLAG_RESPONSE, c.messageId, IKEV2_INNER.NONE, 0);
        break;
      case 'v1-mm1':
        this.counts.ikeSasStarted++;
        message = ikev1MainSa(c.spiI, undefined);
        break;
      case 'v1-mm2':
        message = ikev1MainSa(c.spiI, c.spiR);
        break;
      case 'v1-mm3':
        message = ikev1MainKe(rng, c.spiI, c.spiR, { srcAddr: clientSelf.addr, srcPort: clientSelf.port, dstAddr: gw.bytes, dstPort: 500 });
        break;
      case 'v1-mm4':
        message = ikev1MainKe(rng, c.spiI, c.spiR, { srcAddr: gw.bytes, srcPort: 500, dstAddr: clientSeen.addr, dstPort: clientSeen.port });
        break;
      case 'v1-mm5':
        if (natted) c.floated = true; // RFC 3947 §4: the initiator moves to 4500 at message 5
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.MAIN_MODE, 0, IKEV1_FIRST.ID, rng.range(40, 70));
        break;
      case 'v1-mm6':
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.MAIN_MODE, 0, IKEV1_FIRST.ID, rng.range(40, 70));
        break;
      case 'v1-qm1':
        c.messageId = 1 + rng.int(0xfffffffe);
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.QUICK_MODE, c.messageId, IKEV1_FIRST.HASH, rng.range(260, 420));
        break;
      case 'v1-qm2':
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.QUICK_MODE, c.messageId, IKEV1_FIRST.HASH, rng.range(220, 380));
        break;
      case 'v1-qm3':
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.QUICK_MODE, c.messageId, IKEV1_FIRST.HASH, 24);
        break;
      case 'v1-delete':
        message = ikev1Encrypted(rng, c.spiI, c.spiR, IKEV1.INFORMATIONAL, 1 + rng.int(0xfffffffe), IKEV1_FIRST.HASH, rng.range(60, 80));
        break;
      case 'up':
        c.state = 'up';
        c.endAt = this.now + Math.round(rng.exp(this.p.meanLifetimeSeconds * SEC));
        this.schedule(Kind.Data, c, this.now + 1 + Math.round(rng.exp(SEC / c.rate)));
        if (natted) this.schedule(Kind.Keepalive, c, c.lastClientTx + c.keepaliveInterval);
        return;
      case 'down':
        c.state = 'down';
        c.epoch++;
        this.counts.tunnelsDeleted++;
        this.newTunnelParams(c, false);
        this.beginIke(c, this.now + Math.round(0.5 * SEC + rng.exp(3 * SEC)));
        return;
    }
    this.sendIke(c, fromGateway, message);
    // The next step: a gateway reply follows quickly (slower after Diffie-Hellman); a client
    // message follows a round trip through the NAT.
    const next = c.steps[c.stepAt];
    if (next === undefined) return;
    let delay: number;
    if (next === 'retransmit-req') delay = SEC + rng.int(100 * MS); // the response was lost beyond the capture point
    else if (FROM_GATEWAY.has(next)) delay = next === 'v2-init-resp' || next === 'v1-mm4' ? rng.range(2 * MS, 15 * MS) : rng.range(300, 3 * MS);
    else delay = c.rtt + rng.range(MS, 10 * MS);
    if (next === 'up' || next === 'down') delay = rng.range(50, 500);
    this.schedule(Kind.Step, c, this.now + delay);
  }

  // ------------------------------------------------------------ ESP and keepalives

  /** IP length of one ESP packet: small ACK-like packets, medium, and MTU-sized ones. */
  private espIpLength(down: boolean): number {
    const rng = this.rng;
    const u = rng.float();
    const [small, medium, large] = down ? [0.25, 0.4, 0.5] : [0.6, 0.8, 0.9];
    if (u < small) return 64 + Math.floor(rng.float() ** 2 * 70);
    if (u < medium) return 134 + rng.int(466);
    if (u < large) return 600 + rng.int(700);
    return rng.chance(0.8) ? 1400 : 1380 + rng.int(20);
  }

  private data(c: Client): void {
    const rng = this.rng;
    if (this.now >= c.endAt) {
      this.beginDelete(c);
      this.ikeStep(c);
      return;
    }
    const down = rng.chance(c.downShare);
    const encap = c.nat !== undefined;
    const b = this.fb.buf;
    const overhead = 20 + (encap ? 8 : 0) + 8 + c.espIv + c.espIcv;
    const body = Math.max(c.espBlock, Math.floor((this.espIpLength(down) - overhead) / c.espBlock) * c.espBlock);
    const at = encap ? UDP_PAYLOAD : IP_PAYLOAD;
    b.writeUInt32BE(down ? c.espToClient : c.espToGateway, at);
    b.writeUInt32BE(down ? c.seqToClient : c.seqToGateway, at + 4);
    if (down) c.seqToClient = (c.seqToClient + 1) >>> 0;
    else c.seqToGateway = (c.seqToGateway + 1) >>> 0;
    const random = c.espIv + body + c.espIcv;
    const off = rng.int(POOL_BYTES);
    this.pool.copy(b, at + 8, off, off + random);
    const espLength = 8 + random;
    let end: number;
    if (encap) {
      // RFC 3948 §3.1.1: the UDP checksum of ESP-in-UDP is sent as zero.
      end = down
        ? this.fb.udp(ROUTER_MAC, c.gateway.mac, this.fromGateway(c, IP_PROTO_UDP), 4500, c.nattPort, espLength, false)
        : this.fb.udp(c.gateway.mac, ROUTER_MAC, this.fromClient(c, IP_PROTO_UDP), c.nattPort, 4500, espLength, false);
      this.counts.espUdp++;
    } else {
      end = down
        ? this.fb.raw(ROUTER_MAC, c.gateway.mac, this.fromGateway(c, IP_PROTO_ESP), espLength)
        : this.fb.raw(c.gateway.mac, ROUTER_MAC, this.fromClient(c, IP_PROTO_ESP), espLength);
      this.counts.espRaw++;
    }
    if (!down) c.lastClientTx = this.now;
    this.emit(end);
    this.schedule(Kind.Data, c, this.now + 1 + Math.round(rng.exp(SEC / c.rate)));
  }

  /** RFC 3948 §2.3: one 0xFF byte on 4500 when the client has sent nothing for its interval (strongSwan's rule). */
  private keepalive(c: Client): void {
    const due = c.lastClientTx + c.keepaliveInterval;
    if (this.now >= due) {
      this.fb.buf[UDP_PAYLOAD] = 0xff;
      // RFC 3948 §2.3: like ESP-in-UDP, the checksum SHOULD be sent as zero.
      const end = this.fb.udp(c.gateway.mac, ROUTER_MAC, this.fromClient(c, IP_PROTO_UDP), c.nattPort, 4500, 1, false);
      c.lastClientTx = this.now;
      this.counts.keepalives++;
      this.emit(end);
    }
    this.schedule(Kind.Keepalive, c, Math.max(this.now + 1, c.lastClientTx + c.keepaliveInterval));
  }

  // ------------------------------------------------------------ background

  private background(f: BackgroundFlow): void {
    const rng = this.rng;
    const b = this.fb.buf;
    let end: number;
    if (f.kind === 'https') {
      const toServer = rng.chance(0.4);
      // NOP, NOP, timestamps: 12 bytes of options.
      const opts = Uint8Array.of(1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0);
      f.tsC = (f.tsC + rng.range(1, 50)) >>> 0;
      new DataView(opts.buffer).setUint32(4, f.tsC);
      new DataView(opts.buffer).setUint32(8, (f.tsC ^ 0x5a5a5a5a) >>> 0);
      // A pure ACK only when the other side sent data since this side's last segment (no
      // duplicate ACKs); the server mostly sends full segments, the client mostly requests.
      const owesAck = toServer ? f.serverSent : f.clientSent;
      const payload = owesAck && rng.chance(toServer ? 0.8 : 0.15) ? 0 : toServer ? rng.range(40, 700) : rng.chance(0.7) ? 1448 : rng.range(60, 1448);
      if (toServer) {
        f.serverSent = false;
        if (payload > 0) f.clientSent = true;
      } else {
        f.clientSent = false;
        if (payload > 0) f.serverSent = true;
      }
      const at = tcpPayloadOffset(opts.length);
      const off = rng.int(POOL_BYTES);
      this.pool.copy(b, at, off, off + payload);
      const seg = {
        srcPort: toServer ? f.clientPort : 443,
        dstPort: toServer ? 443 : f.clientPort,
        seq: toServer ? f.seqC : f.seqS,
        ack: toServer ? f.seqS : f.seqC,
        flags: payload > 0 ? 0x18 : 0x10,
        window: toServer ? 501 : 235,
        options: opts,
      };
      if (toServer) f.seqC = (f.seqC + payload) >>> 0;
      else f.seqS = (f.seqS + payload) >>> 0;
      const ip: IpParams = toServer
        ? { src: f.clientIp, dst: f.serverIp, proto: IP_PROTO_TCP, id: (f.ipIdC = (f.ipIdC + 1) & 0xffff), ttl: 52, dontFragment: true }
        : { src: f.serverIp, dst: f.clientIp, proto: IP_PROTO_TCP, id: (f.ipIdS = (f.ipIdS + 1) & 0xffff), ttl: 64, dontFragment: true };
      end = toServer ? this.fb.tcp(f.serverMac, ROUTER_MAC, ip, seg, payload) : this.fb.tcp(ROUTER_MAC, f.serverMac, ip, seg, payload);
      this.counts.backgroundTcp++;
      this.emit(end);
      this.scheduleFlow(f, this.now + 1 + Math.round(rng.exp(SEC / f.rate)));
      return;
    }
    const response = f.pendingResponse;
    const serverPort = f.kind === 'dns' ? 53 : 123;
    const length = f.kind === 'dns' ? this.dnsMessage(f, response) : this.ntpMessage(response);
    const ip: IpParams = response
      ? { src: f.serverIp, dst: f.clientIp, proto: IP_PROTO_UDP, id: (f.ipIdS = (f.ipIdS + 1) & 0xffff), ttl: 64, dontFragment: false }
      : { src: f.clientIp, dst: f.serverIp, proto: IP_PROTO_UDP, id: (f.ipIdC = (f.ipIdC + 1) & 0xffff), ttl: 52, dontFragment: false };
    end = response
      ? this.fb.udp(ROUTER_MAC, f.serverMac, ip, serverPort, f.clientPort, length, true)
      : this.fb.udp(f.serverMac, ROUTER_MAC, ip, f.clientPort, serverPort, length, true);
    this.counts.backgroundUdp++;
    this.emit(end);
    f.pendingResponse = !response;
    const next = response ? this.now + 1 + Math.round(rng.exp(SEC / f.rate)) : this.now + rng.range(300, 40 * MS);
    this.scheduleFlow(f, next);
  }

  /** A DNS A query or its answer at the UDP payload offset; returns its length. */
  private dnsMessage(f: BackgroundFlow, response: boolean): number {
    const b = this.fb.buf;
    let o = UDP_PAYLOAD;
    if (!response) f.dnsId = (f.dnsId + 1) & 0xffff;
    b.writeUInt16BE(f.dnsId, o);
    b.writeUInt16BE(response ? 0x8180 : 0x0100, o + 2);
    b.writeUInt16BE(1, o + 4);
    b.writeUInt16BE(response ? 1 : 0, o + 6);
    b.writeUInt32BE(0, o + 8);
    o += 12;
    for (const label of DNS_NAMES[f.dnsId % DNS_NAMES.length]!.split('.')) {
      b[o++] = label.length;
      o += b.write(label, o, 'latin1');
    }
    b[o++] = 0;
    b.writeUInt16BE(1, o); // A
    b.writeUInt16BE(1, o + 2); // IN
    o += 4;
    if (response) {
      b.writeUInt16BE(0xc00c, o);
      b.writeUInt16BE(1, o + 2);
      b.writeUInt16BE(1, o + 4);
      b.writeUInt32BE(300, o + 6);
      b.writeUInt16BE(4, o + 10);
      b.writeUInt32BE(ipv4(192, 0, 2, 100 + (f.dnsId % 50)), o + 12);
      o += 16;
    }
    return o - UDP_PAYLOAD;
  }

  /** An NTPv4 client request or server reply (48 bytes). */
  private ntpMessage(response: boolean): number {
    const b = this.fb.buf;
    const o = UDP_PAYLOAD;
    b.fill(0, o, o + 48);
    b[o] = response ? 0x24 : 0x23; // LI 0, version 4, mode 4 (server) or 3 (client)
    if (response) {
      b[o + 1] = 2; // stratum
      b[o + 2] = 6;
      b[o + 3] = 0xe9;
    }
    const ntpSeconds = Math.floor(this.now / SEC) + 2_208_988_800;
    const fraction = Math.floor(((this.now % SEC) / SEC) * 4294967296);
    b.writeUInt32BE(ntpSeconds >>> 0, o + 40);
    b.writeUInt32BE(fraction >>> 0, o + 44);
    if (response) {
      b.writeUInt32BE(ntpSeconds >>> 0, o + 32);
      b.writeUInt32BE(fraction >>> 0, o + 36);
    }
    return 48;
  }
}
