import { MAX_ATTRIBUTES, TS_IPV4_ADDR_RANGE, TS_IPV6_ADDR_RANGE } from './constants.js';
import { NOTIFY } from './notify-types.js';
import { decodeAttributes } from './sa.js';
import type { MessageDecoder, Scope } from './scope.js';
import type { ConfigBody, DeleteBody, NotifyBody, TrafficSelector, TrafficSelectorsBody } from './types.js';

const VALID_SPI_SIZES = new Set([0, 4, 8, 16]);
const TS_HEADER = 8;

/** Notify (IKEv1 11: DOI, protocol, SPI size, type; IKEv2 41: protocol, SPI size, type), then SPI and data. */
export function decodeNotify(m: MessageDecoder, start: number, scope: Scope): NotifyBody {
  const p = m.version === 1 ? start + 4 : start;
  const protocolId = m.u8(p);
  const spiSize = m.u8(p + 1);
  const notifyType = m.u16(p + 2);
  const spiStart = p + 4;
  if (!VALID_SPI_SIZES.has(spiSize)) m.report('isakmp.spi_size_invalid', p + 1, `SPI size ${spiSize}`, 'isakmp.spisize');
  let spi: Uint8Array;
  let data: Uint8Array;
  if (spiStart + spiSize > scope.availEnd) {
    m.short(scope, spiStart, spiSize, 'isakmp.spi_overrun', `SPI of ${spiSize} bytes exceeds the notify payload`, 'isakmp.spi');
    spi = m.view(spiStart, scope.availEnd);
    data = m.view(0, 0);
  } else {
    spi = m.view(spiStart, spiStart + spiSize);
    data = m.view(spiStart + spiSize, scope.availEnd);
    // IKEv2 NAT-D data is SHA-1(SPIs | address | port), always 20 bytes (RFC 7296 §2.23). A cut
    // capture is not the sender's fault: only a complete notify is judged.
    const natd = notifyType === NOTIFY.NAT_DETECTION_SOURCE_IP || notifyType === NOTIFY.NAT_DETECTION_DESTINATION_IP;
    if (m.version === 2 && natd && data.length !== 20 && scope.availEnd === scope.claimedEnd) {
      m.report('isakmp.nat_d_length', spiStart + spiSize, `${notifyType === NOTIFY.NAT_DETECTION_SOURCE_IP ? 'NAT_DETECTION_SOURCE_IP' : 'NAT_DETECTION_DESTINATION_IP'} hash of ${data.length} bytes (SHA-1 has 20)`, 'isakmp.notify.data');
    }
  }
  return m.version === 1
    ? { kind: 'notify', doi: m.u32(start), protocolId, spiSize, notifyType, spi, data }
    : { kind: 'notify', protocolId, spiSize, notifyType, spi, data };
}

/** Delete (IKEv1 12 / IKEv2 42): SPI count × SPI size must fit in the payload. */
export function decodeDelete(m: MessageDecoder, start: number, scope: Scope): DeleteBody {
  const p = m.version === 1 ? start + 4 : start;
  const protocolId = m.u8(p);
  const spiSize = m.u8(p + 1);
  const spiCount = m.u16(p + 2);
  const spiStart = p + 4;
  if (!VALID_SPI_SIZES.has(spiSize)) m.report('isakmp.spi_size_invalid', p + 1, `SPI size ${spiSize}`, 'isakmp.spisize');
  const need = spiSize * spiCount;
  const fits = spiStart + need <= scope.availEnd;
  if (!fits) {
    m.short(scope, spiStart, need, 'isakmp.spi_overrun', `${spiCount} SPIs of ${spiSize} bytes (${need}) exceed the ${Math.max(0, scope.claimedEnd - spiStart)} bytes of the payload`, 'isakmp.delete.spi');
  } else if (spiStart + need < scope.availEnd) {
    m.report('isakmp.extra_data', spiStart + need, `${scope.availEnd - spiStart - need} bytes after the SPIs`, 'isakmp.delete.spi');
  }
  // Keep only whole SPIs.
  const whole = spiSize === 0 ? 0 : Math.floor(Math.min(need, scope.availEnd - spiStart) / spiSize) * spiSize;
  const spiData = m.view(spiStart, spiStart + whole);
  return m.version === 1
    ? { kind: 'delete', doi: m.u32(start), protocolId, spiSize, spiCount, spiData }
    : { kind: 'delete', protocolId, spiSize, spiCount, spiData };
}

