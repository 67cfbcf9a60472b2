import type { TreeNode } from '../decode/tree.js';

/** `-V` text: tshark's layout, four spaces per level; hidden nodes are not shown. */
export function renderTreeText(nodes: readonly TreeNode[]): string[] {
  const lines: string[] = [];
  const walk = (list: readonly TreeNode[], indent: string): void => {
    for (const n of list) {
      if (n.hidden) continue;
      lines.push(indent + n.label);
      if (n.children) walk(n.children, indent + '    ');
    }
  };
  walk(nodes, '');
  return lines;
}
