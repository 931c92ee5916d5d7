import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../../main/api';
import type { EntityDocument } from '../../shared/entities';
import { ALICE, appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function video(fields: Record<string, unknown> = {}) {
  return (await core.call.entities.create({
    type: 'video',
    fields: { title: 'Morning walk', description: 'By the river', ...fields },
  })) as EntityDocument<'video'>;
}

async function stored(id: string) {
  return (await core.call.entities.get({ type: 'video', id })) as EntityDocument<'video'>;
}

describe('lost updates: an update names the value each changed field started from', () => {
  it('refuses a field changed meanwhile with CONFLICT, both values and who changed it', async () => {
    const opened = await video();
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Evening walk' },
      bases: { title: 'Morning walk' },
    });
    const error = await appErrorOf(
      core.call.entities.update({
        type: 'video',
        id: opened.id,
        fields: { title: 'Walk at noon' },
        bases: { title: 'Morning walk' },
      }),
    );
    expect(error.appCode).toBe('CONFLICT');
    expect(error.conflicts).toEqual([
      {
        field: 'title',
        base: 'Morning walk',
        yours: 'Walk at noon',
        stored: 'Evening walk',
        changedBy: ALICE,
        changedAt: expect.any(String),
      },
    ]);
    expect(error.message).toContain('changed Title');
    expect((await stored(opened.id)).title).toBe('Evening walk');
  });

  it('names the fields by label and links by their entries’ names in the refusal', async () => {
    const trip = async (name: string) => (await core.call.entities.create({ type: 'trip', fields: { name } })).id;
    const alps = await trip('Alps');
    const dolomites = await trip('Dolomites');
    const opened = await video({ tripId: alps });
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { tripId: dolomites, description: 'Up the pass' },
      bases: { tripId: alps, description: 'By the river' },
    });
    const error = await appErrorOf(
      core.call.entities.update({
        type: 'video',
        id: opened.id,
        fields: { tripId: null, description: '' },
        bases: { tripId: alps, description: 'By the river' },
      }),
    );
    expect(error.appCode).toBe('CONFLICT');
    expect(error.message).toContain('changed Description, Trip of this video');
    expect(error.message).toContain('Trip: yours empty, now "Dolomites"');
    expect(error.message).toContain('Description: yours empty, now "Up the pass"');
    expect(error.message).not.toContain(dolomites);
    expect(error.message).not.toContain('tripId');
  });

  it('refuses the whole update when one field conflicts, and merges fields whose base still holds', async () => {
    const opened = await video();
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Evening walk' },
      bases: { title: 'Morning walk' },
    });
    const refused = await appErrorOf(
      core.call.entities.update({
        type: 'video',
        id: opened.id,
        fields: { title: 'Noon', description: 'Along the dam' },
        bases: { title: 'Morning walk', description: 'By the river' },
      }),
    );
    expect(refused.conflicts?.map((c) => c.field)).toEqual(['title']);
    expect((await stored(opened.id)).description).toBe('By the river');

    // The same stale editor, saving only a field nobody else touched: applied, the other change kept.
    const merged = (await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { description: 'Along the dam' },
      bases: { description: 'By the river' },
    })) as EntityDocument<'video'>;
    expect(merged).toMatchObject({ title: 'Evening walk', description: 'Along the dam' });
  });

  it('is no conflict when the new value is what is stored already', async () => {
    const opened = await video();
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Evening walk' },
      bases: { title: 'Morning walk' },
    });
    const same = (await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Evening walk', episode: 2 },
      bases: { title: 'Morning walk', episode: null },
    })) as EntityDocument<'video'>;
    expect(same).toMatchObject({ title: 'Evening walk', episode: 2 });
  });

  /** Gives a new person Ada a bio, a hidden photo and an alias, starting from empty bases and the defaults. */
  async function fillInAda(prepare: (id: string) => Promise<void> = async () => {}) {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Ada' },
    })) as EntityDocument<'person'>;
    await prepare(person.id);
    return core.call.entities.update({
      type: 'person',
      id: person.id,
      fields: { bio: 'First guest', photoVisible: false, aliases: ['A.'] },
      bases: { bio: null, photoVisible: true, aliases: [] },
    });
  }

  it('treats null, an absent field and a default as the same empty base', async () => {
    expect(await fillInAda()).toMatchObject({ bio: 'First guest', photoVisible: false, aliases: ['A.'] });
  });

  it('treats a field a stored entry lacks as its default (an entry pulled from an older client)', async () => {
    const updated = await fillInAda(async (id) => {
      // Stored as a client of before photos and aliases left it: without either field.
      const stored = await core.context.database!.entities.person.findOne(id).exec();
      await stored!.modify((data) => {
        delete data.photoVisible;
        delete data.aliases;
        return data;
      });
      expect(await core.call.entities.get({ type: 'person', id })).not.toHaveProperty('photoVisible');
    });
    expect(updated).toMatchObject({ bio: 'First guest', photoVisible: false, aliases: ['A.'] });
  });

  it('merges list fields as sets: adds and removes from both sides survive', async () => {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Ada', aliases: ['Countess', 'Enchantress'] },
    })) as EntityDocument<'person'>;
    await core.call.entities.update({
      type: 'person',
      id: person.id,
      fields: { aliases: ['Countess', 'Enchantress', 'A. A. L.'] },
      bases: { aliases: ['Countess', 'Enchantress'] },
    });
    const merged = (await core.call.entities.update({
      type: 'person',
      id: person.id,
      fields: { aliases: ['Enchantress', 'Lady Lovelace'] },
      bases: { aliases: ['Countess', 'Enchantress'] },
    })) as EntityDocument<'person'>;
    expect(merged.aliases).toEqual(['Enchantress', 'A. A. L.', 'Lady Lovelace']);
  });

  it('refuses a changed field without a base with a VALIDATION message that names it', async () => {
    const opened = await video();
    const error = await appErrorOf(
      core.call.entities.update({
        type: 'video',
        id: opened.id,
        fields: { title: 'Noon', description: 'Dam' },
        bases: { description: 'By the river' },
      }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([
      { field: 'title', message: expect.stringContaining('held when editing began') },
    ]);
    expect(error.message).toContain('does not say what title held when editing began');
    const neither = await appErrorOf(
      core.call.entities.update({ type: 'video', id: opened.id, fields: { title: 'Noon' } } as never),
    );
    expect(neither.appCode).toBe('VALIDATION');
    expect((await stored(opened.id)).title).toBe('Morning walk');
  });

  it('refuses a caller naming a stale version (rev) even for a field nobody else changed', async () => {
    const opened = await video();
    await core.call.entities.update({ type: 'video', id: opened.id, rev: opened.rev, fields: { title: 'Evening' } });
    const error = await appErrorOf(
      core.call.entities.update({ type: 'video', id: opened.id, rev: opened.rev, fields: { description: 'Dam' } }),
    );
    expect(error.appCode).toBe('CONFLICT');
    expect((await stored(opened.id)).description).toBe('By the river');
  });

  it('carries the conflicting fields across the tRPC boundary, typed in error.data', async () => {
    const opened = await video();
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'A' },
      bases: { title: 'Morning walk' },
    });
    const error = await core.call.entities
      .update({ type: 'video', id: opened.id, fields: { title: 'B' }, bases: { title: 'Morning walk' } })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    const shape = getErrorShape({
      config: appRouter._def._config,
      error: error!,
      type: 'mutation',
      path: 'entities.update',
      input: undefined,
      ctx: core.context,
    });
    expect(shape.data).toMatchObject({
      code: 'CONFLICT',
      httpStatus: 409,
      appCode: 'CONFLICT',
      conflicts: [{ field: 'title', base: 'Morning walk', yours: 'B', stored: 'A', changedBy: ALICE }],
    });
  });
});

