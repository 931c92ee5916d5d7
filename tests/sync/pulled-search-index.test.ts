import { describe, expect, it } from 'vitest';
import { eventually, inSync, type TestClient, useTestTeam } from './harness';

/**
 * Pulled pages are written in bulk: the search index and the back-links are
 * filled per page instead of by the per-row triggers (derived-tables.ts).
 * Search and back-links must be exactly what the triggers would have made,
 * after an initial sync and after a catch-up of updates and deletes.
 */
const team = useTestTeam([
  ['reader', 'editor', 'Reader'],
  ['root', 'admin', 'Root'],
]);

/** More than any bulk-write threshold, so every pulled page below goes the bulk way. */
const MANY = 30;

interface Hit {
  id: string;
  title: string;
}

const search = (client: TestClient, query: string) =>
  client.call<Hit[]>('entities.search', { query, limit: 200 }).then((hits) => hits.map((hit) => hit.title).sort());

const videosLinking = async (client: TestClient, personId: string) => {
  const links = await client.call<{ groups: { type: string; count: number; items: { title: string }[] }[] }>(
    'links.backLinks',
    { type: 'person', id: personId },
  );
  const videos = links.groups.find((group) => group.type === 'video');
  return { count: videos?.count ?? 0, titles: (videos?.items ?? []).map((item) => item.title).sort() };
};

describe('search index and back-links of pulled pages', () => {
  it('are exact after an initial sync and after a catch-up of updates and deletes', async () => {
    const writer = await team.signedIn('root');
    const people: { id: string; rev: string; name: string }[] = [];
    for (let index = 0; index < MANY; index++) {
      const name = index === 0 ? 'Quillon Marchetti' : `Walker ${index}`;
      const bio = index === 0 ? 'Juggles obsidian lanterns' : `Hikes along the coast ${index}`;
      people.push(await writer.call('entities.create', { type: 'person', fields: { name, bio } }));
    }
    const quillon = people[0]!;
    const videos: { id: string; rev: string; title: string }[] = [];
    for (let index = 0; index < MANY; index++) {
      videos.push(
        await writer.call('entities.create', {
          type: 'video',
          fields: {
            title: index === MANY - 1 ? 'Glacier crossing' : `Ridge walk ${index}`,
            people: [quillon.id, people[1 + (index % 3)]!.id],
          },
        }),
      );
    }
    await inSync(writer);

    const reader = await team.signedIn('reader');
    expect(await reader.call('entities.counts')).toMatchObject({ person: { live: MANY }, video: { live: MANY } });
    // By a word of its description, by a prefix of its title, by a prefix of a description word.
    expect(await search(reader, 'obsidian')).toEqual(['Quillon Marchetti']);
    expect(await search(reader, 'quill')).toEqual(['Quillon Marchetti']);
    expect(await search(reader, 'lante')).toEqual(['Quillon Marchetti']);
    expect((await search(reader, 'ridge walk')).length).toBe(MANY - 1);
    expect(await search(reader, 'glacier')).toEqual(['Glacier crossing']);
    expect(await videosLinking(reader, quillon.id)).toMatchObject({ count: MANY });
    expect((await videosLinking(reader, people[1]!.id)).count).toBe(MANY / 3);

    // Changes the reader catches up on in one page per collection: updates and deletes.
    await reader.proxy.setOnline(false);
    await eventually(() => expect(reader.status?.phase).toBe('offline'));
    for (const person of people.slice(0, MANY - 2)) {
      await writer.call('entities.update', {
        type: 'person',
        id: person.id,
        rev: person.rev,
        fields: { bio: 'Collects amber teapots' },
      });
    }
    const trashed = people[MANY - 1]!;
    await writer.call('trash.trash', { items: [{ type: 'person', id: trashed.id }] });
    const deleted = people[MANY - 2]!;
    await writer.call('trash.trash', { items: [{ type: 'person', id: deleted.id }] });
    await writer.call('trash.deletePermanently', { items: [{ type: 'person', id: deleted.id }], confirm: true });
    // Half the videos no longer show Quillon; one is deleted.
    for (const video of videos.slice(0, MANY / 2)) {
      await writer.call('entities.update', {
        type: 'video',
        id: video.id,
        rev: video.rev,
        fields: { people: [], title: `Lake swim ${video.title.split(' ').pop()}` },
      });
    }
    const gone = videos[MANY - 1]!;
    await writer.call('trash.trash', { items: [{ type: 'video', id: gone.id }] });
    await writer.call('trash.deletePermanently', { items: [{ type: 'video', id: gone.id }], confirm: true });
    await inSync(writer);

    await reader.proxy.setOnline(true);
    await eventually(async () => {
      await inSync(reader);
      expect(await reader.call('entities.counts')).toMatchObject({
        person: { live: MANY - 2 },
        video: { live: MANY - 1 },
      });
    }, 60_000);
    // The new words find the updated entries, the old ones no longer do.
    expect(await search(reader, 'obsidian')).toEqual([]);
    expect((await search(reader, 'amber teapots')).length).toBe(MANY - 2);
    expect(await search(reader, 'quill')).toEqual(['Quillon Marchetti']);
    expect((await search(reader, 'lake swim')).length).toBe(MANY / 2);
    expect((await search(reader, 'ridge walk')).length).toBe(MANY / 2 - 1);
    // Trashed: found only with the trash; deleted permanently: not found at all.
    expect(await search(reader, trashed.name)).toEqual([]);
    const withTrash = await reader.call<(Hit & { inTrash: boolean })[]>('entities.search', {
      query: trashed.name,
      includeTrash: true,
    });
    expect(withTrash.map((hit) => [hit.title, hit.inTrash])).toEqual([[trashed.name, true]]);
    expect(await reader.call('entities.search', { query: deleted.name, includeTrash: true })).toEqual([]);
    expect(await reader.call('entities.search', { query: 'glacier', includeTrash: true })).toEqual([]);

    const linking = await videosLinking(reader, quillon.id);
    expect(linking.count).toBe(MANY / 2 - 1);
    expect(linking.titles).toEqual(
      videos
        .slice(MANY / 2, MANY - 1)
        .map((video) => video.title)
        .sort(),
    );
  }, 240_000);
});
