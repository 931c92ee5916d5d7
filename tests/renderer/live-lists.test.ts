import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { patchLists, refreshAllButEntries, type EntryChange } from '../../renderer/src/api/live-lists';

/** A dog as the core stores it (only the fields these tests read). */
const dog = (id: string, name: string, breed: string, birthYear: number | null = null) =>
  ({ id, name, breed, birthYear, deletedAt: null }) as unknown as NonNullable<EntryChange['document']>;

/** A list query as tRPC's infinite list options key it: the path, then the input. */
function listKey(input: object) {
  return [['entities', 'list'], { input: { type: 'dog', ...input }, type: 'infinite' }];
}

function clientWithList(input: object, items: ReturnType<typeof dog>[]) {
  const client = new QueryClient();
  const key = listKey(input);
  client.setQueryData(key, { pages: [{ items, nextCursor: null }], pageParams: [null] });
  const list = () => client.getQueryState(key)!;
  const names = () =>
    (client.getQueryData(key) as { pages: { items: { name: string; birthYear: number | null }[] }[] }).pages[0]!.items;
  return { client, list, names };
}

const BY_NAME = { sort: { field: 'name', direction: 'asc' }, filters: { breed: { contains: 'Collie' } } };

describe('patchLists: a changed entry in the list pages on screen (issue 16)', () => {
  it('patches the row in place and reads nothing again when no sorted or filtered field changed', () => {
    const { client, list, names } = clientWithList(BY_NAME, [dog('1', 'Max', 'Collie'), dog('2', 'Rex', 'Collie')]);
    patchLists(client, { type: 'dog', id: '2', document: dog('2', 'Rex', 'Collie', 2019) });
    expect(names().map((d) => d.birthYear)).toEqual([null, 2019]);
    expect(list().isInvalidated).toBe(false);
  });

  it('patches the row and reads the list again when a filtered or sorted field changed', () => {
    for (const changed of [dog('2', 'Rex', 'Poodle'), dog('2', 'Aaron', 'Collie')]) {
      const { client, list, names } = clientWithList(BY_NAME, [dog('1', 'Max', 'Collie'), dog('2', 'Rex', 'Collie')]);
      patchLists(client, { type: 'dog', id: '2', document: changed });
      expect(names()[1]).toEqual(changed);
      expect(list().isInvalidated).toBe(true);
    }
  });

  it('reads the list again for an entry it does not hold (a new one may belong in it)', () => {
    const { client, list, names } = clientWithList(BY_NAME, [dog('1', 'Max', 'Collie')]);
    patchLists(client, { type: 'dog', id: '3', document: dog('3', 'Ace', 'Collie') });
    expect(names()).toHaveLength(1);
    expect(list().isInvalidated).toBe(true);
  });

  it('drops an entry deleted for good, and leaves lists of other types alone', () => {
    const { client, list, names } = clientWithList(BY_NAME, [dog('1', 'Max', 'Collie'), dog('2', 'Rex', 'Collie')]);
    patchLists(client, { type: 'person', id: '1', document: null });
    expect(list().isInvalidated).toBe(false);
    patchLists(client, { type: 'dog', id: '2', document: null });
    expect(names().map((d) => d.name)).toEqual(['Max']);
    expect(list().isInvalidated).toBe(true);
  });

  it('a refresh after a save or an audit entry leaves entries and lists to the pushed changes', async () => {
    const { client, list } = clientWithList(BY_NAME, [dog('1', 'Max', 'Collie')]);
    const history = [['history', 'list'], { input: { type: 'dog', id: '1' }, type: 'query' }];
    client.setQueryData(history, []);
    await refreshAllButEntries(client);
    expect(list().isInvalidated).toBe(false);
    expect(client.getQueryState(history)!.isInvalidated).toBe(true);
  });
});
