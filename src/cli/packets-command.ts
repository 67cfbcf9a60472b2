import type { Command } from 'commander';
import { CaptureError } from '../capture/frame.js';
import type { Io } from './io.js';
import { UsageError } from './io.js';
import { CaptureNotices } from './capture-notices.js';
import { collect, decodeConfigFrom, parseCount, type DecodeOptionValues, addDecodeOptions } from './options.js';
import { decodeCapture } from '../decode/stream.js';
import { packetTree, treesHolding, type ViewContext } from '../output/packet-tree.js';
import { withoutLabels } from '../decode/tree.js';
import { renderSummaryLine } from '../output/summary.js';
import { renderTreeText } from '../output/tree-text.js';
import { packetToJson } from '../output/packet-json.js';
import { safeJson } from '../output/json.js';
import { compilePacketFilter, FilterError, type PacketPredicate } from '../filter/display-filter.js';
import {
  DEFAULT_FIELD_OUTPUT,
  SUPPORTED_FIELDS,
  extractFields,
  isSupportedField,
  renderFieldsHeader,
  renderFieldsLine,
  type FieldOutputOptions,
} from '../output/fields.js';

interface PacketsOptions extends DecodeOptionValues {
  readonly read?: string;
  readonly verbose?: boolean;
  readonly count?: number;
  readonly outputFormat?: string;
  readonly field?: string[];
  readonly fieldOption?: string[];
  readonly displayFilter?: string;
}

/** Compiles `-Y`; a bad filter is a usage error showing the expression with a caret under the problem. */
export function displayFilterOption<T>(expression: string | undefined, compile: (e: string) => T): T | undefined {
  if (expression === undefined) return undefined;
  try {
    return compile(expression);
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`-Y: ${e.lines().join('\n')}`);
    throw e;
  }
}

/** tshark's `-E` settings: header=y|n, separator=/t|/s|c, aggregator=,|/s|c, occurrence=a|f|l, quote=d|s|n. */
export function parseFieldOptions(settings: readonly string[]): FieldOutputOptions {
  let o: FieldOutputOptions = DEFAULT_FIELD_OUTPUT;
  const unslash = (v: string): string => (v === '/t' ? '\t' : v === '/s' ? ' ' : v);
  for (const s of settings) {
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    const value = eq < 0 ? '' : s.slice(eq + 1);
    switch (key) {
      case 'header':
        if (value !== 'y' && value !== 'n') throw new UsageError(`-E header takes y or n, not '${value}'`);
        o = { ...o, header: value === 'y' };
        break;
      case 'separator':
        o = { ...o, separator: unslash(value) };
        break;
      case 'aggregator':
        o = { ...o, aggregator: unslash(value) };
        break;
      case 'occurrence':
        if (value !== 'a' && value !== 'f' && value !== 'l') throw new UsageError(`-E occurrence takes a, f or l, not '${value}'`);
        o = { ...o, occurrence: value };
        break;
      case 'quote':
        if (value !== 'd' && value !== 's' && value !== 'n') throw new UsageError(`-E quote takes d, s or n, not '${value}'`);
        o = { ...o, quote: value === 'd' ? '"' : value === 's' ? "'" : '' };
        break;
      default:
        throw new UsageError(`unknown -E setting '${key}' (header, separator, aggregator, occurrence, quote)`);
    }
  }
  return o;
}

type Renderer = { header?: string; render: (packet: Parameters<typeof renderSummaryLine>[0], view: ViewContext) => string[] };

