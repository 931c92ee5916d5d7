/**
 * SCHEMA-2, SCHEMA-5: the sync routes check the app's schema versions (the
 * x-curio-schema header) against the server's window and name the server's
 * own versions in every answer, so the app can tell which side is older.
 */
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSIONS, SCHEMA_VERSIONS_HEADER, formatSchemaVersions } from '../../shared/protocol';
import { serverHarness } from './helpers';

const harness = serverHarness('sqlite');
const current = formatSchemaVersions(SCHEMA_VERSIONS);

describe('schema versions on the sync routes', () => {
  it('SCHEMA-2: an app at the server versions, or one that sends none (older apps, all at 0), is served', async () => {
    const server = await harness.start();
    const { api } = await server.signIn('editor');
    for (const headers of [{ [SCHEMA_VERSIONS_HEADER]: current }, {}] as Record<string, string>[]) {
      const answer = await api.request('POST', '/v1/sync/dog/pull', { checkpoint: null, limit: 10 }, { headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.get(SCHEMA_VERSIONS_HEADER)).toBe(current);
    }
  });

  it('SCHEMA-5: an app ahead of the server (a higher version, or a type it does not know) is told the server is older', async () => {
    const server = await harness.start();
    const { api } = await server.signIn('editor');
    for (const header of [current.replace('dog=0', 'dog=1'), `${current},tag=0`]) {
      const headers = { [SCHEMA_VERSIONS_HEADER]: header };
      for (const [method, route, body] of [
        ['POST', '/v1/sync/dog/pull', { checkpoint: null, limit: 10 }],
        ['POST', '/v1/sync/dog/push', { rows: [] }],
        ['POST', '/v1/sync/tag/pull', { checkpoint: null, limit: 10 }],
      ] as const) {
        const answer = await api.request(method, route, body, { headers });
        expect(answer.status, `${route} with ${header}`).toBe(426);
        expect(answer.body.error.code).toBe('UPGRADE_REQUIRED');
        expect(answer.body.error.message).toMatch(
          /runs an older Curio.*wait on this device until the server is upgraded/,
        );
        expect(answer.headers.get(SCHEMA_VERSIONS_HEADER)).toBe(current);
      }
    }
  });

  it('SCHEMA-5: sign-in is not refused to an app ahead of the server', async () => {
    const server = await harness.start();
    await server.signIn('editor', 'ahead');
    const answer = await server
      .api()
      .request(
        'POST',
        '/v1/auth/login',
        { username: 'ahead', password: 'plum-kettle-orbit-42' },
        { headers: { [SCHEMA_VERSIONS_HEADER]: `${current},tag=0` } },
      );
    expect(answer.status).toBe(200);
  });

  it('SCHEMA-2: a malformed header is refused, saying how to write it', async () => {
    const server = await harness.start();
    const { api } = await server.signIn('editor');
    const answer = await api.request(
      'POST',
      '/v1/sync/dog/pull',
      { checkpoint: null, limit: 10 },
      { headers: { [SCHEMA_VERSIONS_HEADER]: 'dog:one' } },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/name=version/) });
  });
});
