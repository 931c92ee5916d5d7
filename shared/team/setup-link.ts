/**
 * Setup codes as people type and paste them. A code is 24 characters of
 * Crockford base32 (120 random bits) shown in groups of four; case, spaces
 * and dashes do not matter, and the letters people confuse read as digits.
 * The link form carries the server, the user name and the code, so the
 * sign-in form can fill itself from one paste.
 */

export const SETUP_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SETUP_CODE_LENGTH = 24;
const LINK_PREFIX = 'curio://setup';

/** The code as stored and compared: upper case, no separators, O→0, I/L→1. */
export function normalizeSetupCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Groups of four for reading out: "7KQM-2XHD-…". */
export function formatSetupCode(code: string): string {
  return normalizeSetupCode(code).replace(/(.{4})(?=.)/g, '$1-');
}

export function setupLink(serverUrl: string, username: string, code: string): string {
  const query = new URLSearchParams({ server: serverUrl, username, code: formatSetupCode(code) });
  return `${LINK_PREFIX}?${query.toString()}`;
}

/** What a pasted setup link holds; null when the text is not one. */
export function parseSetupLink(text: string): { serverUrl: string; username: string; code: string } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(`${LINK_PREFIX}?`)) return null;
  const query = new URLSearchParams(trimmed.slice(LINK_PREFIX.length + 1));
  const [serverUrl, username, code] = [query.get('server'), query.get('username'), query.get('code')];
  return serverUrl && username && code ? { serverUrl, username, code } : null;
}
