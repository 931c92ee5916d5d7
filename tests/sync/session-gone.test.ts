import { describe, expect, it } from 'vitest';
import { AuthSession } from '../../main/sync/auth';
import { counterValue } from '../server/attack-helpers-limits';
import { serverHarness } from '../server/helpers';

/** The server's own count of the refreshes it refused. */
const REFUSED_REFRESHES = 'curio_http_requests_total{method="POST",route="/v1/auth/refresh",status="401"}';

describe('a session the server ended', () => {
  const harness = serverHarness('sqlite');

  it('CLIENT-7: once a refresh is refused, later refreshes fail with the same words and ask the server nothing', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const { refreshToken, user } = await server.signIn('editor', 'june');
    await admin.api.request('PATCH', `/v1/admin/users/${user.id}`, { disabled: true });
    const disabledWhy =
      'An admin disabled your account, which ended this session; ask an admin to enable it, then sign in again. Your local work is kept.';
    const stale = { accessToken: 'stale', accessTokenExpiresAt: '2999-01-01T00:00:00.000Z', refreshToken, user };
    const session = new AuthSession(server.url, stale, async () => undefined, 10_000);

    await expect(session.refresh()).rejects.toThrow(disabledWhy);
    // The role watch refreshes again after whatever refresh ran; a 401 refreshes too.
    await expect(session.refreshAgain()).rejects.toThrow(disabledWhy);
    await expect(session.refresh()).rejects.toThrow(disabledWhy);
    expect(await counterValue(server.url, REFUSED_REFRESHES)).toBe(1);
  });
});
