import { CaptureError, type CaptureOptions } from '../capture/frame.js';
import type { DecodeConfig } from '../decode/layer.js';
import type { Packet } from '../decode/packet.js';
import { decodeCapture } from '../decode/stream.js';
import { Analyzer, type AnalyzerOptions } from './analyzer.js';
import type { AnalysisListener, TrafficOwnerLookup } from './listener.js';
import { packetFacts } from './packet-facts.js';
import type { AnalysisReport, CaptureReport } from './report.js';

export interface PipelineOptions {
  readonly decode: DecodeConfig;
  /** The analyzer's options; its `listener` is the one given here. */
  readonly analyzer: Omit<AnalyzerOptions, 'listener' | 'fastPath'>;
  /** Told every record of the pass (`AnalysisListener`). */
  readonly listener?: AnalysisListener;
  /**
   * Packets it rejects are not analysed (`-Y` packet terms); they still reach `listener.frame`.
   * With a filter, or a listener that asks for `decodeEveryFrame`, every frame is decoded (no fast path).
   */
  readonly packetFilter?: (packet: Packet) => boolean;
  /** The fast path (plain ESP, keepalives, background traffic taken from their bytes; default on). */
  readonly fastPath?: boolean;
  /** Reader options: notices, progress, the classic pcap reader. */
  readonly reader?: Pick<CaptureOptions, 'onNotice' | 'onProgress' | 'classicReader'>;
}

export interface PipelineResult {
  readonly report: AnalysisReport;
  /** Reading stopped on this (the report covers every frame before it). */
  readonly error?: CaptureError;
  /** Frames read (decoded or taken by the fast path). */
  readonly frames: number;
  /** Frames the packet filter let through (all of them without one). */
  readonly framesSelected: number;
}

/**
 * The one pass over a capture that every command builds on: reads, decodes, classifies and
 * tracks (`Analyzer`), and tells a listener each record as it is made. `analyze` reads the
 * report; `timeline`, `report` and `verify` add a listener and read the same report. Nothing
 * reads the file twice or works out per-message state of its own, so standard input works for
 * every command.
 */
export async function runPipeline(source: string, options: PipelineOptions): Promise<PipelineResult> {
  const listener = options.listener;
  const decodeEvery = options.packetFilter !== undefined || listener?.decodeEveryFrame === true;
  const analyzer = new Analyzer({ ...options.analyzer, fastPath: options.fastPath !== false && !decodeEvery, ...(listener ? { listener } : {}) });
  const config = options.decode;
  const ownerOf: TrafficOwnerLookup = (src, dst) => analyzer.trafficOwner(src, dst);
  const filter = options.packetFilter;
  let frames = 0;
  let framesSelected = 0;
  const readerOptions: CaptureOptions = {
    ...options.reader,
    // Nothing keeps a packet's bytes once it is analysed (listeners keep records, not packets).
    ...(filter === undefined ? { reuseBuffers: true } : {}),
    onNotice: (notice) => {
      options.reader?.onNotice?.(notice);
      analyzer.captureNotice(source, notice, frames);
    },
  };
  let error: CaptureError | undefined;
  let summary = { format: 'unknown', compressed: false, frames: 0, bytesRead: 0 };
  try {
    summary = await decodeCapture(
      source,
      config,
      (packet) => {
        frames++;
        listener?.frame?.(packet.frame.number, packet.frame.tsSec, packet.frame.tsNsec);
        const selected = filter === undefined || filter(packet);
        if (!selected) return;
        framesSelected++;
        const facts = packetFacts(packet, config);
        listener?.packet?.(packet, facts, ownerOf);
        if (facts) analyzer.feed(facts, packet);
      },
      readerOptions,
      (frame) => {
        if (!analyzer.feedFrame(frame)) return false;
        frames++;
        framesSelected++;
        return true;
      },
    );
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
  }
  const capture: CaptureReport = {
    file: source,
    format: summary.format,
    compressed: summary.compressed,
    frames,
    bytes: summary.bytesRead,
    ...(error ? { error: error.message } : {}),
  };
  return { report: analyzer.finish([capture]), ...(error ? { error } : {}), frames, framesSelected };
}
