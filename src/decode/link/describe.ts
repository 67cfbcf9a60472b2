import type { Describer } from '../describe-types.js';
import type { Describers } from '../describe-types.js';
import { formatEther, text, type TreeNode } from '../tree.js';
import type { EthLayer, IslLayer, VlanLayer } from './ethernet.js';
import type { NullLayer, RawLayer, SllLayer } from './cooked.js';
import { ETH, IEEE8021AD, ISL, NULL, SLL, VLAN } from './fields.js';
import { ethertypeName, hexType, macBytes } from './ethertype.js';
import { add } from './tree-util.js';

const mac = (v: number | undefined): Uint8Array | undefined => (v === undefined ? undefined : macBytes(v));

const eth: Describer<EthLayer> = {
  column: 'Ethernet',
  info(l) {
    if (l.type === undefined) return 'Ethernet frame cut short';
    return l.isLength ? `IEEE 802.3, length ${l.type} (LLC not decoded)` : `Ethertype ${hexType(l.type)} (${ethertypeName(l.type)})`;
  },
  tree(l) {
    const c: TreeNode[] = [];
    const dst = mac(l.dst);
    const src = mac(l.src);
    add(c, ETH.dst, dst, l.offset, 6);
    add(c, ETH.src, src, l.offset + 6, 6);
    if (l.type !== undefined) {
      if (l.isLength) add(c, ETH.len, l.type, l.offset + 12, 2);
      else add(c, ETH.type, l.type, l.offset + 12, 2, { label: `Type: ${ethertypeName(l.type)} (${hexType(l.type)})` });
    }
    const head = l.isLength ? 'IEEE 802.3 Ethernet' : 'Ethernet II';
    const addrs = src && dst ? `, Src: ${formatEther(src)}, Dst: ${formatEther(dst)}` : '';
    return text(head + addrs, c, l.offset, l.length);
  },
};

function tagDescriber<P extends 'vlan' | 'ieee8021ad'>(p: P): Describer<VlanLayer<P>> {
  const ad = p === 'ieee8021ad';
  return {
    column: ad ? 'IEEE 802.1ad' : 'VLAN',
    info: (l) => `PRI: ${l.priority ?? '?'}  DEI: ${l.dei === undefined ? '?' : l.dei ? 1 : 0}  ID: ${l.id ?? '?'}`,
    tree(l) {
      const c: TreeNode[] = [];
      add(c, ad ? IEEE8021AD.priority : VLAN.priority, l.priority, l.offset, 2);
      if (ad) add(c, IEEE8021AD.dei, l.dei === undefined ? undefined : l.dei ? 1 : 0, l.offset, 2);
      else add(c, VLAN.dei, l.dei, l.offset, 2);
      add(c, ad ? IEEE8021AD.id : VLAN.id, l.id, l.offset, 2);
      if (l.type !== undefined) {
        if (l.type <= 1500) add(c, VLAN.len, l.type, l.offset + 2, 2);
        else add(c, VLAN.etype, l.type, l.offset + 2, 2, { label: `Type: ${ethertypeName(l.type)} (${hexType(l.type)})` });
      }
      const head = ad ? 'IEEE 802.1ad' : '802.1Q Virtual LAN';
      return text(`${head}, PRI: ${l.priority ?? '?'}, DEI: ${l.dei ? 1 : 0}, ID: ${l.id ?? '?'}`, c, l.offset, l.length);
    },
  };
}

const isl: Describer<IslLayer> = {
  column: 'ISL',
  info: (l) => `ISL, VLAN ${l.vlanId}`,
  tree(l) {
    const c: TreeNode[] = [];
    add(c, ISL.dst, macBytes(l.dst), l.offset, 6);
    add(c, ISL.type, l.frameType, l.offset + 5, 1);
    add(c, ISL.src, macBytes(l.src), l.offset + 6, 6);
    add(c, ISL.len, l.islLength, l.offset + 12, 2);
    add(c, ISL.vlanId, l.vlanId, l.offset + 20, 2);
    add(c, ISL.index, l.index, l.offset + 22, 2);
    return text('ISL', c, l.offset, l.length);
  },
};

function sllDescriber<P extends 'sll' | 'sll2'>(p: P): Describer<SllLayer<P>> {
  const v2 = p === 'sll2';
  return {
    column: 'SLL',
    info: (l) => (l.protocol === undefined ? 'Linux cooked header cut short' : `Linux cooked capture, protocol ${hexType(l.protocol)} (${ethertypeName(l.protocol)})`),
    tree(l) {
      const c: TreeNode[] = [];
      const o = l.offset;
      if (v2) {
        add(c, l.protocol !== undefined && l.protocol >= 0x600 ? SLL.etype : SLL.ltype, l.protocol, o, 2);
        add(c, SLL.ifindex, l.ifindex, o + 4, 4);
      }
      add(c, SLL.pkttype, l.packetType, v2 ? o + 10 : o, v2 ? 1 : 2);
      add(c, SLL.hatype, l.hatype, v2 ? o + 8 : o + 2, 2);
      add(c, SLL.halen, l.halen, v2 ? o + 11 : o + 4, v2 ? 1 : 2);
      if (l.address) {
        const at = v2 ? o + 12 : o + 6;
        if (l.halen === 6) add(c, SLL.srcEth, l.address.subarray(0, 6), at, 6);
        else add(c, SLL.srcOther, l.address.subarray(0, Math.min(l.halen ?? 8, 8)), at, Math.min(l.halen ?? 8, 8));
      }
      if (!v2) add(c, l.protocol !== undefined && l.protocol >= 0x600 ? SLL.etype : SLL.ltype, l.protocol, o + 14, 2);
      return text(v2 ? 'Linux cooked capture v2' : 'Linux cooked capture v1', c, o, l.length);
    },
  };
}

function nullDescriber<P extends 'null' | 'loop'>(): Describer<NullLayer<P>> {
  return {
    column: 'NULL',
    info: (l) => `Null/Loopback, family ${l.family ?? '?'}`,
    tree(l) {
      const c: TreeNode[] = [];
      add(c, NULL.family, l.family, l.offset, 4);
      return text('Null/Loopback', c, l.offset, l.length);
    },
  };
}

const raw: Describer<RawLayer> = {
  column: 'Raw',
  info: (l) => `Raw packet data${l.ipVersion === undefined ? '' : `, IP version ${l.ipVersion}`}`,
  tree: (l) => text('Raw packet data', [text('No link information available')], l.offset, 0),
};

export const LINK_DESCRIBERS: Describers = {
  eth,
  vlan: tagDescriber('vlan'),
  ieee8021ad: tagDescriber('ieee8021ad'),
  isl,
  sll: sllDescriber('sll'),
  sll2: sllDescriber('sll2'),
  null: nullDescriber<'null'>(),
  loop: nullDescriber<'loop'>(),
  raw,
};
