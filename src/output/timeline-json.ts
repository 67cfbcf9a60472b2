import type { TimelineEvent } from '../analysis/timeline.js';
import { safeJson } from './json.js';
import { isoMicros } from './timeline-text.js';

/** Version of the timeline NDJSON records; bump when a key changes meaning. */
export const TIMELINE_JSON_VERSION = 1;

/**
 * One JSON object per line, for SIEM ingestion: `{ type: 'event', v, time, frame, sa, kind,
 * message, frames, inferred, finding, severity, capture }`. `time` is ISO 8601 UTC with
 * microseconds (null when no frame dates the event); `finding`/`severity` are set for findings.
 */
export function timelineToNdjson(file: string, events: readonly TimelineEvent[]): string[] {
  return events.map((e) =>
    safeJson({
      type: 'event',
      v: TIMELINE_JSON_VERSION,
      time: e.timeUs === null ? null : isoMicros(e.timeUs),
      frame: e.frame,
      sa: e.sa,
      kind: e.kind,
      message: e.message,
      frames: e.frames,
      inferred: e.inferred,
      finding: e.finding,
      severity: e.severity,
      capture: file,
    }),
  );
}
