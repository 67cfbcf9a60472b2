/**
 * A crafted IKEv1 Main Mode whose packet strings try to inject markup and terminal escapes:
 * a Vendor ID payload holding `<script>window.__pwned=1</script>` and a cleartext ID payload
 * (FQDN) holding ESC `[31m<img src=x onerror=window.__pwned=2>`. The initiator sits behind a
 * NAT (private 192.168.7.20, public 198.51.100.7) so the report draws a NAT column too.
 */
import { ether, ipv4, udp, nonEsp, concat, u8, u16, hex, type Bytes } from '../support/packet-builders.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import { ikeMessage, natd, natdHash, saV1Phase1, vid, VID, P } from '../support/ike-builders.js';

export const SCRIPT_VID = '<script>window.__pwned=1</script>';
export const IMG_ID = '\x1b[31m<img src=x onerror=window.__pwned=2>';

const ascii = (s: string): Bytes => Uint8Array.from(s, (c) => c.charCodeAt(0));

export function hostileMainMode(): Uint8Array {
  const ispi = hex('c0ffee0011223344');
  const rspi = hex('5566778899aabbcc');
  const priv = { address: '192.168.7.20', port: 500 };
  const pub = { address: '198.51.100.7', port: 500 };
  const resp = { address: '203.0.113.9', port: 500 };
  const idPayload = { type: P.ID, body: concat(u8(2), u8(17), u16(500), ascii(IMG_ID)) }; // FQDN, UDP, port 500
  const ke = [{ type: P.KE, body: new Uint8Array(64) }, { type: P.NONCE, body: new Uint8Array(16) }];
  const messages: { fromI: boolean; natt: boolean; bytes: Bytes }[] = [
    { fromI: true, natt: false, bytes: ikeMessage({ ispi, version: 1, exchange: 2, payloads: [saV1Phase1(2), vid(ascii(SCRIPT_VID)), vid(VID.RFC3947)] }) },
    { fromI: false, natt: false, bytes: ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [saV1Phase1(2), vid(VID.RFC3947)] }) },
    {
      fromI: true,
      natt: false,
      bytes: ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [...ke, natd(natdHash('sha1', ispi, rspi, resp.address, 500)), natd(natdHash('sha1', ispi, rspi, priv.address, 500))] }),
    },
    {
      fromI: false,
      natt: false,
      bytes: ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [...ke, natd(natdHash('sha1', ispi, rspi, pub.address, 500)), natd(natdHash('sha1', ispi, rspi, resp.address, 500))] }),
    },
    // Main Mode 5 in clear (crafted: real ones are encrypted), carrying the identity.
    { fromI: true, natt: true, bytes: ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [idPayload, { type: P.HASH, body: new Uint8Array(20) }] }) },
    { fromI: false, natt: true, bytes: ikeMessage({ ispi, rspi, version: 1, exchange: 2, flags: 1, payloads: [{ type: P.ID, body: new Uint8Array(40) }] }) },
  ];
  const records: RecordSpec[] = messages.map((m, i) => {
    const port = m.natt ? 4500 : 500;
    const [src, dst] = m.fromI ? [pub.address, resp.address] : [resp.address, pub.address];
    const payload = m.natt ? nonEsp(m.bytes) : m.bytes;
    return { data: ether(ipv4({ src, dst }, udp(port, port, payload))), tsSec: 1_700_000_000, tsUsec: i * 1000 };
  });
  return writePcap(records);
}
