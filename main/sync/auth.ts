import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/protocol';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  requestJson,
  send,
  sendStreamed,
  ServerError,
  type RequestOptions,
  type StreamedAnswer,
} from './http';

/** The signed-in user as the server knows them. */
export interface ServerUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

/** The answer to a login or a refresh (protocol AUTH rules). */
export interface TokenAnswer {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** When the session ends on the server unless refreshed before (AUTH-2); absent from older servers. */
  sessionExpiresAt?: string | undefined;
  user: ServerUser;
}

/** The server no longer knows this session (revoked, expired, user disabled): sign in again. */
export class SessionGoneError extends AppError {
  constructor(
    serverUrl: string,
    /** The server's words for why (an account disabled, a password changed, …), when it said. */
    readonly why: string | null = null,
  ) {
    super(
      'UNAUTHORIZED',
      why
        ? `${why} Your local work is kept.`
        : `Your session on ${serverUrl} has ended. Sign in again to resume syncing; your local work is kept.`,
    );
    this.name = 'SessionGoneError';
  }
}

/** Refresh this long before the access token expires (at most a third of its life), so requests rarely meet a 401. */
const REFRESH_MARGIN_MS = 30_000;

function refreshMargin(tokens: TokenAnswer, receivedAt: number): number {
  const lifetime = Date.parse(tokens.accessTokenExpiresAt) - receivedAt;
  return Math.max(0, Math.min(REFRESH_MARGIN_MS, lifetime / 3));
}

export async function login(
  serverUrl: string,
  credentials: { username: string; password: string; device?: string },
): Promise<TokenAnswer> {
  return requestJson<TokenAnswer>(serverUrl, '/v1/auth/login', { body: credentials });
}

/** AUTH-9: the first sign-in with a setup code, choosing the password. */
export async function setupSignIn(
  serverUrl: string,
  input: { username: string; code: string; password: string; device?: string },
): Promise<TokenAnswer> {
  return requestJson<TokenAnswer>(serverUrl, '/v1/auth/setup', { body: input });
}

/** Exchanges a refresh token for new tokens; a refused token means the session is gone. */
export async function refreshTokens(
  serverUrl: string,
  refreshToken: string,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<TokenAnswer> {
  try {
    return await requestJson<TokenAnswer>(serverUrl, '/v1/auth/refresh', { body: { refreshToken }, timeoutMs });
  } catch (error) {
    if (error instanceof ServerError && error.status === 401) throw new SessionGoneError(serverUrl, error.message);
    throw error;
  }
}

/**
 * A live session with the sync server: hands out access tokens, refreshing
 * them transparently (once at a time, since a rotated refresh token used
 * twice revokes the session), and retries a request once after a 401.
 */
export class AuthSession {
  private tokens: TokenAnswer;
  private margin: number;
  private refreshing: Promise<void> | null = null;
  /** Set once the server said the session is over: every later call fails the same way, with its words. */
  private gone: SessionGoneError | null = null;
  private readonly answerListeners = new Set<() => void>();

  constructor(
    readonly serverUrl: string,
    tokens: TokenAnswer,
    /** Called with every new token set, so the refresh token can be kept across restarts. */
    private readonly onTokens: (tokens: TokenAnswer) => Promise<void>,
    /** How long a request may wait for its whole answer before it fails and is retried. */
    private readonly requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.tokens = tokens;
    this.margin = refreshMargin(tokens, Date.now());
  }

  get user(): ServerUser {
    return this.tokens.user;
  }

  get refreshToken(): string {
    return this.tokens.refreshToken;
  }

  /** The tokens now, to start another replication on the same session. */
  get currentTokens(): TokenAnswer {
    return this.tokens;
  }

  /** Calls `listener` whenever the server answers anything: proof it is reachable again. */
  onAnswer(listener: () => void): () => void {
    this.answerListeners.add(listener);
    return () => this.answerListeners.delete(listener);
  }

  /** Passes a request's outcome through, telling the listeners when the server answered (even with an error). */
  private async answered<T>(request: Promise<T>): Promise<T> {
    try {
      const result = await request;
      for (const listener of this.answerListeners) listener();
      return result;
    } catch (error) {
      if (error instanceof ServerError) for (const listener of this.answerListeners) listener();
      throw error;
    }
  }

  async accessToken(): Promise<string> {
    if (this.gone) throw this.gone;
    const expiresAt = Date.parse(this.tokens.accessTokenExpiresAt);
    if (expiresAt - Date.now() < this.margin) await this.refresh();
    return this.tokens.accessToken;
  }

  /** Gets new tokens; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    // The server already said why the session is over; asking again with the token it claimed would be a reuse.
    if (this.gone) return Promise.reject(this.gone);
    this.refreshing ??= (async () => {
      try {
        const tokens = await this.answered(
          refreshTokens(this.serverUrl, this.tokens.refreshToken, this.requestTimeoutMs),
        );
        this.tokens = tokens;
        this.margin = refreshMargin(tokens, Date.now());
        await this.onTokens(tokens);
      } catch (error) {
        if (error instanceof SessionGoneError) this.gone = error;
        throw error;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /**
   * Gets new tokens after whatever refresh is under way: the server said the
   * user changed, and a refresh that started before that may carry the old user.
   */
  async refreshAgain(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    await this.refresh();
  }

  /** An authorized JSON request; after a 401 the tokens are refreshed and the request sent once more. */
  async request<T>(path: string, given: RequestOptions = {}): Promise<T> {
    const options = { timeoutMs: this.requestTimeoutMs, ...given };
    const used = await this.accessToken();
    try {
      return await this.answered(requestJson<T>(this.serverUrl, path, { ...options, accessToken: used }));
    } catch (error) {
      if (!(error instanceof ServerError) || error.status !== 401) throw error;
      if (this.tokens.accessToken === used) await this.refresh();
      return this.answered(requestJson<T>(this.serverUrl, path, { ...options, accessToken: await this.accessToken() }));
    }
  }

  /** Opens the event stream; a 401 refreshes once like `request`. */
  openStream(signal: AbortSignal): Promise<Response> {
    return this.send('/v1/sync/stream', { signal });
  }

  /** An authorized request whose answer the caller reads itself; a 401 refreshes once like `request`. */
  send(path: string, options: RequestOptions): Promise<Response> {
    return this.authorized(
      (accessToken) => send(this.serverUrl, path, { ...options, accessToken }),
      (response) => response.body?.cancel(),
    );
  }

  /** `send` over node:http (`sendStreamed`), for an answer read on at the reader's pace (PULL-9's lines). */
  sendStreamed(path: string, options: RequestOptions): Promise<StreamedAnswer> {
    return this.authorized(
      (accessToken) => sendStreamed(this.serverUrl, path, { ...options, accessToken }),
      (answer) => answer.close(),
    );
  }

  /** Sends with the current access token; after a 401 the tokens are refreshed and it is sent once more. */
  private async authorized<A extends { status: number }>(
    sendWith: (accessToken: string) => Promise<A>,
    discard: (answer: A) => unknown,
  ): Promise<A> {
    for (let attempt = 0; ; attempt++) {
      const used = await this.accessToken();
      const answer = await this.answered(sendWith(used));
      if (answer.status !== 401 || attempt > 0) return answer;
      await discard(answer);
      if (this.tokens.accessToken === used) await this.refresh();
    }
  }

  /** How long a request may wait for its answer (for callers that read answers themselves). */
  get timeoutMs(): number {
    return this.requestTimeoutMs;
  }
}
