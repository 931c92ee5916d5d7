import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refreshTokens } from '../../main/sync/auth';
import { eventually, inSync, serverSnapshot, useTestTeam } from './harness';

/**
 * AUTH-3, CLIENT-7: a device killed after the server rotated its refresh token, before it saved the new one,
 * asks again with the old token at its next start. That is a lost answer, not a theft: the device stays
 * signed in and syncs. Before, the server took it for a reuse and ended the session ("sign in again").
 */
const team = useTestTeam([
  ['root', 'admin', 'Root'],
  ['ada', 'editor', 'Ada'],
]);

describe('a refresh whose answer the device never saved', { timeout: 120_000 }, () => {
  it('AUTH-3: killed between the rotation and the save, the device starts again signed in and syncs', async () => {
    const ada = await team.signedIn('ada');
    const { dataDir, proxy } = ada;
    await ada.kill();
    await ada.dispose({ keepData: true, keepProxy: true });

    // The refresh the device had under way when it was killed: the server rotated the token it kept.
    const kept = (await readFile(join(dataDir, 'sync-token'), 'utf8')).trim();
    const lostAnswer = await refreshTokens(team.server.url, kept, 10_000);
    expect(lostAnswer.refreshToken).not.toBe(kept);

    const again = await team.openClient({ dataDir, proxy });
    await inSync(again);
    const rex = (await again.call('entities.create', { type: 'dog', fields: { name: 'Rex' } })) as { id: string };
    await inSync(again);
    await eventually(async () => expect((await serverSnapshot(team.server, 'root')).dog?.[rex.id]).toBeDefined());
    expect(again.status).toMatchObject({ phase: 'in-sync', lastError: null });
    // The answer never saved was withdrawn: whoever holds it cannot use it.
    await expect(refreshTokens(team.server.url, lostAnswer.refreshToken, 10_000)).rejects.toThrow(/already used/);
  });
});
