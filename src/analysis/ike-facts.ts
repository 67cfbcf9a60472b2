import type { IsakmpLayer, IsakmpPayload, Transform } from '../decode/isakmp/types.js';
import type { IkeCarrier, IkeMessageFacts, NatdFact, NatOaFact, VendorIdFact } from './facts.js';
import { toHex } from '../decode/cursor.js';
import { formatIpv4, formatIpv6 } from '../decode/tree.js';
import { NOTIFY } from './exchange-names.js';
import { hexOf } from './hex.js';
import type { VendorIdMatch } from '../decode/isakmp/vendor-ids.js';

const IKEV1_HASH_ATTRIBUTE = 2;
const IKEV1_ENCAPSULATION_MODE = 4;
const IKEV2_FLAG_INITIATOR = 0x08;
const IKEV2_FLAG_RESPONSE = 0x20;
const IKEV1_FLAG_ENCRYPTED = 0x01;
const PAYLOAD_SK = 46;
const PAYLOAD_SKF = 53;
const NAT_D_DRAFT = 130;
/** Drafts before -02 numbered NAT-D 15 (the decoder reads 15 as NAT-D in Main/Aggressive/Quick Mode). */
const NAT_D_EARLY_DRAFT = 15;

/**
 * Vendor IDs repeat across messages and SAs: one shared, frozen fact per (bytes, name, method), so IKE
 * SAs hold references instead of copies. Bounded; past the bound the table starts again.
 */
const MAX_VENDOR_FACTS = 4096;
const vendorFacts = new Map<string, { readonly name: string | undefined; readonly version: string | undefined; readonly nattMethod: string | undefined; readonly fact: VendorIdFact }>();

function vendorIdFact(data: Uint8Array, vendor: VendorIdMatch | undefined): VendorIdFact {
  const hex = hexOf(data);
  const cached = vendorFacts.get(hex);
  if (cached !== undefined && cached.name === vendor?.name && cached.version === vendor?.version && cached.nattMethod === vendor?.nattMethod) return cached.fact;
  const fact: VendorIdFact = Object.freeze({
    hex,
    ...(vendor?.name !== undefined ? { name: vendor.name + (vendor.version ? ` ${vendor.version}` : '') } : {}),
    ...(vendor?.nattMethod !== undefined ? { nattMethod: vendor.nattMethod } : {}),
  });
  if (vendorFacts.size >= MAX_VENDOR_FACTS) vendorFacts.clear();
  vendorFacts.set(hex, { name: vendor?.name, version: vendor?.version, nattMethod: vendor?.nattMethod, fact });
  return fact;
}

function attributeValue(t: Transform, type: number): number | undefined {
  const a = t.attributes.find((x) => x.type === type);
  if (!a || a.value.length === 0 || a.value.length > 4) return undefined;
  let v = 0;
  for (const b of a.value) v = v * 256 + b;
  return v;
}

/**
 * The facts the analysis needs from one ISAKMP layer. Copies every byte array it keeps (SPIs,
 * NAT-D hashes): facts outlive the frame.
 */
export function ikeFacts(layer: IsakmpLayer, carrier: IkeCarrier): IkeMessageFacts | undefined {
  const h = layer.header;
  if (!h || !layer.ikeVersion) return undefined;
  const v = layer.ikeVersion;
  const vendorIds: VendorIdFact[] = [];
  const natd: NatdFact[] = [];
  const natOa: NatOaFact[] = [];
  const phase1Hashes: number[] = [];
  const encapModes: number[] = [];
  const childSpis: { spi: string; protocol: number }[] = [];
  const notifyTypes: number[] = [];
  const deletedSpis: string[] = [];
  let hasSa = false;
  let encrypted = v === 1 && (h.flags & IKEV1_FLAG_ENCRYPTED) !== 0;
  const visit = (p: IsakmpPayload): void => {
    const b = p.body;
    if (p.type === PAYLOAD_SK || p.type === PAYLOAD_SKF) encrypted = true;
    if (!b) return;
    switch (b.kind) {
      case 'vid':
        vendorIds.push(vendorIdFact(b.data, b.vendor));
        break;
      case 'nat_d':
        natd.push({ kind: p.type === NAT_D_DRAFT ? 'v1-draft' : p.type === NAT_D_EARLY_DRAFT ? 'v1-early-draft' : 'v1', hash: Uint8Array.from(b.hash) });
        break;
      case 'nat_oa':
        if (b.address) natOa.push({ payloadType: p.type, address: b.address.length === 4 ? formatIpv4(b.address) : formatIpv6(b.address) });
        break;
      case 'notify':
        notifyTypes.push(b.notifyType);
        if (v === 2 && (b.notifyType === NOTIFY.NAT_DETECTION_SOURCE_IP || b.notifyType === NOTIFY.NAT_DETECTION_DESTINATION_IP))
          natd.push({ kind: b.notifyType === NOTIFY.NAT_DETECTION_SOURCE_IP ? 'v2-source' : 'v2-destination', hash: Uint8Array.from(b.data) });
        break;
      case 'sa':
        hasSa = true;
        for (const prop of b.proposals) {
          if (prop.spi.length === 4 && (prop.protocolId === 3 || prop.protocolId === 2)) childSpis.push({ spi: toHex(prop.spi), protocol: prop.protocolId });
          for (const t of prop.transforms) {
            if (v !== 1) continue;
            if (prop.protocolId === 1) {
              const hash = attributeValue(t, IKEV1_HASH_ATTRIBUTE);
              if (hash !== undefined) phase1Hashes.push(hash);
            } else {
              const mode = attributeValue(t, IKEV1_ENCAPSULATION_MODE);
              if (mode !== undefined) encapModes.push(mode);
            }
          }
        }
        break;
      case 'delete':
        if (b.spiSize > 0 && b.spiSize <= 16) {
          for (let i = 0; i + b.spiSize <= b.spiData.length && deletedSpis.length < 32; i += b.spiSize) deletedSpis.push(toHex(b.spiData.subarray(i, i + b.spiSize)));
        }
        break;
      default:
        break;
    }
  };
  for (const p of layer.payloads) visit(p);
  const ispi = Uint8Array.from(h.ispi);
  const rspi = Uint8Array.from(h.rspi);
  // Two literals rather than a conditional spread (several times slower): the IKEv2 flags sit
  // where they always did, after `flags`.
  if (v === 2) {
    return {
      ikeVersion: v,
      ispi,
      rspi,
      exchangeType: h.exchangeType,
      messageId: h.messageId,
      length: h.length,
      flags: h.flags,
      fromOriginalInitiator: (h.flags & IKEV2_FLAG_INITIATOR) !== 0,
      isResponse: (h.flags & IKEV2_FLAG_RESPONSE) !== 0,
      encrypted,
      carrier,
      vendorIds,
      natd,
      natOa,
      phase1Hashes,
      encapModes,
      childSpis,
      notifyTypes,
      hasSa,
      deletedSpis,
    };
  }
  return {
    ikeVersion: v,
    ispi,
    rspi,
    exchangeType: h.exchangeType,
    messageId: h.messageId,
    length: h.length,
    flags: h.flags,
    encrypted,
    carrier,
    vendorIds,
    natd,
    natOa,
    phase1Hashes,
    encapModes,
    childSpis,
    notifyTypes,
    hasSa,
    deletedSpis,
  };
}
