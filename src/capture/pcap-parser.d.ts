/** Types for pcap-parser 0.2.1 (CommonJS, untyped): only what pcap-parser-reader.ts uses. */
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';

  namespace pcapParser {
    interface PacketHeader {
      timestampSeconds: number;
      timestampMicroseconds: number;
      capturedLength: number;
      originalLength: number;
    }
    interface Packet {
      header: PacketHeader;
      data: Buffer;
    }
    /** Anything with the readable-stream surface the parser touches. */
    interface Input extends EventEmitter {
      pause(): unknown;
      resume(): unknown;
    }
    interface Parser extends EventEmitter {
      on(event: 'packetHeader', listener: (header: PacketHeader) => void): this;
      on(event: 'packet', listener: (packet: Packet) => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
    }
    function parse(input: string | Input): Parser;
  }
  export = pcapParser;
}
