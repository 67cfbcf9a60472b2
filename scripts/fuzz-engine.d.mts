/** Types for scripts/fuzz-engine.mjs (loaded by the TypeScript tests). */
export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(a: readonly T[]): T;
  chance(p: number): boolean;
}
export interface CapturePacket {
  head: Uint8Array;
  data: Uint8Array;
  tail: Uint8Array;
  fix(head: Uint8Array, dataLength: number, snapped: boolean, tail: Uint8Array): void;
  pad?: boolean;
}
export interface CaptureModel {
  readonly kind: 'pcap' | 'pcapng' | 'raw';
  parts: (Uint8Array | CapturePacket)[];
}
export function listCaptures(roots: readonly string[]): string[];
export function createRng(seed: number): Rng;
export function parseCapture(bytes: Uint8Array): CaptureModel;
export function writeCapture(model: CaptureModel): Buffer;
export function isakmpFields(frame: Uint8Array): { at: number; size: number; what: string }[];
export function mutate(input: Uint8Array, rng: Rng, donors?: readonly Uint8Array[]): { bytes: Uint8Array; description: string };
export function packetsOf(bytes: Uint8Array): Uint8Array[];
export const MODES: readonly (readonly string[])[];
export function checkRun(argv: readonly string[], code: number, stdout: readonly string[], stderr: readonly string[]): string[];
export interface KnownBug {
  readonly id: string;
  /** The reproducer, relative to the repository root. */
  readonly reproducer: string;
  readonly pattern: RegExp;
}
export const KNOWN_BUGS: readonly KnownBug[];
export function knownBug(text: string): KnownBug | undefined;
