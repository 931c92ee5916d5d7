import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an access token asserts: the user, the session, and when it stops being valid (epoch seconds). */
export interface AccessClaims {
  sub: string;
  sid: string;
  exp: number;
}

const PREFIX = 'v1';

/**
 * Access tokens are `v1.<claims>.<hmac>` (base64url): self-contained so a
 * request needs no token lookup, short-lived so a revoked session stops
 * working quickly; the session is still checked on every request.
 */
export function signAccessToken(secret: Buffer, claims: AccessClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}.${body}.${mac(secret, body)}`;
}

/** The claims of a well-signed, unexpired token; `invalid` or `expired` otherwise. */
export function verifyAccessToken(
  secret: Buffer,
  token: string,
  nowSeconds: number,
): AccessClaims | 'invalid' | 'expired' {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return 'invalid';
  const [, body = '', signature = ''] = parts;
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  if (!isClaims(claims)) return 'invalid';
  return claims.exp <= nowSeconds ? 'expired' : claims;
}

/** A new opaque refresh token; only its hash is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function isClaims(value: unknown): value is AccessClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return typeof claims.sub === 'string' && typeof claims.sid === 'string' && typeof claims.exp === 'number';
}
