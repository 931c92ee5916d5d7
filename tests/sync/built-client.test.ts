/**
 * Issue 16: bench:sync runs its clients as built (tests/sync/built-client.ts), as users run the app. The bundle
 * must hold every worker thread where the core looks for it, and a client run from it must sync as one run
 * from source does.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS } from '../../main/threads';
import { buildClient } from './built-client';
import { eventually, expectConverged, useTestTeam } from './harness';

const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['bob', 'editor', 'Bob'],
  ['root', 'admin', 'Root'],
]);

// Inside the project, so that the bundle's dependencies resolve from node_modules.
const outDir = resolve(import.meta.dirname, `../../out/built-client-test-${process.pid}`);
let built: string;

beforeAll(async () => {
  built = await buildClient(outDir);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the client as built', () => {
  it('has every worker thread beside it, under the name the core starts it by', () => {
    for (const worker of Object.values(WORKERS)) expect(existsSync(join(dirname(built), worker.built))).toBe(true);
  });

  it('syncs both ways with a client run from source', async () => {
    const fromBuild = await team.openClient({ built });
    const fromSource = await team.openClient();
    await Promise.all([fromBuild.signIn('alice'), fromSource.signIn('bob')]);
    const ada = await fromBuild.call('entities.create', { type: 'person', fields: { name: 'Ada Lovelace' } });
    const grace = await fromSource.call('entities.create', { type: 'person', fields: { name: 'Grace Hopper' } });
    await eventually(() =>
      expect(fromSource.call('entities.get', { type: 'person', id: ada.id })).resolves.toBeTruthy(),
    );
    await eventually(() =>
      expect(fromBuild.call('entities.get', { type: 'person', id: grace.id })).resolves.toBeTruthy(),
    );
    await expectConverged(team.server, 'root', [fromBuild, fromSource]);
  });
});
