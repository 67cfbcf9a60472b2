import { endpointKey, type Endpoint } from '../analysis/facts.js';
import { endpointsOf, pairKey, type SaContext, type SideFlow } from './context.js';
import { eachSide, fail, framesText, notSeen, pass, type Judgement, type SideJudgements } from './judge.js';
import type { EncapFlow } from './model.js';
import type { Role } from './requirements.js';

const flowsOf = (ctx: SaContext, role: Role, ...kinds: EncapFlow['kind'][]): EncapFlow[] => ctx.flows.filter((f) => f.from === role && kinds.includes(f.flow.kind)).map((f: SideFlow) => f.flow);
const count = (flows: readonly EncapFlow[]): number => flows.reduce((n, f) => n + f.packets, 0);
const firstFrames = (flows: readonly EncapFlow[]): number[] => flows.map((f) => f.firstFrame);
const portPair = (src: { port: number }, dst: { port: number }): string => `${src.port}→${dst.port}`;

/**
 * An endpoint as it was before the peer's NAT moved it (mapping changes of this SA): ports at the
 * capture point that a NAT changed are not the sender's choice.
 */
function canonical(ctx: SaContext, e: Endpoint): Endpoint {
  let at = e;
  for (let i = 0; i < 8; i++) {
    const c = ctx.changes.find((x) => x.change.now.address === at.address && x.change.now.port === at.port);
    if (!c) break;
    at = c.change.old;
  }
  return at;
}

const pairOf = (ctx: SaContext, src: Endpoint, dst: Endpoint): string => portPair(canonical(ctx, src), canonical(ctx, dst));

/** Port pairs this side's IKE used. */
function ikePortPairs(ctx: SaContext, role: Role): Set<string> {
  return new Set(ctx.messages.filter((m) => m.fromInitiator === (role === 'initiator')).map((m) => pairOf(ctx, m.src, m.dst)));
}

export function checkB1(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const esp = flowsOf(ctx, role, 'esp-udp', 'esp-raw');
    if (esp.length === 0) return notSeen('no ESP from this peer in the capture');
    const zero = esp.filter((f) => f.spi === 0);
    if (zero.length) return fail(`${count(zero)} ESP packet(s) with SPI 0`, zero.flatMap((f) => f.frames));
    const reserved = esp.filter((f) => f.spi !== undefined && f.spi < 256);
    return pass(`${count(esp)} ESP packet(s), SPI${esp.length > 1 ? 's' : ''} ${[...new Set(esp.map((f) => `0x${f.spi!.toString(16).padStart(8, '0')}`))].slice(0, 4).join(', ')}${reserved.length ? ' (SPI below 256 is reserved by RFC 4303)' : ''}`, firstFrames(esp));
  });
}

export function checkB2(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const esp = flowsOf(ctx, role, 'esp-udp');
    if (esp.length === 0) return notSeen('no UDP-encapsulated ESP from this peer');
    const ike = ikePortPairs(ctx, role);
    if (ike.size === 0) return notSeen('no IKE from this peer to compare the ports with');
    const off = esp.filter((f) => !ike.has(pairOf(ctx, f.src, f.dst)));
    if (off.length) return fail(`ESP-in-UDP on ports ${portPair(off[0]!.src, off[0]!.dst)}; this peer's IKE used ${[...ike].join(', ')}`, off.flatMap((f) => f.frames.slice(0, 2)));
    return pass(`ESP-in-UDP on the IKE ports ${[...new Set(esp.map((f) => portPair(f.src, f.dst)))].join(', ')}`, firstFrames(esp));
  });
}

