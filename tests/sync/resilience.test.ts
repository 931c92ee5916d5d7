import { describe, expect, it } from 'vitest';
import { ClientError } from './client-process';
import { eventually, expectConverged, type TestClient, useTestTeam } from './harness';

const team = useTestTeam(
  [
    ['alice', 'editor', 'Alice'],
    ['bob', 'editor', 'Bob'],
    ['root', 'admin', 'Root'],
  ],
  { perTest: true },
);

async function signedIn(...usernames: string[]): Promise<TestClient[]> {
  const opened = await Promise.all(usernames.map(() => team.openClient()));
  await Promise.all(opened.map((client, index) => client.signIn(usernames[index]!)));
  return opened;
}

/** Adds an alias to a person, retrying when a pulled change lands between read and write. */
async function addAlias(client: TestClient, id: string, alias: string): Promise<void> {
  for (;;) {
    const current = await client.call('entities.get', { type: 'person', id });
    try {
      await client.call('entities.update', {
        type: 'person',
        id,
        rev: current.rev,
        fields: { aliases: [...current.aliases, alias] },
      });
      return;
    } catch (error) {
      if (!(error instanceof ClientError) || error.code !== 'CONFLICT') throw error;
    }
  }
}

describe('sync under failures', () => {
  it('CLIENT-1: a server restart in the middle of a sync loses nothing', async () => {
    const [alice, bob] = (await signedIn('alice', 'bob')) as [TestClient, TestClient];
    const ids: string[] = [];
    const writing = (async () => {
      for (let index = 0; index < 150; index++) {
        const created = await alice.call('entities.create', { type: 'trip', fields: { name: `Trip ${index}` } });
        ids.push(created.id);
      }
    })();
    await eventually(() => expect(ids.length).toBeGreaterThan(30));
    await team.server.restart();
    await writing;
    const final = await expectConverged(team.server, 'root', [alice, bob]);
    for (const id of ids) expect(final.trip![id]).toBeDefined();
    expect(Object.keys(final.trip!)).toHaveLength(150);
  });

  it('CLIENT-1: a proxy cutting connections at random: every replica ends equal to the server and no added alias is lost', async () => {
    const [alice, bob] = (await signedIn('alice', 'bob')) as [TestClient, TestClient];
    const people: { id: string }[] = [];
    for (let index = 0; index < 3; index++) {
      people.push(await alice.call('entities.create', { type: 'person', fields: { name: `Chaos ${index}` } }));
    }
    await expectConverged(team.server, 'root', [alice, bob]);
    for (const client of [alice, bob]) client.proxy.startChaos(120);
    const added: string[] = [];
    await Promise.all(
      [alice, bob].map(async (client, clientIndex) => {
        for (let round = 0; round < 15; round++) {
          const person = people[round % people.length]!;
          const alias = `c${clientIndex}r${round}`;
          await addAlias(client, person.id, alias);
          added.push(`${person.id}:${alias}`);
          if (round % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }),
    );
    for (const client of [alice, bob]) client.proxy.stopChaos();
    expect(alice.proxy.cuts + bob.proxy.cuts).toBeGreaterThan(0);
    const final = await expectConverged(team.server, 'root', [alice, bob]);
    for (const entry of added) {
      const [id, alias] = entry.split(':') as [string, string];
      expect(final.person![id]!.aliases).toContain(alias);
    }
  });
});
