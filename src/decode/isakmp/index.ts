import type { IsakmpLayer } from './types.js';

declare module '../layer.js' {
  interface LayerMap {
    isakmp: IsakmpLayer;
  }
}

export { decodeIsakmp, decodeIsakmpLayer } from './decode.js';
export { ISAKMP_DESCRIBERS, isakmpInfo } from './describe.js';
export { ISAKMP_FIELDS } from './fields.js';
export { ISAKMP_EXPERT, type IsakmpExpertId } from './expert.js';
export { identifyVendorId, NATT_VID_LABELS, type VendorIdMatch } from './vendor-ids.js';
export { attributeValue } from './sa.js';
export { deleteSpis } from './payloads-ext.js';
export { looksLikeIsakmp } from './shape.js';
export { PAYLOAD, FLAG_V1, FLAG_V2 } from './constants.js';
export { EXCHANGE, exchangeName, IKEV1_EXCHANGE_MESSAGES } from './exchanges.js';
export { HASH, IKE_HASH_SIZE, IKEV1_HASH_ALGORITHMS, DIGEST_BYTES, type DigestAlgorithm } from './hashes.js';
export { ENCAP_MODE } from './names-attrs.js';
export { notifyTypeName, NOTIFY } from './notify-types.js';
export type * from './types.js';