export function checkB3(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const all = flowsOf(ctx, role, 'esp-udp', 'keepalive');
    const v4 = all.filter((f) => f.ipv4);
    if (v4.length === 0) return notSeen(all.length ? 'IPv6 only: a UDP checksum is required there' : 'no ESP-in-UDP or keepalive from this peer');
    const nonZero = v4.filter((f) => f.checksumNonZero > 0);
    if (nonZero.length) {
      const n = nonZero.reduce((s, f) => s + f.checksumNonZero, 0);
      const kinds = [...new Set(nonZero.map((f) => (f.kind === 'keepalive' ? 'keepalives' : 'ESP-in-UDP')))].join(' and ');
      return fail(`${n} of ${count(v4)} ESP-in-UDP / keepalive packet(s) carry a non-zero UDP checksum (${kinds})`, nonZero.flatMap((f) => f.checksumNonZeroFrames.slice(0, 2)));
    }
    return pass(`${count(v4)} packet(s), UDP checksum 0`, firstFrames(v4));
  });
}

/** B4 / C10: IKE on the NAT-T port always behind the non-ESP marker, and the marker always before IKE. */
export function checkMarker(ctx: SaContext): SideJudgements {
  const endpoints = { initiator: endpointsOf(ctx.sa, 'initiator'), responder: endpointsOf(ctx.sa, 'responder') };
  return eachSide((role) => {
    const onNatt = ctx.messages.filter((m) => m.onNattPort && m.fromInitiator === (role === 'initiator'));
    const missing = ctx.sa.markerMissing.filter((m) => endpoints[role].has(endpointKey(m.src)) || (role === 'initiator' ? ctx.sa.initiator?.address === m.src.address : ctx.sa.responder?.address === m.src.address));
    const stray = ctx.markerWithoutIke.filter((m) => m.from === role);
    if (missing.length) return fail(`IKE on UDP ${portPair(missing[0]!.src, missing[0]!.dst)} without the non-ESP marker (read as ESP)`, missing.map((m) => m.frame));
    if (stray.length) return fail('non-ESP marker not followed by an IKE header', stray.map((m) => m.frame));
    if (onNatt.length === 0) return notSeen('this peer sent no IKE on the NAT-T port');
    return pass(`${onNatt.length} IKE message(s) on the NAT-T port, each behind the marker`, [onNatt[0]!.frame]);
  });
}

export function checkB5(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const ka = flowsOf(ctx, role, 'keepalive');
    if (ka.length === 0) return notSeen('no NAT-keepalive from this peer');
    const bad = ka.filter((f) => f.badKeepalives > 0);
    if (bad.length) return fail(`${bad.reduce((n, f) => n + f.badKeepalives, 0)} keepalive(s) not exactly one octet 0xFF`, bad.flatMap((f) => f.badKeepaliveFrames));
    const used = new Set([...ikePortPairs(ctx, role), ...flowsOf(ctx, role, 'esp-udp').map((f) => pairOf(ctx, f.src, f.dst))]);
    const stray = ka.filter((f) => !used.has(pairOf(ctx, f.src, f.dst)));
    if (stray.length) return fail(`keepalives on ports ${portPair(stray[0]!.src, stray[0]!.dst)}, which the SA's IKE and ESP never used`, stray.flatMap((f) => f.frames.slice(0, 2)));
    return pass(`${count(ka)} keepalive(s), one octet 0xFF each, on ${[...new Set(ka.map((f) => portPair(f.src, f.dst)))].join(', ')}`, firstFrames(ka));
  });
}

export function checkA13(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const ka = flowsOf(ctx, role, 'keepalive');
    if (ka.length === 0) return notSeen('no NAT-keepalive from this peer');
    const to500 = ka.filter((f) => ctx.settings.ikePorts.includes(f.dst.port));
    if (to500.length) return fail(`keepalive(s) to UDP ${to500[0]!.dst.port}`, to500.flatMap((f) => f.frames));
    return pass(`${count(ka)} keepalive(s), none to port 500`, firstFrames(ka));
  });
}