/** The SPIs of a Delete payload, as views. */
export function deleteSpis(body: DeleteBody): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (body.spiSize === 0) return out;
  for (let at = 0; at + body.spiSize <= body.spiData.length; at += body.spiSize) out.push(body.spiData.subarray(at, at + body.spiSize));
  return out;
}

/** IKEv1 Attribute payload (type, reserved, identifier) or IKEv2 CP (type, 3 reserved), then attributes. */
export function decodeConfig(m: MessageDecoder, start: number, scope: Scope): ConfigBody {
  const cfgType = m.u8(start);
  const attributes = decodeAttributes(m, start + 4, scope, 'isakmp.cfg.attr');
  return m.version === 1
    ? { kind: 'config', cfgType, identifier: m.u16(start + 2), attributes }
    : { kind: 'config', cfgType, attributes };
}

/** IKEv2 TSi/TSr: number of selectors, 3 reserved, then that many selectors (bounded by the bytes). */
export function decodeTrafficSelectors(m: MessageDecoder, start: number, scope: Scope): TrafficSelectorsBody {
  const count = m.u8(start);
  const selectors: TrafficSelector[] = [];
  let pos = start + 4;
  let complete = true;
  for (let i = 0; i < count && selectors.length < MAX_ATTRIBUTES; i++) {
    complete = false;
    if (scope.availEnd - pos < TS_HEADER) {
      if (pos >= scope.availEnd && !(pos < scope.claimedEnd && scope.cut)) {
        m.report('isakmp.selector_length_invalid', pos, `Payload announces ${count} traffic selectors, only ${i} fit`, 'isakmp.ts.number');
      } else {
        m.short(scope, pos, TS_HEADER, 'isakmp.selector_length_invalid', `${scope.availEnd - pos} bytes left: no room for a traffic selector`, 'isakmp.ts.selector_length');
      }
      break;
    }
    const tsType = m.u8(pos);
    const length = m.u16(pos + 2);
    const addrLen = tsType === TS_IPV4_ADDR_RANGE ? 4 : tsType === TS_IPV6_ADDR_RANGE ? 16 : 0;
    const min = TS_HEADER + 2 * addrLen;
    const head = { offset: m.base + pos, tsType, protocolId: m.u8(pos + 1), length, startPort: m.u16(pos + 4), endPort: m.u16(pos + 6) };
    if (length < min || (addrLen && length !== min)) {
      m.report('isakmp.selector_length_invalid', pos + 2, `Selector length ${length} for type ${tsType} (expected ${addrLen ? min : `at least ${min}`})`, 'isakmp.ts.selector_length');
      selectors.push({ ...head, start: m.view(0, 0), end: m.view(0, 0), status: 'malformed' });
      break;
    }
    if (pos + length > scope.availEnd) {
      const status = m.short(scope, pos, length, 'isakmp.selector_length_invalid', `Selector length ${length} exceeds the ${scope.availEnd - pos} bytes left`, 'isakmp.ts.selector_length');
      selectors.push({ ...head, start: m.view(0, 0), end: m.view(0, 0), status });
      break;
    }
    const a = pos + TS_HEADER;
    selectors.push({ ...head, start: m.view(a, a + addrLen), end: m.view(a + addrLen, a + 2 * addrLen), status: 'ok' });
    pos += length;
    complete = true;
  }
  if (complete && pos < scope.availEnd) {
    m.report('isakmp.extra_data', pos, `${scope.availEnd - pos} bytes after the ${count} traffic selectors`, 'isakmp.ts.data');
  }
  return { kind: 'ts', count, selectors };
}
