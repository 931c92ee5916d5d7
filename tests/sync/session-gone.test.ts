import { describe, expect, it } from 'vitest';
import { AuthSession } from '../../main/sync/auth';
import { serverHarness, type TestServer } from '../server/helpers';

/** How many refreshes the server refused so far, from its own request counter. */
async function refusedRefreshes(server: TestServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((row) => row.startsWith('curio_http_requests_total{method="POST",route="/v1/auth/refresh",status="401"}'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

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
    expect(await refusedRefreshes(server)).toBe(1);
  });
});