describe('lost updates: resolving a recorded conflict', () => {
  /** A conflict record as replication keeps it, on a video whose merged title is what is stored. */
  async function recordConflict(opened: EntityDocument<'video'>) {
    const snapshot = { ...opened };
    const record = {
      id: `${opened.id}:local:server`,
      rev: 'r1',
      kind: 'merge' as const,
      entityType: 'video',
      entityId: opened.id,
      entityTitle: opened.title,
      base: { ...snapshot, title: 'Base' },
      local: { ...snapshot, title: 'Local title' },
      server: snapshot,
      merged: snapshot,
      fields: ['title'],
      reason: null,
      detectedAt: new Date().toISOString(),
      detectedBy: ALICE,
      status: 'open' as const,
      closedAt: null,
      closedBy: null,
    };
    await core.context.database.conflicts.insert(record);
    return record.id;
  }

  it('does not overwrite a field changed after the conflict was recorded; other fields may have moved on', async () => {
    const opened = await video();
    const id = await recordConflict(opened);
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { description: 'Along the dam' },
      bases: { description: 'By the river' },
    });
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Renamed since' },
      bases: { title: 'Morning walk' },
    });
    const error = await appErrorOf(core.call.conflicts.resolve({ id, choices: { title: { source: 'local' } } }));
    expect(error.appCode).toBe('CONFLICT');
    expect(error.conflicts).toMatchObject([{ field: 'title', yours: 'Local title', stored: 'Renamed since' }]);
    expect((await stored(opened.id)).title).toBe('Renamed since');

    const other = await video({ title: 'Second' });
    const second = await recordConflict(other);
    await core.call.entities.update({
      type: 'video',
      id: other.id,
      fields: { description: 'Along the dam' },
      bases: { description: 'By the river' },
    });
    await core.call.conflicts.resolve({ id: second, choices: { title: { source: 'local' } } });
    expect(await stored(other.id)).toMatchObject({ title: 'Local title', description: 'Along the dam' });
  });

  it('takes the value the admin saw (the detail follows the entry) as the base; a change after that is refused', async () => {
    const opened = await video();
    const id = await recordConflict(opened);
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'Renamed since' },
      bases: { title: 'Morning walk' },
    });
    const stale = await appErrorOf(
      core.call.conflicts.resolve({ id, choices: { title: { source: 'local' } }, seen: { title: 'Morning walk' } }),
    );
    expect(stale.appCode).toBe('CONFLICT');
    expect((await stored(opened.id)).title).toBe('Renamed since');

    await core.call.conflicts.resolve({
      id,
      choices: { title: { source: 'local' } },
      seen: { title: 'Renamed since' },
    });
    expect((await stored(opened.id)).title).toBe('Local title');
  });
});

