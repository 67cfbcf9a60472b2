import type { Decoder, Layer, LayerStatus } from '../layer.js';
import { be32, hex8 } from '../bytes.js';
import { cutShort, noteTruncated, snappedBytes } from '../frame-view.js';
import { ipPayloadNext } from '../ip/ip-proto.js';

/** ESP header (RFC 4303): SPI and sequence number; the rest is opaque without keys. */
export interface EspLayer extends Layer {
  readonly proto: 'esp';
  readonly spi: number | undefined;
  readonly sequence: number | undefined;
  /** Bytes after the sequence number (IV, ciphertext, padding, ICV) present in the capture. */
  readonly dataLength: number;
  /** Carried in UDP (RFC 3948) rather than directly in IP. */
  readonly udpEncapsulated: boolean;
}

/** AH (RFC 4302): header fields and ICV; decoding continues with the protected payload. */
export interface AhLayer extends Layer {
  readonly proto: 'ah';
  readonly nextHeader: number | undefined;
  /** The length field: AH length in 32-bit words minus 2. */
  readonly payloadLength: number | undefined;
  readonly spi: number | undefined;
  readonly sequence: number | undefined;
  readonly icvLength: number | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    esp: EspLayer;
    ah: AhLayer;
  }
}

const ESP_HEADER = 8;
const AH_FIXED = 12;

export const decodeEsp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const spi = n >= 4 ? be32(b, 0) : undefined;
  const sequence = n >= 8 ? be32(b, 4) : undefined;
  const prev = ctx.layers[ctx.layers.length - 1];
  const udpEncapsulated = prev?.proto === 'udpencap';
  let status: LayerStatus = 'ok';
  if (n < ESP_HEADER) status = cutShort(ctx, b, offset, ESP_HEADER, 'esp.short', 'ESP header');
  else if (snappedBytes(b, ctx) > 0) {
    noteTruncated(ctx, offset + n);
    status = 'truncated';
  }
  if (spi === 0) {
    ctx.expert('esp.spi_zero', { offset, field: 'esp.spi' });
  } else if (spi !== undefined && spi < 256) {
    ctx.expert('esp.spi_reserved', { offset, field: 'esp.spi', message: `ESP SPI ${hex8(spi)} is in the reserved range 1-255 (RFC 4303 §2.1)` });
  }
  return { layer: { proto: 'esp', offset, length: n, status, spi, sequence, dataLength: Math.max(0, n - ESP_HEADER), udpEncapsulated } };
};

export const decodeAh: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const nextHeader = n >= 1 ? b[0]! : undefined;
  const payloadLength = n >= 2 ? b[1]! : undefined;
  const total = payloadLength === undefined ? AH_FIXED : (payloadLength + 2) * 4;
  const layer = (length: number, status: LayerStatus): AhLayer => ({
    proto: 'ah',
    offset,
    length,
    status,
    nextHeader,
    payloadLength,
    spi: n >= 8 ? be32(b, 4) : undefined,
    sequence: n >= 12 ? be32(b, 8) : undefined,
    icvLength: payloadLength === undefined || total < AH_FIXED ? undefined : total - AH_FIXED,
  });
  if (total < AH_FIXED) {
    ctx.expert('ah.length_invalid', { offset: offset + 1, field: 'ah.length', message: `AH length field ${payloadLength} gives ${total} bytes, less than the ${AH_FIXED}-byte fixed header` });
    return { layer: layer(Math.min(n, AH_FIXED), 'malformed') };
  }
  if (n < total) return { layer: layer(n, cutShort(ctx, b, offset, total, 'ah.short', 'AH header')) };
  const next = ipPayloadNext(ctx, nextHeader!, b.subarray(total), offset + total);
  return next ? { layer: layer(total, 'ok'), next } : { layer: layer(total, 'ok') };
};
