/**
 * Issue 15: the core's `team`, `account` and `sync.signInWithCode` procedures
 * against a real server on 127.0.0.1, each core in its own process on real
 * SQLite. Their outputs are the shared/team types (checked at compile time
 * below), so the renderer needs no second check.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import Papa from 'papaparse';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppRouter } from '../../main/api';
import { AuthSession, login, SessionGoneError } from '../../main/sync/auth';
import { PendingSignOuts } from '../../main/sync/sign-outs';
import { exportServerAudit } from '../../main/team';
import type { ExportEvent } from '../../main/services';
import {
  parseSetupLink,
  type Consequence,
  type OwnSession,
  type ServerAuditPage,
  type ServerInfo,
  type TeamUser,
  type UserPage,
} from '../../shared/team';
import type { ClientError } from './client-process';
import { PASSWORD, useTestTeam, type TestClient } from './harness';

const CHOSEN = 'amber-orchard-compass-61';
type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

const team = useTestTeam([['ada', 'admin', 'Ada Admin']]);
let userCount = 0;

/** A user of this test only, so tests share no sessions or passwords. */
function newUser(role: 'editor' | 'viewer') {
  return team.server.addUser(`user${++userCount}`, role);
}

/** A core in its own process whose device is called `device`, signed in as `username`. */
async function signedIn(username: string, device: string, password = PASSWORD): Promise<TestClient> {
  const client = await team.openClient({ actor: { id: `local-${device}`, name: device } });
  await client.call('sync.signIn', { serverUrl: client.proxy.url, username, password });
  return client;
}

