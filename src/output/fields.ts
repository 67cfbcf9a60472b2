import type { TreeNode } from '../decode/tree.js';
import { formatFieldValue } from './field-format.js';

/**
 * Fields `espy packets -T fields -e` accepts. Each is checked against tshark 4.0's output byte
 * for byte by test/tshark-compat.test.ts; asking for another is a usage error naming these.
 */
export const SUPPORTED_FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len',
  'eth.src', 'eth.dst', 'vlan.id',
  'ip.src', 'ip.dst', 'ip.proto', 'ip.id', 'ip.ttl', 'ip.flags.mf', 'ip.frag_offset', 'ip.checksum.status',
  'ipv6.src', 'ipv6.dst', 'ipv6.nxt',
  'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum.status',
  'tcp.srcport', 'tcp.dstport', 'tcp.checksum.status',
  'esp.spi', 'esp.sequence', 'ah.spi',
  'udpencap.non_esp_marker', 'udpencap.nat_keepalive',
  'isakmp.ispi', 'isakmp.rspi', 'isakmp.nextpayload', 'isakmp.version', 'isakmp.exchangetype', 'isakmp.flags',
  'isakmp.messageid', 'isakmp.length', 'isakmp.typepayload', 'isakmp.vid_bytes', 'isakmp.notify.msgtype',
  'isakmp.notify.data', 'isakmp.ike.nat_hash', 'isakmp.ike.nat_original_address_ipv4', 'isakmp.delete.spi',
] as const;

const SUPPORTED = new Set<string>(SUPPORTED_FIELDS);

export function isSupportedField(name: string): boolean {
  return SUPPORTED.has(name);
}

/** tshark's `-E` options that matter for field output. */
export interface FieldOutputOptions {
  readonly header: boolean;
  readonly separator: string;
  /** Between occurrences of one field. */
  readonly aggregator: string;
  /** Which occurrences: all, first or last (tshark `-E occurrence=a|f|l`). */
  readonly occurrence: 'a' | 'f' | 'l';
  readonly quote: '' | '"' | "'";
}

export const DEFAULT_FIELD_OUTPUT: FieldOutputOptions = { header: false, separator: '\t', aggregator: ',', occurrence: 'a', quote: '' };

/** Collects the requested fields' values from a packet tree, in tree order, tshark style. */
export function extractFields(trees: readonly TreeNode[], names: readonly string[]): string[][] {
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (!index.has(n)) index.set(n, i);
  });
  const values: string[][] = names.map(() => []);
  const walk = (nodes: readonly TreeNode[]): void => {
    for (const node of nodes) {
      if (node.field) {
        const i = index.get(node.field.abbrev);
        if (i !== undefined && node.value !== undefined) values[i]!.push(formatFieldValue(node.field, node.value));
      }
      if (node.children) walk(node.children);
    }
  };
  walk(trees);
  // A name asked twice gets the same values in both columns.
  return names.map((n) => values[index.get(n)!]!);
}

export function renderFieldsLine(values: readonly string[][], opts: FieldOutputOptions): string {
  return values
    .map((occ) => {
      if (occ.length === 0) return '';
      const picked = opts.occurrence === 'f' ? [occ[0]!] : opts.occurrence === 'l' ? [occ[occ.length - 1]!] : occ;
      const joined = picked.join(opts.aggregator);
      return opts.quote ? opts.quote + joined + opts.quote : joined;
    })
    .join(opts.separator);
}

export function renderFieldsHeader(names: readonly string[], opts: FieldOutputOptions): string {
  return names.map((n) => (opts.quote ? opts.quote + n + opts.quote : n)).join(opts.separator);
}
