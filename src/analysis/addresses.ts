/**
 * Address ranges that are never routed on the public Internet: RFC 1918 private, RFC 6598 shared
 * (carrier-grade NAT), loopback, IPv4 and IPv6 link-local, IPv6 unique local (fc00::/7).
 */
export function isPrivateAddress(address: string): boolean {
  if (address.includes(':')) {
    const a = address.toLowerCase();
    return /^f[cd][0-9a-f]{2}:/.test(a) || a.startsWith('fe8') || a.startsWith('fe9') || a.startsWith('fea') || a.startsWith('feb') || a === '::1';
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a === 127 || (a === 169 && b === 254);
}
