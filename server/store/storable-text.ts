/**
 * Why a text cannot go into a column as it is, or null. Both adapters refuse
 * the same text (PROTO-5): PostgreSQL cannot keep NUL in `TEXT`, and a lone
 * surrogate would be stored as U+FFFD, under another id than the one sent.
 * Document bodies are stored as JSON, whose escapes keep both, so only
 * values that become columns (ids, names, devices, URL parts) are checked.
 */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'holds a NUL character (\\u0000)';
  // NOTE: String.prototype.isWellFormed is in Node 20 but not in the ES2023 lib types.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) {
    return 'is not well-formed Unicode (it holds a lone surrogate)';
  }
  return null;
}