/** A14 (IKEv1 proxy) and C6: ESP is UDP-encapsulated when a NAT is there, and (A14) not when none is. */
function encapMatchesNat(ctx: SaContext, role: Role, judgeNoNat: boolean): Judgement {
  const raw = flowsOf(ctx, role, 'esp-raw');
  const udp = flowsOf(ctx, role, 'esp-udp');
  if (raw.length + udp.length === 0) return notSeen('no ESP from this peer in the capture');
  if (ctx.nat === 'yes') {
    if (raw.length) return fail(`${count(raw)} raw ESP packet(s) (IP protocol 50) although a NAT was detected`, raw.flatMap((f) => f.frames.slice(0, 2)));
    return pass(`${count(udp)} ESP packet(s), all UDP-encapsulated`, firstFrames(udp));
  }
  if (ctx.nat === 'no') {
    if (judgeNoNat && udp.length) return fail(`${count(udp)} UDP-encapsulated ESP packet(s) with no NAT and no forced encapsulation`, firstFrames(udp), 'SHOULD NOT');
    return judgeNoNat ? pass('raw ESP between peers with no NAT', firstFrames(raw)) : notSeen('no NAT between the peers');
  }
  return notSeen('whether a NAT sits between the peers is not known from this capture');
}

export function checkA14(ctx: SaContext): SideJudgements {
  return eachSide((role) => encapMatchesNat(ctx, role, true));
}

export function checkC6(ctx: SaContext): SideJudgements {
  return eachSide((role) => encapMatchesNat(ctx, role, false));
}

export function checkC7(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const udp = flowsOf(ctx, role, 'esp-udp');
    const on500 = udp.filter((f) => f.onIkePort);
    const bare = ctx.oddIkePort.filter((o) => o.from === role && ctx.knownSpis.has(o.firstWord));
    if (on500.length) return fail(`ESP in UDP ${portPair(on500[0]!.src, on500[0]!.dst)}${on500[0]!.transport === 'udp-500-draft' ? ' (draft non-IKE marker)' : ''}`, on500.flatMap((f) => f.frames.slice(0, 2)));
    if (bare.length) return fail(`UDP ${portPair(bare[0]!.src, bare[0]!.dst)} carries ESP SPI 0x${bare[0]!.firstWord.toString(16).padStart(8, '0')} without a marker`, bare.map((o) => o.frame));
    if (udp.length === 0) return notSeen('no UDP-encapsulated ESP from this peer');
    return pass(`ESP-in-UDP only on ${[...new Set(udp.map((f) => portPair(f.src, f.dst)))].join(', ')}`, firstFrames(udp));
  });
}

/** When the SA was last seen in use: its last IKE message or ESP packet (a loop: an SA may own 100 000 flows). */
function lastUseOf(ctx: SaContext): number {
  let last = ctx.sa.lastTime;
  for (const f of ctx.flows) if (f.flow.kind !== 'keepalive' && f.flow.lastTime > last) last = f.flow.lastTime;
  return last;
}

/** B8: keepalives while the SA is seen in use, or up to N minutes after. */
export function checkB8(ctx: SaContext): SideJudgements {
  const lastUse = lastUseOf(ctx);
  return eachSide((role) => {
    const ka = flowsOf(ctx, role, 'keepalive');
    if (ka.length === 0) return notSeen('no NAT-keepalive from this peer');
    const late = ka.filter((f) => f.lastTime > lastUse + ctx.settings.keepaliveAfterSa);
    if (late.length) return notSeen(`keepalives more than ${ctx.settings.keepaliveAfterSa} s after the SA was last seen in use; whether it still existed is encrypted`, late.map((f) => f.lastFrame));
    return pass(`${count(ka)} keepalive(s) while the SA was in use`, firstFrames(ka));
  });
}

