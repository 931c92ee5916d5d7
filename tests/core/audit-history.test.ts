import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
let clock: Date;
beforeEach(async () => {
  clock = new Date('2026-01-01T00:00:00.000Z');
  core = await openTestCore({ now: () => new Date((clock = new Date(clock.getTime() + 1000))) });
});
afterEach(async () => {
  await core.dispose();
});

async function dog(name: string, fields: Record<string, unknown> = {}) {
  return (await core.call.entities.create({ type: 'dog', fields: { name, ...fields } })) as EntityDocument<'dog'>;
}

describe('audit', () => {
  it('writes one entry per write with field-level changes', async () => {
    const rex = await dog('Rex', { breed: 'Collie' });
    const updated = await core.call.entities.update({
      type: 'dog',
      id: rex.id,
      rev: rex.rev,
      fields: { breed: null, color: 'Red' },
    });
    await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id, rev: updated.rev }] });
    const { items } = await core.call.audit.query({ entityId: rex.id });
    expect(items.map((e) => e.action)).toEqual(['trash', 'update', 'create']);
    expect(items[2]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', from: null, to: 'Rex' },
        { field: 'breed', from: null, to: 'Collie' },
      ]),
    );
    expect(items[1]!.changes).toEqual([
      { field: 'breed', from: 'Collie', to: null },
      { field: 'color', from: null, to: 'Red' },
    ]);
    expect(items[0]!.changes).toEqual([{ field: 'deletedAt', from: null, to: expect.any(String) }]);
    expect(items[0]).toMatchObject({ entityType: 'dog', entityTitle: 'Rex', actor: { id: 'alice' } });
  });

  it('records no change from nothing to nothing: a create lists the fields it set', async () => {
    const rex = await dog('Rex', { breed: 'Collie' });
    const updated = await core.call.entities.update({
      type: 'dog',
      id: rex.id,
      rev: rex.rev,
      fields: { color: null },
    });
    const { items } = await core.call.audit.query({ entityId: rex.id });
    const [create] = items.filter((entry) => entry.action === 'create');
    expect(create!.changes.map((change) => change.field).sort()).toEqual(['aliases', 'breed', 'name', 'photoVisible']);
    // Clearing a field that was never set changes nothing, so no entry is written for it.
    expect(updated.rev).toBe(rex.rev);
    expect(items.map((entry) => entry.action)).toEqual(['create']);
  });

  it('filters by actor, action, type, entity and date range, newest first, by cursor', async () => {
    const start = new Date(clock.getTime() + 1).toISOString();
    for (let i = 0; i < 5; i++) await dog(`D${i}`);
    const middle = clock.toISOString();
    core.context.setSession({ actor: { id: 'bob', name: 'Bob' }, role: 'editor' });
    const series = await core.call.entities.create({ type: 'series', fields: { name: 'S' } });

    expect((await core.call.audit.query({ actorId: 'bob' })).items.map((e) => e.entityId)).toEqual([series.id]);
    expect((await core.call.audit.query({ entityType: 'dog' })).items).toHaveLength(5);
    expect((await core.call.audit.query({ action: 'update' })).items).toHaveLength(0);
    const ranged = await core.call.audit.query({ from: start, to: middle });
    expect(ranged.items.map((e) => e.entityTitle)).toEqual(['D4', 'D3', 'D2', 'D1', 'D0']);
    expect(await core.call.audit.count({ from: start, to: middle })).toBe(5);

    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { entityTitle: string }[]; nextCursor: string | null } = await core.call.audit.query({
        cursor,
        limit: 2,
      });
      titles.push(...page.items.map((e) => e.entityTitle));
      cursor = page.nextCursor;
    } while (cursor);
    expect(titles).toEqual(['S', 'D4', 'D3', 'D2', 'D1', 'D0']);
  });

  it('exports to CSV and JSON as a stream of progress events ending with the file', async () => {
    for (let i = 0; i < 3; i++) await dog(`D${i}`);
    const events = [];
    for await (const event of await core.call.audit.export({ format: 'csv', entityType: 'dog' })) events.push(event);
    expect(events[0]).toEqual({ type: 'progress', done: 0, total: 3 });
    const done = events.at(-1) as { type: 'done'; filePath: string; rows: number };
    expect(done).toMatchObject({ type: 'done', rows: 3 });
    expect(done.filePath.startsWith(join(core.dataDir, 'exports'))).toBe(true);
    const csv = Papa.parse<Record<string, string>>(await readFile(done.filePath, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(csv.data.map((row) => [row.action, row.actionCode, row.entityTitle])).toEqual([
      ['Created', 'create', 'D2'],
      ['Created', 'create', 'D1'],
      ['Created', 'create', 'D0'],
    ]);

    const target = join(core.dataDir, 'audit.json');
    for await (const event of await core.call.audit.export({ format: 'json', filePath: target })) void event;
    const json = JSON.parse(await readFile(target, 'utf8')) as { entityTitle: string }[];
    expect(json.map((e) => e.entityTitle)).toEqual(['D2', 'D1', 'D0']);
  });
});

describe('history', () => {
  it('lists an entity’s entries with the version each produced, and restores a past version as an update', async () => {
    const rex = await dog('Rex', { breed: 'Collie' });
    const second = await core.call.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { name: 'Rexy' } });
    const third = await core.call.entities.update({
      type: 'dog',
      id: rex.id,
      rev: second.rev,
      fields: { breed: null, color: 'Black' },
    });
    const history = await core.call.history.list({ type: 'dog', id: rex.id });
    expect(history.map((e) => e.action)).toEqual(['update', 'update', 'create']);
    expect(history[2]!.version).toMatchObject({ name: 'Rex', breed: 'Collie', deletedAt: null });
    expect(history[2]!.version).not.toHaveProperty('color');
    expect(history[0]!.version).toMatchObject({ name: 'Rexy', color: 'Black' });

    const stale = await appErrorOf(
      core.call.history.restore({ type: 'dog', id: rex.id, entryId: history[2]!.id, rev: rex.rev }),
    );
    expect(stale.appCode).toBe('CONFLICT');

    const restored = (await core.call.history.restore({
      type: 'dog',
      id: rex.id,
      entryId: history[2]!.id,
      rev: third.rev,
    })) as EntityDocument<'dog'>;
    expect(restored).toMatchObject({ name: 'Rex', breed: 'Collie' });
    expect(restored.color).toBeUndefined();
    const after = await core.call.history.list({ type: 'dog', id: rex.id });
    expect(after).toHaveLength(4);
    expect(after[0]!.changes).toEqual([
      { field: 'name', from: 'Rexy', to: 'Rex' },
      { field: 'breed', from: null, to: 'Collie' },
      { field: 'color', from: 'Black', to: null },
    ]);
  });
});
