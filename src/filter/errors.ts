/**
 * A display filter that cannot be used: a syntax error, an unknown field, a value that does not
 * fit its field. Carries the 0-based position and length of the offending text so the message can
 * point at it the way Wireshark does (the expression on a line of its own, a caret under it).
 */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    readonly reason: string,
    readonly expression: string,
    readonly position: number,
    readonly length = 1,
  ) {
    super(`${reason} at column ${position + 1}`);
  }

  /** "unexpected token ')' at column 11", then the expression and a caret line, indented 4. */
  lines(): string[] {
    // Control characters (the expression came from a command line) would move the caret or the terminal.
    const shown = this.expression.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
    const width = Math.max(1, Math.min(this.length, shown.length - this.position));
    return [this.message, `    ${shown}`, `    ${' '.repeat(this.position)}^${'~'.repeat(width - 1)}`];
  }
}
