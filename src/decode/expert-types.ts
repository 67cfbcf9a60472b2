export type Severity = 'chat' | 'note' | 'warning' | 'error';
export type ExpertGroup = 'checksum' | 'malformed' | 'protocol' | 'sequence' | 'security' | 'undecoded' | 'reassembly';

export interface ExpertDef {
  readonly group: ExpertGroup;
  readonly severity: Severity;
  readonly summary: string;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { chat: 0, note: 1, warning: 2, error: 3 };
