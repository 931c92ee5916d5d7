import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { ACTION_WORDS, readableChanges } from '../../shared/readable';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function create(type: 'person' | 'trip' | 'video', fields: Record<string, unknown>) {
  return (await core.call.entities.create({ type, fields } as never)) as EntityDocument & { id: string; rev: string };
}

/** Dates in words as a test can predict them. */
const day = (iso: string) => iso.slice(0, 10);

describe('readable history and audit', () => {
  it('names linked entries by title and fields by label, trash as "Moved to trash" with its date', async () => {
    const ann = await create('person', { name: 'Ann Lee' });
    const iceland = await create('trip', { name: 'Iceland' });
    const norway = await create('trip', { name: 'Norway' });
    const video = await create('video', { title: 'Swim', people: [ann.id], tripId: iceland.id });
    const moved = await core.call.entities.update({
      type: 'video',
      id: video.id,
      rev: video.rev,
      fields: { tripId: norway.id },
    });
    await core.call.trash.trash({ items: [{ type: 'video', id: video.id, rev: moved.rev }] });

    const [trashed, edited, created] = await core.call.history.list({ type: 'video', id: video.id });
    expect(ACTION_WORDS[trashed!.action]).toBe('Moved to trash');
    expect(readableChanges('video', trashed!.changes, trashed!.titles, day)).toEqual([
      { field: 'deletedAt', label: 'Trash', from: '—', to: `Moved to trash on ${day(trashed!.at)}` },
    ]);
    expect(readableChanges('video', edited!.changes, edited!.titles)).toEqual([
      { field: 'tripId', label: 'Trip', from: 'Iceland', to: 'Norway' },
    ]);
    expect(readableChanges('video', created!.changes, created!.titles)).toEqual(
      expect.arrayContaining([
        { field: 'people', label: 'People', from: '—', to: 'Ann Lee' },
        { field: 'tripId', label: 'Trip', from: '—', to: 'Iceland' },
      ]),
    );
    // The audit pages carry the same titles.
    const { items } = await core.call.audit.query({ entityId: video.id });
    expect(items[1]!.titles).toEqual({ [iceland.id]: 'Iceland', [norway.id]: 'Norway' });
  });

  it('says "Removed link" and still names an entry deleted permanently', async () => {
    const ann = await create('person', { name: 'Ann Lee' });
    const video = await create('video', { title: 'Swim', people: [ann.id] });
    await core.call.trash.trash({ items: [{ type: 'person', id: ann.id }] });
    await core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }], confirm: true });
    const [removed] = await core.call.history.list({ type: 'video', id: video.id });
    expect(ACTION_WORDS[removed!.action]).toBe('Removed link');
    expect(readableChanges('video', removed!.changes, removed!.titles)).toEqual([
      { field: 'people', label: 'People', from: 'Ann Lee', to: '—' },
    ]);
  });

  it('exports the audit with actions and changes in words, and the ids and codes in their own columns', async () => {
    const iceland = await create('trip', { name: 'Iceland' });
    const video = await create('video', { title: 'Swim', tripId: iceland.id });
    const events = [];
    for await (const event of await core.call.audit.export({ format: 'csv', entityId: video.id })) events.push(event);
    const done = events.at(-1) as { filePath: string };
    const csv = Papa.parse<Record<string, string>>(await readFile(done.filePath, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    const [row] = csv.data;
    expect(row).toMatchObject({
      action: 'Created',
      actionCode: 'create',
      entityType: 'Video',
      entityTitle: 'Swim',
      entityId: video.id,
      actorName: 'Alice Admin',
      actorId: 'alice',
    });
    expect(row!.changes).toContain('Trip: — → Iceland');
    expect(row!.changes).not.toContain(iceland.id);
    expect(JSON.parse(row!.changesData!)).toContainEqual({ field: 'tripId', from: null, to: iceland.id });
  });
});
