import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/protocol';
import type { LoginBackoffSettings } from '../limits';
import type { RefreshTokenRow, SessionRow, Store, UserRow } from '../store';
import { createCredentialCheck } from './credentials';
import { createSetupSignIn } from './setup-sign-in';
import type { PasswordHashing } from './passwords';
import { recordServerAudit } from './server-audit';
import { type AccessClaims, hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken } from './tokens';

export interface AuthSettings {
  hashing: PasswordHashing;
  accessTokenTtlSeconds: number;
  /** A session ends after this long without a refresh. */
  sessionIdleDays: number;
  loginBackoff: LoginBackoffSettings;
}

/** The signed-in user a request acts for. */
export interface AuthUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

export interface Principal {
  user: AuthUser;
  sessionId: string;
  /** When the access token stops being valid (epoch ms); a stream closes then. */
  expiresAt: number;
}

/** The answer to login and refresh (protocol AUTH-1, AUTH-2). */
export interface TokenGrant {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  /**
   * When the session ends on the server unless refreshed before (AUTH-2): a client that signs out without
   * reaching the server knows from it when that sign-out no longer needs to be sent (CLIENT-19).
   */
  sessionExpiresAt: string;
  user: AuthUser;
}

export interface Auth {
  login(input: { username: string; password: string; device?: string | undefined }, ip: string): Promise<TokenGrant>;
  refresh(refreshToken: string, ip: string): Promise<TokenGrant>;
  logout(refreshToken: string, ip: string): Promise<void>;
  /** AUTH-9: the first sign-in with a setup code, which sets the chosen password. */
  setup(
    input: { username: string; code: string; password: string; device?: string | undefined },
    ip: string,
  ): Promise<TokenGrant>;
  /** Checks a signed-in user's password again (ACCOUNT-1), throttled and audited like a sign-in. */
  checkPassword(input: { username: string; password: string }, ip: string): Promise<UserRow>;
  authenticate(accessToken: string): Promise<Principal>;
  /** The session named by a well-signed, unexpired access token, without reading the store; throws UNAUTHORIZED otherwise. */
  sessionOf(accessToken: string): string;
  /** Whether a session still stands (not revoked, not expired, user enabled). */
  sessionAlive(sessionId: string): Promise<boolean>;
  /** The user of a session that still stands, as they are now (role changes included); else null. */
  sessionUser(sessionId: string): Promise<AuthUser | null>;
}

const SIGN_IN_AGAIN = 'Your session has ended; sign in again.';
const REFRESH_TOKEN_REUSED = 'This refresh token was already used, so the session was ended for safety; sign in again.';

/**
 * Why a refresh finds its session over, in words for the person whose device it was (the sync screen shows
 * them): a disabled account cannot sign in again, so "sign in again" alone sent people into a refusal; an
 * account enabled again since can, so "ask an admin" would send them to someone with nothing left to do.
 */
function endedWhy(session: SessionRow, user: UserRow | undefined): string {
  if (!user) return 'Your account is no longer on this server; ask an admin if you should still have one.';
  if (user.disabled) {
    return 'An admin disabled your account, which ended this session; ask an admin to enable it, then sign in again.';
  }
  switch (session.revoked_reason) {
    case null:
      return session.expires_at <= new Date().toISOString()
        ? 'Your session ended after a long time without syncing; sign in again.'
        : SIGN_IN_AGAIN;
    case 'user-disabled':
      return 'An admin disabled your account, which ended this session; it has been enabled again since, so sign in again.';
    case 'password-changed':
    case 'password-reset':
      return 'Your password was changed, which ended this session; sign in again with the new password.';
    case 'revoked-by-user':
      return 'You signed this device out from another device; sign in again to sync here.';
    case 'revoked-by-admin':
      return 'An admin signed this device out; sign in again to sync here.';
    case 'logout':
      return 'This device was signed out; sign in again.';
    case 'refresh-token-reuse':
      return REFRESH_TOKEN_REUSED;
    default:
      return SIGN_IN_AGAIN;
  }
}

/** A session as a refresh finds it: standing, with its user as they are now, or over, with why. */
type SessionState = { user: UserRow; why?: never } | { user?: never; why: string };

function unauthorized(message: string): AppError {
  return new AppError('UNAUTHORIZED', message);
}

function toAuthUser(row: UserRow): AuthUser {
  return { id: row.id, username: row.username, name: row.name, role: row.role };
}

