/**
 * NAT-D test vectors from ../shared/NATT-REFERENCE.md §2.5 (algorithm, initiator SPI, responder
 * SPI, IPv4 address, port, expected hash), each recomputed against a real capture. Shared by the
 * NAT-D hash, fast-hash and private-address search tests.
 */
export const NATD_VECTORS = [
  ['sha1', 'c6d1459285150c7e', '6e961f01bf179b35', '192.168.140.200', 500, '7048b170a54fa1c16582dce008d059de9295d7d3'],
  ['sha1', 'c6d1459285150c7e', '6e961f01bf179b35', '192.168.140.205', 500, 'c9e46dddfcc29d4ef72ba4da66d4720687e469e5'],
  ['sha1', 'e47a591fd057587f', 'a00b8ef0902bb8ec', '192.168.12.2', 500, '1574d64c0165bad16a023f038d45a07498d8d051'],
  ['sha1', 'e47a591fd057587f', 'a00b8ef0902bb8ec', '192.168.12.1', 500, 'febf462f1cd75805a7baa28747e769d674f85600'],
  ['md5', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.2.23', 500, '6efe12f04af90dfbcfb15d71b841bb9e'],
  ['md5', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.3.209', 500, '44f517e03fb381f80f842d1538ccffac'],
  ['md5', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.2.254', 500, '399304d50fbd4ca3db1e197af7c11e6f'],
  ['sha1', 'ea684d21597afd36', '0000000000000000', '192.168.1.2', 500, '949c9db5739d75a974a49c184618369b34b7f942'],
  ['sha1', 'ea684d21597afd36', '0000000000000000', '192.168.1.14', 500, '3e721b46be07d53111425d7f80d2c6e220c6072e'],
  ['sha1', 'ea684d21597afd36', 'd9fe2ab22dac23ac', '192.168.1.14', 500, '7a0785273d59203829a697550f31cbb94eb72b43'],
  ['sha1', 'ea684d21597afd36', 'd9fe2ab22dac23ac', '192.168.1.2', 500, 'c3e58a8cc9933ce0b78f2a50e8de80134e12ce31'],
] as const;