describe('lost updates: restoring a past version', () => {
  it('takes the version shown as current as its base: a field changed since is refused, others merge', async () => {
    const opened = await video();
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'B' },
      bases: { title: 'Morning walk' },
    });
    const shown = await core.call.history.list({ type: 'video', id: opened.id });
    const first = shown[shown.length - 1]!;

    // Someone changes the description after the history was shown: restoring the title alone still works.
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { description: 'Dam' },
      bases: { description: 'By the river' },
    });
    const restored = await core.call.history.restore({
      type: 'video',
      id: opened.id,
      entryId: first.id,
      currentEntryId: shown[0]!.id,
    });
    expect(restored).toMatchObject({ title: 'Morning walk', description: 'Dam' });

    // Shown again, then someone renames: restoring the first version would overwrite that unseen title.
    const again = await core.call.history.list({ type: 'video', id: opened.id });
    await core.call.entities.update({
      type: 'video',
      id: opened.id,
      fields: { title: 'C' },
      bases: { title: 'Morning walk' },
    });
    const error = await appErrorOf(
      core.call.history.restore({ type: 'video', id: opened.id, entryId: again[1]!.id, currentEntryId: again[0]!.id }),
    );
    expect(error.appCode).toBe('CONFLICT');
    expect(error.conflicts).toMatchObject([{ field: 'title', yours: 'B', stored: 'C' }]);
    expect((await stored(opened.id)).title).toBe('C');
  });
});
