import { parentPort } from 'node:worker_threads';
import { CHUNK_PROTOCOL, searchChunk, type ChunkRequest } from './natd-chunk.js';

/**
 * Worker thread for `espy natd-recover`: answers a hello with its protocol version, then searches
 * one chunk per message. Each worker builds its own fast hasher (inside searchNatdSource).
 */
const port = parentPort;
if (port) {
  port.on('message', (msg: { type: 'hello' } | { type: 'chunk'; request: ChunkRequest }) => {
    if (msg.type === 'hello') port.postMessage({ type: 'ready', protocol: CHUNK_PROTOCOL });
    else port.postMessage({ type: 'result', result: searchChunk(msg.request) });
  });
}