/** B9 / C8: the side behind a NAT keeps its mapping alive: nothing sent for M s means a keepalive is due. */
export function checkKeepaliveDue(ctx: SaContext): SideJudgements {
  const m = ctx.settings.keepaliveInterval;
  const encapsulated = ctx.floatFrame !== undefined || ctx.startedOnNatt;
  return eachSide((role) => {
    const ka = flowsOf(ctx, role, 'keepalive');
    const sent = ka.length ? `; it sent ${count(ka)} keepalive(s)` : '';
    if (ctx.natSide[role] === 'not-behind-nat') return notSeen(`not behind a NAT: keepalives not needed${ka.length ? `; it sent ${count(ka)} anyway (allowed while SAs exist)` : ''}`, firstFrames(ka));
    if (ctx.natSide[role] !== 'behind-nat') return notSeen(`whether this peer is behind a NAT is not known${sent}`, firstFrames(ka));
    if (!encapsulated) return notSeen('the SA never moved to UDP encapsulation');
    // A silence proves a missing keepalive only inside the SA's life (packets of it before and
    // after) and while the capture was running (other frames at least every M seconds).
    const lastUse = lastUseOf(ctx);
    const long = (ctx.activity[role]?.silences ?? []).filter((s) => s.to - s.from > m + 5 && s.from >= ctx.sa.firstTime && s.to <= lastUse);
    const captured = long.filter((s) => ctx.captureGaps !== undefined && !ctx.captureGaps.some((g) => g.to - g.from > m && g.from < s.to && g.to > s.from));
    const s = captured[0];
    if (s) return fail(`behind a NAT and silent for ${(s.to - s.from).toFixed(1)} s (${framesText([s.fromFrame, s.toFrame])}) without a keepalive (M = ${m} s) while the capture saw other traffic`, [s.fromFrame, s.toFrame]);
    if (long[0]) return notSeen(`silent for ${(long[0].to - long[0].from).toFixed(1)} s (${framesText([long[0].fromFrame, long[0].toFrame])}), but so was the whole capture: a gap in the capture cannot be ruled out${sent}`, [long[0].fromFrame, long[0].toFrame]);
    if (ka.length) return pass(`behind a NAT, sent ${count(ka)} keepalive(s); never silent for more than ${m} + 5 s`, firstFrames(ka));
    return notSeen(`behind a NAT, but never silent for ${m} s in the capture: no keepalive was due`);
  });
}

/** B11: several clients behind one public address, each SA's packets go to its own client port. */
export function checkB11(ctx: SaContext): SideJudgements {
  const me = ctx.sa;
  const peers = (ctx.byPair().get(pairKey(me.initiator?.address, me.responder?.address)) ?? []).filter((o) => o !== ctx && o.sa.initiator?.port !== me.initiator?.port && o.sa.firstTime <= me.lastTime && me.firstTime <= o.sa.lastTime);
  if (peers.length === 0) return { responder: notSeen('no other client behind the same public address at the same time') };
  // Where each client really sends from (not where the responder sent to).
  const sources = (sa: SaContext['sa']): Set<string> => new Set(sa.messages.filter((m) => m.fromInitiator).map((m) => endpointKey(m.src)));
  const mine = sources(me);
  const theirs = new Set(peers.flatMap((o) => [...sources(o.sa)]).filter((e) => !mine.has(e)));
  const crossed = [
    ...ctx.messages.filter((m) => !m.fromInitiator && theirs.has(endpointKey(m.dst))).map((m) => m.frame),
    ...ctx.flows.filter((f) => f.from === 'responder' && theirs.has(endpointKey(f.flow.dst))).map((f) => f.flow.firstFrame),
  ];
  if (crossed.length) return { responder: fail(`packets of this SA sent to another client's port behind ${me.initiator?.address}`, crossed) };
  return { responder: pass(`${peers.length + 1} clients behind ${me.initiator?.address} kept apart (ports ${[me, ...peers.map((o) => o.sa)].map((s) => s.initiator?.port).join(', ')})`, [me.firstFrame, ...peers.map((o) => o.sa.firstFrame)]) };
}
