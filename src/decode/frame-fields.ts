import type { FieldDef } from './field.js';

export const FRAME = {
  number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint', bits: 32 },
  timeEpoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'time_epoch' },
  timeRelative: { abbrev: 'frame.time_relative', name: 'Time since reference or first frame', type: 'time_rel' },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint', bits: 32 },
  capLen: { abbrev: 'frame.cap_len', name: 'Capture Length', type: 'uint', bits: 32 },
  interfaceId: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint', bits: 32 },
  linkType: { abbrev: 'frame.link_type', name: 'Link type', type: 'uint', bits: 32 },
  protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
} as const satisfies Record<string, FieldDef>;

export const FRAME_FIELDS: readonly FieldDef[] = Object.values(FRAME);
