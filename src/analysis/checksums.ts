import type { PacketFacts } from './facts.js';
import type { FindingSink } from './finding-sink.js';

interface HostChecksums {
  ipBad: number[];
  udpBad: number[];
  udpBadCount: number;
  tcpBad: number[];
  tcpBadCount: number;
  offload: number[];
  offloadCount: number;
  udpGoodWithBad: number;
  encapBad: number[];
}

/**
 * Tells corruption from capture artefacts: a UDP/TCP checksum field holding only the folded
 * pseudo-header sum is what a host with checksum offload hands the NIC, so it is reported once
 * per host as offload rather than as thousands of errors. Bounded per host and in hosts.
 */
export class ChecksumTracker {
  private readonly hosts = new Map<string, HostChecksums>();

  constructor(private readonly maxHosts = 10_000) {}

  update(p: PacketFacts): void {
    const ipBad = p.ipChecksum === 'bad';
    const udpBad = p.udp?.checksumStatus === 'bad';
    const tcpBad = p.tcpChecksum === 'bad';
    if (!ipBad && !udpBad && !tcpBad) return;
    let h = this.hosts.get(p.src.address);
    if (!h) {
      if (this.hosts.size >= this.maxHosts) return;
      h = { ipBad: [], udpBad: [], udpBadCount: 0, tcpBad: [], tcpBadCount: 0, offload: [], offloadCount: 0, udpGoodWithBad: 0, encapBad: [] };
      this.hosts.set(p.src.address, h);
    }
    const push = (list: number[]): void => {
      if (list.length < 16) list.push(p.frame);
    };
    if (ipBad && p.ipChecksumValue === 0) {
      // A zero IPv4 header checksum from the capturing host: left for the NIC (offload).
      h.offloadCount++;
      push(h.offload);
    } else if (ipBad) push(h.ipBad);
    if (udpBad && p.udp) {
      if (p.udp.checksum === p.udp.pseudoHeaderSum) {
        h.offloadCount++;
        push(h.offload);
      } else if (p.encap?.kind === 'esp' || p.encap?.kind === 'keepalive') {
        push(h.encapBad);
      } else {
        h.udpBadCount++;
        push(h.udpBad);
        if (!ipBad && p.ipVersion === 4) h.udpGoodWithBad++;
      }
    }
    if (tcpBad) {
      h.tcpBadCount++;
      push(h.tcpBad);
    }
  }

  report(findings: FindingSink): void {
    for (const [host, h] of this.hosts) {
      if (h.ipBad.length) findings.add('checksum.ipv4_bad', host, h.ipBad, `Bad IPv4 header checksum in packets from ${host}`);
      if (h.offloadCount) findings.add('checksum.offload', host, h.offload, `${h.offloadCount} packet(s) from ${host} carry a checksum left for the NIC (zero IPv4 header checksum, or only the pseudo-header sum in UDP/TCP): checksum offload on the capturing host, not corruption`);
      if (h.encapBad.length) findings.add('udpencap.checksum_bad', host, h.encapBad, `UDP-encapsulated ESP from ${host} with a wrong non-zero UDP checksum`);
      if (h.udpBadCount) {
        const rewritten = h.udpGoodWithBad === h.udpBadCount;
        findings.add(
          rewritten ? 'checksum.rewritten' : 'checksum.udp_bad',
          host,
          h.udpBad,
          rewritten
            ? `${h.udpBadCount} packet(s) from ${host} have a bad UDP checksum while the IPv4 header checksum is good: addresses or payload changed after the sender computed it (a NAT that does not fix checksums, or an edited capture)`
            : `${h.udpBadCount} packet(s) from ${host} with a bad UDP checksum`,
        );
      }
      if (h.tcpBadCount) findings.add('checksum.tcp_bad', host, h.tcpBad, `${h.tcpBadCount} packet(s) from ${host} with a bad TCP checksum`);
    }
  }
}
