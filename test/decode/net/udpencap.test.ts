import { describe, expect, it } from 'vitest';
import { concat, hex, ipv4, udp, esp, isakmp, nonEsp, nonIke, keepalive, ether } from '../../support/packet-builders.js';
import { DEFAULT_DECODE_CONFIG, type DecodeConfig } from '../../../src/decode/layer.js';
import type { UdpEncapLayer } from '../../../src/decode/transport/udpencap.js';
import { decodeNetRest, fieldValues, frameOf, infoOf, newState, treeText } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const ike = isakmp();
const decode = (sport: number, dport: number, payload: Uint8Array, config: DecodeConfig = DEFAULT_DECODE_CONFIG, originalLength?: number) => {
  const data = ipv4(udp(sport, dport, payload, { checksum: 0 }));
  return decodeNetRest(frameOf(data, { linkType: 228, ...(originalLength ? { originalLength } : {}) }), config, newState(config));
};
const run = (...a: Parameters<typeof decode>) => decode(...a).packet;
/** How the bytes left by the network decoders were handed to ISAKMP ('port' / 'shape'), if they were. */
const isakmpBy = (...a: Parameters<typeof decode>) => {
  const rest = decode(...a).rest;
  return rest?.proto === 'isakmp' ? rest.recognisedBy : undefined;
};
const summary = (p: ReturnType<typeof run>) => {
  const encap = p.layers.find((l) => l.proto === 'udpencap') as UdpEncapLayer | undefined;
  return {
    layers: p.layers.slice(2).map((l) => l.proto),
    kind: encap?.kind,
    status: encap?.status,
    expert: p.expert.map((e) => e.id),
  };
};

describe('UDP 4500 (NAT-T port) classification, RFC 3948', () => {
  it('one octet 0xFF: NAT-keepalive (chat), udpencap.nat_keepalive like tshark', () => {
    const p = run(4500, 4500, keepalive());
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'keepalive', status: 'ok', expert: ['udpencap.nat_keepalive'] });
    expect(fieldValues(p, ['udpencap.nat_keepalive'])).toEqual(['1']);
    expect(infoOf(p)).toBe('NAT-keepalive');
  });

  it('one octet other than 0xFF: keepalive with a bad value', () => {
    const p = run(4500, 4500, hex('00'));
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'keepalive', status: 'ok', expert: ['udpencap.keepalive_bad_value'] });
    expect(fieldValues(p, ['udpencap.nat_keepalive'])).toEqual(['']);
  });

  it('several 0xFF octets: keepalive with a bad length', () => {
    for (const n of [2, 3, 5]) expect(summary(run(4500, 4500, new Uint8Array(n).fill(0xff))).expert).toEqual(['udpencap.keepalive_bad_length']);
  });

  it('2-3 octets: too short for anything', () => {
    for (const b of [hex('00 00'), hex('12 34 56')]) {
      expect(summary(run(4500, 4500, b))).toEqual({ layers: ['udpencap'], kind: 'invalid', status: 'malformed', expert: ['udpencap.short'] });
    }
  });

  it('an empty datagram on a NAT-T port is reported, no udpencap layer (tshark)', () => {
    const p = run(4500, 4500, new Uint8Array());
    expect(summary(p)).toEqual({ layers: [], kind: undefined, status: undefined, expert: ['udpencap.short'] });
  });

  it('non-ESP marker + IKE: hands the bytes after the marker to isakmp', () => {
    const p = run(4500, 4500, nonEsp(ike));
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'ike', status: 'ok', expert: [] });
    expect(fieldValues(p, ['udpencap.non_esp_marker'])).toEqual(['1']);
    expect(isakmpBy(4500, 4500, nonEsp(ike))).toBe('port');
    expect(decode(4500, 4500, nonEsp(ike)).rest?.data.length).toBe(ike.length);
  });

  it('marker with nothing, too little, or an ISAKMP length < 28 after it: marker_without_ike', () => {
    const zeroLength = nonEsp(ike).slice();
    zeroLength.fill(0, 28, 32);
    for (const b of [hex('00 00 00 00'), hex('00 00 00 00 01 02 03 04 05 06'), zeroLength]) {
      const p = run(4500, 4500, b);
      expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'ike', status: 'malformed', expert: ['udpencap.marker_without_ike'] });
      expect(fieldValues(p, ['udpencap.non_esp_marker'])).toEqual(['1']);
    }
  });

  it('a marker + IKE cut by the snap length is truncated, not malformed', () => {
    const payload = nonEsp(ike);
    const p = run(4500, 4500, payload.subarray(0, 2), DEFAULT_DECODE_CONFIG, 20 + 8 + payload.length);
    expect(summary(p).kind).toBe('unknown');
    expect(summary(p).status).toBe('truncated');
  });

  it('anything else is ESP (the udpencap layer is 0 bytes long)', () => {
    const p = run(4500, 4500, esp(0xf4dc0ae5, 1));
    expect(summary(p)).toEqual({ layers: ['udpencap', 'esp'], kind: 'esp', status: 'ok', expert: [] });
    expect(p.layers[2]!.length).toBe(0);
    expect(fieldValues(p, ['esp.spi', 'esp.sequence'])).toEqual(['0xf4dc0ae5', '1']);
  });

  it('ESP SPI 1-255 is reserved (note)', () => {
    expect(summary(run(4500, 4500, esp(1, 1))).expert).toEqual(['esp.spi_reserved']);
  });

  it('ESP shorter than SPI + sequence is malformed', () => {
    const p = run(4500, 4500, hex('11 22 33 44 55'));
    expect(summary(p).expert).toEqual(['esp.short']);
    expect(p.layers.at(-1)!.status).toBe('malformed');
  });

  it('an ISAKMP header without the marker is read as ESP (tshark) and reported', () => {
    const p = run(4500, 4500, ike);
    expect(summary(p)).toEqual({ layers: ['udpencap', 'esp'], kind: 'esp', status: 'ok', expert: ['udpencap.marker_missing'] });
  });

  it('ports come from the configuration, either side, lower port first', () => {
    const cfg: DecodeConfig = { ...DEFAULT_DECODE_CONFIG, nattPorts: [14500], ikePorts: [10500] };
    expect(summary(run(4500, 4500, keepalive(), cfg)).layers).toEqual(['udpencap']); // shape heuristic (not port)
    expect((run(4500, 4500, keepalive(), cfg).layers[2] as UdpEncapLayer).role).toBe('shape');
    expect(summary(run(14500, 33000, esp(0x1234, 1), cfg)).layers).toEqual(['udpencap', 'esp']);
    expect(summary(run(33000, 14500, esp(0x1234, 1), cfg)).layers).toEqual(['udpencap', 'esp']);
    expect(summary(run(4500, 4500, esp(0x1234, 1), cfg)).layers).toEqual([]);
    // 500 -> 4500: the lower port (IKE) wins when ISAKMP accepts the payload, else the NAT-T port.
    expect(isakmpBy(4500, 500, ike)).toBe('port');
    expect(summary(run(500, 4500, nonEsp(ike))).layers).toEqual(['udpencap']);
  });

  it('decodes every prefix of each kind without throwing', () => {
    for (const payload of [keepalive(), nonEsp(ike), esp(0x1234, 9), hex('00 00 00'), ike]) {
      expectEveryPrefixDecodes(ether(ipv4(udp(4500, 4500, payload))), 1);
    }
  });
});

