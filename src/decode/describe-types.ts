import type { LayerMap, Proto } from './layer.js';
import type { Packet } from './packet.js';
import type { TreeNode } from './tree.js';

/** How one protocol is shown: Protocol column, Info column, detail tree. Pure: no I/O, no state. */
export interface Describer<L> {
  /** Protocol column text when this is the top layer ("ISAKMP", "ESP", "UDP"). */
  readonly column: string;
  /** Info column text when this is the topmost layer that has one (tshark style). */
  info?(layer: L, packet: Packet): string | undefined;
  /** The layer's subtree for `-V`, JSON and `-T fields`. */
  tree(layer: L, packet: Packet): TreeNode;
}

export type Describers = { readonly [P in Proto]?: Describer<LayerMap[P]> };