function chooseRenderer(opts: PacketsOptions): Renderer {
  const format = opts.outputFormat ?? (opts.field?.length ? 'fields' : 'text');
  if (format === 'fields') {
    const names = opts.field ?? [];
    if (names.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
    const unknown = names.filter((n) => !isSupportedField(n));
    if (unknown.length) throw new UsageError(`unsupported field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; supported: ${SUPPORTED_FIELDS.join(' ')}`);
    const fo = parseFieldOptions(opts.fieldOption ?? []);
    // Only the trees that can hold the fields asked for, and without labels.
    const trees = treesHolding(names);
    return {
      ...(fo.header ? { header: renderFieldsHeader(names, fo) } : {}),
      render: (p, view) => [renderFieldsLine(extractFields(withoutLabels(() => packetTree(p, view, trees)), names), fo)],
    };
  }
  if (opts.field?.length) throw new UsageError('-e is only valid with -T fields');
  if (format === 'json') return { render: (p, view) => [safeJson(packetToJson(p, view))] };
  if (format !== 'text') throw new UsageError(`-T takes text, fields or json, not '${format}'`);
  if (opts.verbose) return { render: (p, view) => [...renderTreeText(packetTree(p, view)), ''] };
  return { render: (p, view) => [renderSummaryLine(p, view)] };
}

export function packetsCommand(program: Command, io: Io): Command {
  return addDecodeOptions(program
    .command('packets')
    .description('decode packets: tshark-style summary lines, a detail tree (-V), fields (-T fields) or JSON')
    .argument('[capture]', 'capture file (pcap, pcapng, optionally gzip-compressed); - for standard input')
    .option('-r, --read <file>', 'capture file to read (same as the positional argument)')
    .option('-V, --verbose', 'print the full layer tree of each packet')
    .option('-c, --count <n>', 'stop after reading N packets', parseCount)
    .option('-Y, --display-filter <filter>', "show only packets matching a Wireshark display filter: 'isakmp && ip.src == 10.0.0.0/8'")
    .option('-T, --output-format <format>', 'text, fields or json (one JSON object per packet)')
    .option('-e, --field <field>', 'field to print with -T fields (repeatable)', collect)
    .option('-E, --field-option <setting>', 'fields output setting: header=y, separator=/t, aggregator=, , occurrence=a, quote=n', collect))
    .action(async (capture: string | undefined, opts: PacketsOptions) => {
      const source = resolveSource(capture, opts.read);
      const renderer = chooseRenderer(opts);
      const filter: PacketPredicate | undefined = displayFilterOption(opts.displayFilter, compilePacketFilter);
      const config = decodeConfigFrom(opts);
      if (renderer.header !== undefined) io.out(renderer.header);
      let view: ViewContext | undefined;
      // tshark's -c counts packets read, whether or not -Y shows them.
      let read = 0;
      // Unsupported link types (first frame of each) and capture notices (blocks skipped, damage
      // resynchronised), told once at the end: notice lines when the capture was read to its end,
      // part of the one error line when reading failed or the file was damaged.
      const unknownLinkTypes = new Map<number, number>();
      const notices = new CaptureNotices(source);
      const linkTypes = (): string[] => (unknownLinkTypes.size ? [linkTypeNotice(unknownLinkTypes)] : []);
      try {
        await decodeCapture(source, config, (packet) => {
          view ??= { firstSec: packet.frame.tsSec, firstNsec: packet.frame.tsNsec };
          if (!unknownLinkTypes.has(packet.frame.linkType) && packet.expert.some((e) => e.id === 'frame.link_type_unknown')) unknownLinkTypes.set(packet.frame.linkType, packet.frame.number);
          read++;
          if (!filter || filter(packet, view)) for (const line of renderer.render(packet, view)) io.out(line);
          return opts.count === undefined || read < opts.count;
        }, { onNotice: notices.onNotice });
      } catch (e) {
        if (e instanceof CaptureError) throw notices.fold(e, linkTypes());
        throw e;
      }
      const damage = notices.damageError(read, linkTypes());
      if (damage) throw damage;
      for (const line of notices.lines()) io.err(`espy: ${line}`);
      for (const line of linkTypes()) io.err(`espy: ${line}`);
    });
}

/** "link-layer type 147 is not supported; its frames are listed undecoded (first: frame 1)" */
function linkTypeNotice(types: ReadonlyMap<number, number>): string {
  const [only] = types;
  if (only && types.size === 1) {
    const [type, first] = only;
    return `link-layer type ${type} is not supported; its frames are listed undecoded (first: frame ${first})`;
  }
  return `link-layer types ${[...types.keys()].join(', ')} are not supported; their frames are listed undecoded (first: frames ${[...types.values()].join(', ')})`;
}

export function resolveSource(positional: string | undefined, read: string | undefined): string {
  if (positional !== undefined && read !== undefined && positional !== read) {
    throw new UsageError(`two captures given ('${positional}' and -r '${read}'); give one`);
  }
  const source = positional ?? read;
  if (source === undefined) throw new UsageError('no capture given: espy packets FILE (or -r FILE, or - for standard input)');
  return source;
}