/** Ends `session` on the server the way the engine's sign-out does: kept first, then sent to AUTH-4 (CLIENT-19). */
async function signOut(session: AuthSession): Promise<boolean> {
  const signOuts = new PendingSignOuts(
    { loadSignOuts: async () => [], saveSignOuts: async () => undefined },
    { backoff: { initialMs: 50, maxMs: 400 }, requestTimeoutMs: session.timeoutMs },
  );
  try {
    return await signOuts.send(await signOuts.add(session.serverUrl, session.refreshToken, new Date().toISOString()));
  } finally {
    await signOuts.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

describe('team and account routers against a real server', { timeout: 180_000 }, () => {
  it('issue 15: the routers’ outputs are the shared team types, not unknown', () => {
    expectTypeOf<Outputs['team']['users']>().toEqualTypeOf<UserPage>();
    expectTypeOf<Outputs['team']['addUser']['user']>().toEqualTypeOf<TeamUser>();
    expectTypeOf<Outputs['team']['addUser']['setupCode']>().toEqualTypeOf<{
      kind: 'invitation' | 'reset';
      username: string;
      code: string;
      expiresAt: string;
      link: string;
    } | null>();
    expectTypeOf<Outputs['team']['updateUser']['consequence']>().toEqualTypeOf<Consequence>();
    expectTypeOf<Outputs['team']['serverAudit']>().toEqualTypeOf<ServerAuditPage>();
    expectTypeOf<Outputs['team']['serverInfo']>().toEqualTypeOf<ServerInfo>();
    expectTypeOf<Outputs['account']['sessions']['sessions']>().toEqualTypeOf<OwnSession[]>();
    expectTypeOf<Outputs['account']['changePassword']>().toEqualTypeOf<{ sessionsEnded: number }>();
    // Inputs are typed too: a page size is a number, not whatever a query string coerces.
    expectTypeOf<Exclude<Inputs['team']['users'], void | undefined>['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Inputs['team']['issueSetupCode']['expiresInDays']>().toEqualTypeOf<number | undefined>();
  });

  it('issue 15: an invitation link signs a new teammate in from another core, under the password policy', async () => {
    const admin = await signedIn('ada', 'ada-desk');
    const created = await admin.call<Outputs['team']['addUser']>('team.addUser', {
      username: 'nina',
      name: 'Nina New',
      role: 'viewer',
    });
    expect(created.user).toMatchObject({ username: 'nina', invited: true });
    const link = parseSetupLink(created.setupCode!.link)!;
    expect(link).toEqual({ serverUrl: admin.proxy.url, username: 'nina', code: expect.any(String) });

    const newcomer = await team.openClient({ actor: { id: 'local-nina', name: 'nina-laptop' } });
    const weak = await failure(newcomer.call('sync.signInWithCode', { ...link, password: 'nina new' }));
    expect(weak).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/at least 10 characters/) });
    const status = await newcomer.call('sync.signInWithCode', { ...link, password: CHOSEN });
    expect(status.user).toMatchObject({ username: 'nina', role: 'viewer' });
    const used = await failure(newcomer.call('sync.signInWithCode', { ...link, password: CHOSEN }));
    expect(used.message).toMatch(/already used/);

    const page = await admin.call<UserPage>('team.users', { search: 'nina' });
    expect(page.users[0]).toMatchObject({ invited: false, lastSignIn: { device: 'nina-laptop' }, liveSessions: 1 });
  });

  it('issue 15: an admin sees what a reset does, and the reset ends the user’s sessions on their cores', async () => {
    const user = await newUser('editor');
    const admin = await signedIn('ada', 'ada-desk');
    const old = await signedIn(user.username, 'eddie-old');
    const preview = await admin.call('team.issueSetupCode', { id: user.id, dryRun: true });
    expect(preview).toEqual({
      kind: 'reset',
      setupCode: null,
      consequence: { sessionsEnded: 1, devices: ['eddie-old'], when: 'code-used' },
    });
    const { setupCode } = await admin.call('team.issueSetupCode', { id: user.id });

    const fresh = await team.openClient({ actor: { id: 'local-new', name: 'eddie-new' } });
    const serverUrl = fresh.proxy.url;
    await fresh.call('sync.signInWithCode', {
      serverUrl,
      username: user.username,
      code: setupCode.code,
      password: CHOSEN,
    });
    expect((await failure(old.call('account.sessions'))).code).toBe('UNAUTHORIZED');
    const mine = await fresh.call<Outputs['account']['sessions']>('account.sessions');
    expect(mine.sessions).toEqual([expect.objectContaining({ device: 'eddie-new', current: true })]);
  });

  it('issue 15: a user changes their own password and signs out their other devices', async () => {
    const { username } = await newUser('viewer');
    const laptop = await signedIn(username, 'laptop');
    const phone = await signedIn(username, 'phone');
    const sessions = await laptop.call<Outputs['account']['sessions']>('account.sessions');
    expect(sessions.sessions.filter((session) => session.current)).toEqual([
      expect.objectContaining({ device: 'laptop' }),
    ]);

    const wrong = await failure(
      laptop.call('account.changePassword', { currentPassword: 'nope-nope-1', newPassword: CHOSEN }),
    );
    expect(wrong).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/current password is wrong/) });
    const changed = await laptop.call('account.changePassword', { currentPassword: PASSWORD, newPassword: CHOSEN });
    expect(changed).toEqual({ sessionsEnded: 1 });
    expect((await failure(phone.call('account.sessions'))).code).toBe('UNAUTHORIZED');

    const tablet = await signedIn(username, 'tablet', CHOSEN);
    expect(await laptop.call('account.revokeOtherSessions')).toEqual({ sessionsEnded: 1 });
    expect((await failure(tablet.call('account.sessions'))).code).toBe('UNAUTHORIZED');
    const left = await laptop.call<Outputs['account']['sessions']>('account.sessions');
    expect(left.sessions).toEqual([expect.objectContaining({ device: 'laptop', current: true })]);
  });

  it('issue 15: erasure needs the typed user name, after the user’s data is exported to a file', async () => {
    const admin = await signedIn('ada', 'ada-desk');
    const temp = await admin.call('team.addUser', { username: 'tmp', name: 'Temp', role: 'viewer' });
    const exported = await admin.call('team.exportUser', { id: temp.user.id });
    expect(JSON.parse(await readFile(exported.filePath, 'utf8'))).toMatchObject({ user: { username: 'tmp' } });
    const preview = await admin.call('team.removeUser', { id: temp.user.id, dryRun: true });
    expect(preview).toMatchObject({ removed: false, consequence: { sessionsEnded: 0 } });
    const refused = await failure(admin.call('team.removeUser', { id: temp.user.id, confirm: 'Temp' }));
    expect(refused).toMatchObject({ code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('"tmp"') });
    expect(await admin.call('team.removeUser', { id: temp.user.id, confirm: 'tmp' })).toMatchObject({ removed: true });
    const info = await admin.call<ServerInfo>('team.serverInfo');
    expect(info).toMatchObject({ protocol: 1, storage: { kind: 'sqlite' } });
  });

  it('issue 15: the filtered server audit streams to a CSV file page by page; refusals name their fields', async () => {
    const url = team.server.url;
    const tokens = await login(url, { username: 'ada', password: PASSWORD, device: 'export-test' });
    const session = new AuthSession(url, tokens, async () => undefined);
    const dataDir = await mkdtemp(join(tmpdir(), 'curio-server-audit-export-'));
    try {
      const target = { dataDir, now: () => new Date() };
      const events: ExportEvent[] = [];
      for await (const event of exportServerAudit(session, target, { format: 'csv', action: 'login.succeeded' })) {
        events.push(event);
      }
      const done = events.at(-1) as Extract<ExportEvent, { type: 'done' }>;
      expect(events[0]).toMatchObject({ type: 'progress', done: 0 });
      const rows = Papa.parse<string[]>((await readFile(done.filePath, 'utf8')).trim()).data;
      expect(rows[0]).toEqual(['at', 'action', 'actorId', 'actorName', 'subjectId', 'subjectName', 'ip', 'detail']);
      expect(rows.length - 1).toBe(done.rows);
      expect(done.rows).toBeGreaterThan(0);
      expect(new Set(rows.slice(1).map((row) => row[1]))).toEqual(new Set(['login.succeeded']));

      // The fields a refusal names reach the core's callers, for the form to show at the field.
      const body = { currentPassword: 'not-it-at-all', newPassword: CHOSEN };
      const refused = await session.request('/v1/account/password', { body }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'VALIDATION', fieldErrors: [{ field: 'currentPassword' }] });

      // Signed out as the product does: the server answered, and the session's tokens stop working.
      expect(await signOut(session)).toBe(true);
      await expect(session.refresh()).rejects.toBeInstanceOf(SessionGoneError);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('issue 15: a non-admin core is refused the team procedures before the round trip', async () => {
    const editor = await signedIn((await newUser('editor')).username, 'editor-desk');
    expect((await failure(editor.call('team.users'))).code).toBe('FORBIDDEN');
  });
});
