import { endpointKey } from '../analysis/facts.js';
import type { SaContext } from './context.js';
import { eachSide, fail, notSeen, other, pass, type Judgement, type SideJudgements } from './judge.js';
import type { Level } from './requirements.js';

/**
 * A18 / C9: when a packet of the SA (an IKE message, or ESP with a new sequence number) arrives
 * from a new IP:port, the peer not behind a NAT switches to it (RFC 3947 §7: "the last valid UDP
 * encapsulated IKE or IPsec packet"; RFC 7296 §2.23); a peer behind a NAT does not. ESP integrity
 * cannot be checked without keys: a new sequence number on the SA's SPI stands for "valid".
 */
function followsMappingChanges(ctx: SaContext, notFollowLevel: Level): SideJudgements {
  if (ctx.changes.length === 0) return eachSide(() => notSeen('no mapping change of the other peer in this SA'));
  return eachSide((role) => {
    const seen = ctx.changes.filter((c) => other(c.mover) === role);
    if (seen.length === 0) return notSeen(`the other peer never appeared from a new address or port`);
    const results: Judgement[] = [];
    for (const { change: c, mover } of seen) {
      const moved = `the ${mover} moved from ${endpointKey(c.old)} to ${endpointKey(c.now)} (frame ${c.frame}, ${c.via === 'esp' ? 'ESP' : 'IKE'})`;
      const toOldFirst = c.firstToOld !== undefined && (c.firstToNew === undefined || c.firstToOld < c.firstToNew);
      const toNewFirst = c.firstToNew !== undefined && !toOldFirst;
      const later = c.firstToNew !== undefined && toOldFirst ? `; it switched at frame ${c.firstToNew}` : '';
      if (c.firstToOld === undefined && c.firstToNew === undefined) {
        results.push(notSeen(`${moved}; this peer sent nothing to either afterwards`, [c.frame]));
        continue;
      }
      const side = ctx.natSide[role];
      if (side === 'not-behind-nat') {
        results.push(toOldFirst ? fail(`${moved}; this peer, not behind a NAT, still sent to the old mapping at frame ${c.firstToOld}${later}`, [c.frame, c.firstToOld!], 'SHOULD') : pass(`${moved}; followed at frame ${c.firstToNew}`, [c.frame, c.firstToNew!]));
      } else if (side === 'behind-nat') {
        results.push(toNewFirst ? fail(`${moved}; this peer is behind a NAT and switched to the new address at frame ${c.firstToNew}`, [c.frame, c.firstToNew!], notFollowLevel) : pass(`${moved}; behind a NAT, it kept the address it knew`, [c.frame, c.firstToOld!]));
      } else {
        const what = toOldFirst ? `kept sending to the old mapping (frame ${c.firstToOld})${later}` : `followed at frame ${c.firstToNew}`;
        results.push(notSeen(`${moved}; this peer ${what}, but whether it is behind a NAT (which decides what it should do) is not known`, [c.frame, ...(c.firstToOld !== undefined ? [c.firstToOld] : []), ...(c.firstToNew !== undefined ? [c.firstToNew] : [])]));
      }
    }
    return results.find((r) => r.outcome === 'fail') ?? results.find((r) => r.outcome === 'pass') ?? results[0]!;
  });
}

export function checkA18(ctx: SaContext): SideJudgements {
  return followsMappingChanges(ctx, 'MUST NOT');
}

export function checkC9(ctx: SaContext): SideJudgements {
  return followsMappingChanges(ctx, 'SHOULD NOT');
}
