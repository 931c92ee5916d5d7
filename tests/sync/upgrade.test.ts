/**
 * Schema evolution across a release (issue 14, SCHEMA-*): a test-only v1 of
 * the entity registry (tests/sync/upgrade/registry-v1.ts: dog gains `size`,
 * person's `bio` becomes `biography`, a new type `tag`) runs in real cores
 * and real servers, each in its own process, on SQLite and on PostgreSQL.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type PostgresFixture } from '../server/postgres-fixture';
import { SERVER_BEHIND_REASON } from '../../main/sync/schema-versions';
import { eventually, inSync, type TestClient } from './harness';
import { allInSync, UpgradeTeam, type Backend } from './upgrade/team';

let postgres: PostgresFixture | null = null;
const backends: Backend[] = postgresBinDir() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!postgresBinDir()) console.warn('upgrade.test.ts: PostgreSQL binaries not found, the PostgreSQL runs are skipped.');

beforeAll(async () => {
  if (backends.includes('postgres')) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const live = (type: string, id: string) => ({ type, id });

describe.each(backends)('a release that adds a field, renames one and adds a type (%s)', (backend) => {
  it('SCHEMA-3 … SCHEMA-5: offline v0 work, v0 and v1 clients, a v1 client ahead of its server: every edit arrives', async () => {
    const team = await UpgradeTeam.start('v0', backend === 'postgres' ? await postgres!.createDatabase() : undefined);
    const opened: TestClient[] = [];
    const profiles: string[] = [];
    try {
      // v0: Ann and Bob share a dog and a person.
      const ann = await team.signedIn('v0', 'ann');
      profiles.push(ann.dataDir);
      const bob = await team.signedIn('v0', 'bob');
      opened.push(bob);
      const rex = await ann.call('entities.create', { type: 'dog', fields: { name: 'Rex', color: 'grey' } });
      const pat = await ann.call('entities.create', { type: 'person', fields: { name: 'Pat', bio: 'First bio' } });
      await inSync(ann);
      await eventually(async () => expect((await bob.call('entities.get', live('person', pat.id))).rev).toBe(pat.rev));

      // Dan already runs v1 against the v0 server: his changes wait, and the status says why (SCHEMA-5).
      const dan = await team.client('v1');
      opened.push(dan);
      await dan.signIn('dan');
      const max = await dan.call('entities.create', { type: 'dog', fields: { name: 'Max', size: 'small' } });
      const danTag = await dan.call('entities.create', { type: 'tag', fields: { name: 'Puppies' } });
      await eventually(() => expect(dan.status).toMatchObject({ pending: 2, notSentReason: SERVER_BEHIND_REASON }));

      // Ann works offline, then shuts her laptop with the changes waiting.
      await ann.proxy.setOnline(false);
      await eventually(() => expect(ann.status?.phase).toBe('offline'));
      await ann.call('entities.update', { ...live('dog', rex.id), rev: rex.rev, fields: { name: 'Rex II' } });
      await ann.call('entities.update', { ...live('person', pat.id), rev: pat.rev, fields: { bio: 'Typed offline' } });
      const fido = await ann.call('entities.create', { type: 'dog', fields: { name: 'Fido' } });
      expect(ann.status?.pending).toBe(3);
      await team.shutDown(ann);

      // The operator upgrades the server; the stored documents are migrated as they are read.
      await team.restartAs('v1');

      // Dan's held changes go through once the server is upgraded.
      await eventually(() => expect(dan.status).toMatchObject({ phase: 'in-sync', pending: 0 }), 60_000);

      // Bob still runs v0 against the v1 server (SCHEMA-4): his edit is migrated up on arrival.
      const patForBob = await bob.call('entities.get', live('person', pat.id));
      await bob.call('entities.update', { ...live('person', pat.id), rev: patForBob.rev, fields: { name: 'Pat B' } });
      await inSync(bob, 60_000);

      // Cat runs v1: she reads the migrated documents and uses the new field and type.
      const cat = await team.signedIn('v1', 'cat');
      opened.push(cat);
      const rexForCat = await cat.call('entities.get', live('dog', rex.id));
      expect(rexForCat).toMatchObject({ name: 'Rex', size: 'unknown' });
      expect(await cat.call('entities.get', live('person', pat.id))).toMatchObject({
        name: 'Pat B',
        biography: 'First bio',
      });
      expect(await cat.call('entities.get', live('dog', max.id))).toMatchObject({ size: 'small' });
      await cat.call('entities.update', { ...live('dog', rex.id), rev: rexForCat.rev, fields: { size: 'large' } });
      const catTag = await cat.call('entities.create', { type: 'tag', fields: { name: 'Good dogs' } });
      await inSync(cat, 60_000);

      // Bob (v0) reads Rex without the field he cannot hold, and edits it: Cat's size stays (SCHEMA-4).
      const rexForBob = await eventually(async () => {
        const doc = await bob.call('entities.get', live('dog', rex.id));
        expect(doc.rev).not.toBe(rex.rev);
        return doc;
      }, 30_000);
      expect(rexForBob).not.toHaveProperty('size');
      await bob.call('entities.update', { ...live('dog', rex.id), rev: rexForBob.rev, fields: { color: 'brown' } });
      await inSync(bob, 60_000);

      // Ann updates Curio: her profile is migrated at open, and the offline work reaches the server.
      const annV1 = await team.client('v1', { dataDir: ann.dataDir, proxy: ann.proxy });
      opened.push(annV1);
      await ann.proxy.setOnline(true);
      await eventually(() => expect(annV1.status).toMatchObject({ phase: 'in-sync', pending: 0 }), 90_000);

      await allInSync(opened);
      const { dog: dogs = {}, person: people = {}, tag: tags = {}, conflicts = {} } = await team.snapshot();
      expect(dogs[rex.id]).toMatchObject({ name: 'Rex II', color: 'brown', size: 'large' });
      expect(people[pat.id]).toMatchObject({ name: 'Pat B', biography: 'Typed offline' });
      expect(people[pat.id]).not.toHaveProperty('bio');
      expect(dogs[fido.id]).toMatchObject({ name: 'Fido', size: 'unknown' });
      expect(dogs[max.id]).toMatchObject({ name: 'Max', size: 'small' });
      expect(Object.keys(tags).sort()).toEqual([danTag.id, catTag.id].sort());
      // Nothing contested: every edit is in the final state, no conflict was left open.
      expect(Object.values(conflicts).filter((record) => record.status === 'open')).toEqual([]);

      // Every client holds the server's state in its own version.
      for (const client of [annV1, cat, dan]) {
        const local = await client.snapshot();
        expect([local.dog, local.person, local.tag]).toEqual([dogs, people, tags]);
      }
      const bobs = await bob.snapshot();
      expect(bobs.tag).toBeUndefined();
      expect(bobs.dog?.[rex.id]).toEqual(withoutKey(dogs[rex.id]!, 'size'));
      const { biography, ...patV0 } = people[pat.id]!;
      expect(bobs.person?.[pat.id]).toEqual({ ...patV0, bio: biography });
      // Bob's audit holds no entries about tags, which his version cannot read.
      expect(Object.values(bobs.audit ?? {}).some((entry) => entry.entityType === 'tag')).toBe(false);
    } finally {
      await team.close();
      for (const folder of profiles) await rm(folder, { recursive: true, force: true });
    }
  }, 480_000);
});

function withoutKey(document: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = document;
  return rest;
}