describe('UDP 500 (IKE port)', () => {
  it('ISAKMP goes to isakmp when a header is there and its length field is ≥ 28 (tshark)', () => {
    expect(summary(run(500, 500, ike)).layers).toEqual([]);
    expect(isakmpBy(500, 500, ike)).toBe('port');
    expect(isakmpBy(12345, 500, isakmp({ ispi: new Uint8Array(8) }))).toBe('port');
    expect(isakmpBy(500, 500, isakmp().subarray(0, 27))).toBeUndefined();
  });
  it('a keepalive on 500 is reported (RFC 3947 §4) and not shown as udpencap.nat_keepalive (tshark)', () => {
    const p = run(500, 500, keepalive());
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'keepalive', status: 'ok', expert: ['udpencap.nat_keepalive', 'udpencap.keepalive_on_ike_port'] });
    expect(fieldValues(p, ['udpencap.nat_keepalive'])).toEqual(['']);
  });
  it('the draft non-IKE marker (8 zero octets) is followed by ESP', () => {
    const p = run(500, 500, nonIke(esp(0x1234, 1)));
    expect(summary(p)).toEqual({ layers: ['udpencap', 'esp'], kind: 'non_ike', status: 'ok', expert: ['udpencap.non_ike_marker'] });
    expect(fieldValues(p, ['udpencap.non_ike_marker', 'esp.spi'])).toEqual(['1', '0x00001234']);
  });
  it('short garbage on 500 is not handed to anyone', () => {
    expect(summary(run(500, 500, hex('01 02 03')))).toEqual({ layers: [], kind: undefined, status: undefined, expert: [] });
  });
});

describe('other ports: shape heuristics', () => {
  it('marker + plausible ISAKMP header on a custom port: udpencap by shape, and the tree says so', () => {
    const p = run(40001, 40002, nonEsp(ike));
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'ike', status: 'ok', expert: [] });
    expect(p.layers[2]!.recognisedBy).toBe('shape');
    expect(treeText(p)).toContain('[Recognised by shape, not by port]');
    expect(treeText(p)).toContain('[Payload recognised by shape, not by port: udpencap]');
  });
  it('a lone 0xFF is a keepalive by shape', () => {
    const p = run(40001, 40002, keepalive());
    expect(summary(p)).toEqual({ layers: ['udpencap'], kind: 'keepalive', status: 'ok', expert: ['udpencap.nat_keepalive'] });
  });
  it('a plausible ISAKMP header filling the payload goes to isakmp by shape', () => {
    expect(isakmpBy(40001, 40002, ike)).toBe('shape');
    expect(isakmpBy(40001, 40002, nonEsp(ike))).toBe('shape');
    expect(isakmpBy(40001, 40002, concat(ike, hex('00')))).toBeUndefined();
  });
  it('implausible payloads stay undecoded; heuristics can be switched off', () => {
    expect(summary(run(40001, 40002, nonEsp(hex('01 02 03 04 05 06 07 08'))))).toEqual({ layers: [], kind: undefined, status: undefined, expert: [] });
    expect(summary(run(40001, 40002, hex('ff ff')))).toEqual({ layers: [], kind: undefined, status: undefined, expert: [] });
    const off: DecodeConfig = { ...DEFAULT_DECODE_CONFIG, heuristics: false };
    expect(summary(run(40001, 40002, nonEsp(ike), off)).layers).toEqual([]);
    expect(summary(run(40001, 40002, keepalive(), off)).layers).toEqual([]);
  });
});