/** Sign-in, token rotation and request authentication over the store. */
export async function createAuth(store: Store, settings: AuthSettings): Promise<Auth> {
  const secret = await store.secret('access-token');
  const sql = store.sql;
  const credentials = await createCredentialCheck(store, settings);
  const setupCodes = createSetupSignIn(store, settings);

  async function issue(
    user: UserRow,
    sessionId: string,
    sessionExpiresAt: string,
    refreshToken = newRefreshToken(),
  ): Promise<TokenGrant> {
    const now = Date.now();
    await sql.run('INSERT INTO refresh_tokens (hash, session_id, created_at, used_at) VALUES (?, ?, ?, NULL)', [
      hashRefreshToken(refreshToken),
      sessionId,
      new Date(now).toISOString(),
    ]);
    const exp = Math.floor(now / 1000) + settings.accessTokenTtlSeconds;
    return {
      accessToken: signAccessToken(secret, { sub: user.id, sid: sessionId, exp }),
      accessTokenExpiresAt: new Date(exp * 1000).toISOString(),
      refreshToken,
      sessionExpiresAt,
      user: toAuthUser(user),
    };
  }

  async function revokeSession(session: SessionRow, reason: string, ip: string, user?: UserRow): Promise<void> {
    await sql.run('UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL', [
      new Date().toISOString(),
      reason,
      session.id,
    ]);
    await recordServerAudit(sql, {
      action:
        reason === 'refresh-token-reuse' ? 'session.refresh-reuse' : reason === 'logout' ? 'logout' : 'session.revoked',
      actor: user ? { id: user.id, name: user.username } : null,
      subject: { id: session.user_id, name: user?.username ?? session.user_id },
      ip,
      detail: { sessionId: session.id, reason },
    });
  }

  /** Reads a session and its user once, and says whether it stands and, if not, why (`endedWhy`). */
  async function sessionState(sessionId: string): Promise<SessionState> {
    const session = await sql.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [sessionId]);
    if (!session) return { why: SIGN_IN_AGAIN };
    const user = await sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [session.user_id]);
    const over = !!session.revoked_at || session.expires_at <= new Date().toISOString();
    return over || !user || user.disabled ? { why: endedWhy(session, user) } : { user };
  }

  /**
   * The user of a session that still stands, in one round trip: every
   * authenticated request asks this (AUTH-5), so it is one query, not two.
   */
  async function liveUser(sessionId: string): Promise<UserRow | null> {
    const user = await sql.get<UserRow>(
      `SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.id = ? AND sessions.revoked_at IS NULL AND sessions.expires_at > ? AND users.disabled = 0`,
      [sessionId, new Date().toISOString()],
    );
    return user ?? null;
  }

  function verifiedClaims(accessToken: string): AccessClaims {
    const claims = verifyAccessToken(secret, accessToken, Math.floor(Date.now() / 1000));
    if (claims === 'expired') throw unauthorized('The access token has expired; refresh it and retry.');
    if (claims === 'invalid') throw unauthorized('The access token is not valid; sign in again.');
    return claims;
  }

  function idleExpiry(): string {
    return new Date(Date.now() + settings.sessionIdleDays * 86_400_000).toISOString();
  }

  /**
   * AUTH-3: `token` was exchanged before, but the token that exchange gave was never used: its answer never
   * reached the device (killed before it saved the new token, or the connection dropped on the way), which
   * now asks again. That unused token is withdrawn (presenting it later is a reuse, ending the session) and
   * the exchange points at `nextHash` instead. False when the given token was used, or is being used now.
   */
  async function answerLost(token: RefreshTokenRow, nextHash: string): Promise<boolean> {
    const given = token.rotated_to;
    if (!given) return false;
    const withdrawn = await sql.run('UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL', [
      new Date().toISOString(),
      given,
    ]);
    if (withdrawn.changes === 0) {
      // Claimed by its holder meanwhile, or never stored: the server stopped between the claim and the insert.
      const stored = await sql.get<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE hash = ?', [given]);
      if (stored) return false;
    }
    const moved = await sql.run('UPDATE refresh_tokens SET rotated_to = ? WHERE hash = ? AND rotated_to = ?', [
      nextHash,
      token.hash,
      given,
    ]);
    return moved.changes === 1;
  }

  /** A new session for a user who just proved who they are; the sign-in is noted as their latest (ADMIN-1). */
  async function open(user: UserRow, device: string | undefined, ip: string, how: string): Promise<TokenGrant> {
    const now = new Date().toISOString();
    const sessionId = randomUUID();
    const deviceName = (device ?? 'unknown device').slice(0, 100);
    const expiresAt = idleExpiry();
    await sql.run(
      `INSERT INTO sessions (id, user_id, device, ip, created_at, last_used_at, expires_at, revoked_at, revoked_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      [sessionId, user.id, deviceName, ip, now, now, expiresAt],
    );
    await sql.run(
      `INSERT INTO last_sign_ins (user_id, at, device, ip) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET at = excluded.at, device = excluded.device, ip = excluded.ip`,
      [user.id, now, deviceName, ip],
    );
    await recordServerAudit(sql, {
      action: 'login.succeeded',
      actor: { id: user.id, name: user.username },
      subject: { id: user.id, name: user.username },
      ip,
      detail: how === 'password' ? { sessionId } : { sessionId, with: how },
    });
    return issue(user, sessionId, expiresAt);
  }

  return {
    async login(input, ip) {
      return open(await credentials.check(input, ip), input.device, ip, 'password');
    },

    async setup(input, ip) {
      return open(await setupCodes.use(input, ip), input.device, ip, 'setup-code');
    },

    checkPassword: (input, ip) => credentials.check(input, ip),

    async refresh(refreshToken, ip) {
      const hash = hashRefreshToken(refreshToken);
      const token = await sql.get<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE hash = ?', [hash]);
      if (!token) throw unauthorized('The refresh token is not valid; sign in again.');
      const session = await sql.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [token.session_id]);
      if (!session) throw unauthorized(SIGN_IN_AGAIN);
      const next = newRefreshToken();
      const nextHash = hashRefreshToken(next);
      const claimed = token.used_at
        ? 0
        : (
            await sql.run('UPDATE refresh_tokens SET used_at = ?, rotated_to = ? WHERE hash = ? AND used_at IS NULL', [
              new Date().toISOString(),
              nextHash,
              hash,
            ])
          ).changes;
      if (claimed === 0) {
        // A session already over (disabled, signed out, expired) is not ended again by the reuse, and "already
        // used" would hide why it ended: a client that refreshed twice on one 401 told a disabled user only that.
        const before = await sessionState(session.id);
        if (before.why !== undefined) throw unauthorized(before.why);
        if (await answerLost(token, nextHash)) {
          await recordServerAudit(sql, {
            action: 'session.refresh-repeated',
            actor: { id: before.user.id, name: before.user.username },
            subject: { id: before.user.id, name: before.user.username },
            ip,
            detail: { sessionId: session.id },
          });
        } else {
          // NOTE: a rotated token presented again means it leaked or a client misbehaves: end the session.
          await revokeSession(session, 'refresh-token-reuse', ip);
          throw unauthorized(REFRESH_TOKEN_REUSED);
        }
      }
      // Read again after the claim: a concurrent reuse of this token may have ended the session meanwhile.
      const state = await sessionState(session.id);
      if (state.why !== undefined) throw unauthorized(state.why);
      const expiresAt = idleExpiry();
      await sql.run('UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ?', [
        new Date().toISOString(),
        expiresAt,
        session.id,
      ]);
      return issue(state.user, session.id, expiresAt, next);
    },

    async logout(refreshToken, ip) {
      const token = await sql.get<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE hash = ?', [
        hashRefreshToken(refreshToken),
      ]);
      if (!token) return;
      const session = await sql.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [token.session_id]);
      if (!session || session.revoked_at) return;
      const user = await sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [session.user_id]);
      await revokeSession(session, 'logout', ip, user);
    },

    async authenticate(accessToken) {
      const claims = verifiedClaims(accessToken);
      const user = await liveUser(claims.sid);
      if (!user || user.id !== claims.sub) throw unauthorized(SIGN_IN_AGAIN);
      return { user: toAuthUser(user), sessionId: claims.sid, expiresAt: claims.exp * 1000 };
    },

    sessionOf(accessToken) {
      return verifiedClaims(accessToken).sid;
    },

    async sessionAlive(sessionId) {
      return (await liveUser(sessionId)) !== null;
    },

    async sessionUser(sessionId) {
      const user = await liveUser(sessionId);
      return user ? toAuthUser(user) : null;
    },
  };
}
