import { describe, expect, it } from 'vitest';
import { eventually, expectConverged, type TestClient, useTestTeam } from './harness';

const team = useTestTeam(
  [
    ['alice', 'editor', 'Alice'],
    ['bob', 'editor', 'Bob'],
    ['root', 'admin', 'Root'],
  ],
  { perTest: true },
);

async function client(username: string): Promise<TestClient> {
  const opened = await team.openClient();
  await opened.signIn(username);
  return opened;
}

describe('replication between two clients through the server', () => {
  it('PUSH, STREAM: a create on one client reaches the other live', async () => {
    const [a, b] = await Promise.all([client('alice'), client('bob')]);
    await eventually(() => expect(b.status?.phase).toBe('in-sync'));
    const created = await a.call('entities.create', {
      type: 'person',
      fields: { name: 'Ada Lovelace', aliases: ['Ada'] },
    });
    const seen = await eventually(() => b.call('entities.get', { type: 'person', id: created.id }));
    expect(seen).toMatchObject({ name: 'Ada Lovelace', aliases: ['Ada'], rev: created.rev });
    expect(seen.updatedBy.name).toBe('Alice');
    await expectConverged(team.server, 'root', [a, b]);
  });

  it('reports in-sync with nothing waiting once a change is pushed', async () => {
    const a = await client('alice');
    await a.call('entities.create', { type: 'series', fields: { name: 'Dog Days' } });
    await eventually(() => expect(a.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
    expect(a.status!.lastSyncAt).not.toBeNull();
    expect(a.status!.user).toMatchObject({ username: 'alice', role: 'editor' });
  });
});
