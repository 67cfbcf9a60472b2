/**
 * JSON that is always valid and safe to print: besides JSON's own escapes, every C1 control,
 * DEL and the JS line separators are written as \u escapes, so no terminal escape sequence can
 * survive into output even if a string slipped past `escapeText`.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
