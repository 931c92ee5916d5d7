import { describe, expect, it } from 'vitest';
import { conflictIdFor, conflictRecordSchema } from '../../shared/conflict';
import { entities } from '../../shared/entities/registry';
import { conflictReason } from '../../shared/readable';
import { arrayFieldsOf, mergeAsSet, mergeEntity, refusedRecord, resolveConflict, type Doc } from '../../shared/merge';

const alice = { id: 'user-alice', name: 'Alice' };
const bob = { id: 'user-bob', name: 'Bob' };
let revCounter = 0;
const context = { actor: alice, now: '2026-01-02T03:04:05.000Z', newRev: () => `rev-merged-${++revCounter}` };

const PERSON_ID = '01900000-0000-7000-8000-000000000001';
const basePerson: Doc = {
  id: PERSON_ID,
  rev: 'rev-base',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: bob,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: bob,
  deletedAt: null,
  deletedBy: null,
  name: 'Rex Owner',
  bio: 'Walks dogs.',
  aliases: ['Rex', 'R.O.'],
  photoVisible: true,
  _deleted: false,
};

function edit(document: Doc, rev: string, actor: { id: string; name: string }, changes: Doc): Doc {
  return { ...document, ...changes, rev, updatedBy: actor, updatedAt: '2026-01-01T12:00:00.000Z' };
}

describe('array fields come from the entity schemas', () => {
  it('finds aliases, people and dogs and nothing else', () => {
    expect([...arrayFieldsOf('person')]).toEqual(['aliases']);
    expect([...arrayFieldsOf('dog')]).toEqual(['aliases']);
    expect([...arrayFieldsOf('video')].sort()).toEqual(['dogs', 'people']);
    expect([...arrayFieldsOf('trip')]).toEqual([]);
  });
});

describe('mergeAsSet', () => {
  it('keeps adds and removes from both sides', () => {
    expect(mergeAsSet(['a', 'b', 'c'], ['a', 'c', 'd'], ['b', 'c', 'e'])).toEqual(['c', 'e', 'd']);
  });
  it('does not duplicate an item both sides added', () => {
    expect(mergeAsSet([], ['x'], ['x'])).toEqual(['x']);
  });
});

describe('mergeEntity: three-way merge per field', () => {
  it('takes a field changed on one side only from that side', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Walks big dogs.' });
    const server = edit(basePerson, 'rev-server', bob, { name: 'Rex Keeper' });
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toMatchObject({ name: 'Rex Keeper', bio: 'Walks big dogs.', _deleted: false });
    expect(conflict).toBeNull();
  });

  it('merges array fields as sets with adds and removes from both sides', () => {
    const local = edit(basePerson, 'rev-local', alice, { aliases: ['Rex', 'Rexy'] });
    const server = edit(basePerson, 'rev-server', bob, { aliases: ['Rex', 'R.O.', 'Big R'] });
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document.aliases).toEqual(['Rex', 'Big R', 'Rexy']);
    expect(conflict).toBeNull();
  });

  it('takes the server value for a field both sides changed and records the conflict', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Local bio', aliases: ['Rex'] });
    const server = edit(basePerson, 'rev-server', bob, { bio: 'Server bio' });
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document.bio).toBe('Server bio');
    expect(document.aliases).toEqual(['Rex']);
    expect(conflict).not.toBeNull();
    expect(conflictRecordSchema.parse(conflict)).toMatchObject({
      id: conflictIdFor(PERSON_ID, 'rev-local', 'rev-server'),
      kind: 'merge',
      entityType: 'person',
      entityId: PERSON_ID,
      entityTitle: 'Rex Owner',
      fields: ['bio'],
      status: 'open',
      detectedBy: alice,
    });
    expect(conflict!.local).toMatchObject({ bio: 'Local bio' });
    expect(conflict!.server).toMatchObject({ bio: 'Server bio' });
    expect(conflict!.base).toMatchObject({ bio: 'Walks dogs.' });
    expect(conflict!.merged).toMatchObject({ bio: 'Server bio', aliases: ['Rex'] });
    expect(conflict!.local).not.toHaveProperty('_deleted');
  });

  it('gives the same conflict id when the same conflict is seen twice', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'L' });
    const server = edit(basePerson, 'rev-server', bob, { bio: 'S' });
    const first = mergeEntity('person', { base: basePerson, local, server }, context);
    const second = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(first.conflict!.id).toBe(second.conflict!.id);
  });

  it('writes the merged document as a new local write on top of the server state', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Walks big dogs.' });
    const server = edit(basePerson, 'rev-server', bob, { name: 'Rex Keeper' });
    const { document } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document.rev).not.toBe('rev-server');
    expect(document.rev).not.toBe('rev-local');
    expect(document).toMatchObject({
      createdAt: basePerson.createdAt,
      createdBy: bob,
      updatedAt: context.now,
      updatedBy: alice,
    });
    expect(() => entities.person.documentSchema.parse(withoutMeta(document))).not.toThrow();
  });

  it('keeps the server document untouched when nothing local survives', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Same' });
    const server = edit(basePerson, 'rev-server', bob, { bio: 'Same' });
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toBe(server);
    expect(conflict).toBeNull();
  });

  it('says which fields differ by their labels, the verb agreeing with their count; old records read the same', () => {
    const said = (changes: { local: Doc; server: Doc }) =>
      mergeEntity(
        'person',
        {
          base: basePerson,
          local: edit(basePerson, 'rev-local', alice, changes.local),
          server: edit(basePerson, 'rev-server', bob, changes.server),
        },
        context,
      ).conflict!.reason;
    const kept = "The server's value was kept for now; choose the right one.";
    expect(said({ local: { bio: 'L' }, server: { bio: 'S' } })).toBe(
      `This person was changed on two devices at once: Bio differs. ${kept}`,
    );
    expect(said({ local: { bio: 'L', name: 'L' }, server: { bio: 'S', name: 'S' } })).toBe(
      `This person was changed on two devices at once: Name and Bio differ. ${kept}`,
    );
    // A record stored with the earlier words is worded anew on the conflict screen.
    const stored = { kind: 'merge' as const, entityType: 'person', fields: ['bio'], reason: 'bio differ.' };
    expect(conflictReason(stored)).toBe(`This person was changed on two devices at once: Bio differs. ${kept}`);
    const refused = { kind: 'refused' as const, entityType: 'person', fields: ['bio'], reason: 'Not yours.' };
    expect(conflictReason(refused)).toBe('Not yours.');
  });

  it('treats every differing field as contested when the base is unknown, lists still as sets', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'L', aliases: ['A'] });
    const server = edit(basePerson, 'rev-server', bob, { bio: 'S', aliases: ['B'] });
    const { document, conflict } = mergeEntity('person', { base: null, local, server }, context);
    expect(document.bio).toBe('S');
    expect(document.aliases).toEqual(['B', 'A']);
    expect(conflict!.fields).toEqual(['bio']);
  });

  it('merges a field removed on one side (optional field cleared)', () => {
    const local = edit(basePerson, 'rev-local', alice, {});
    delete local.bio;
    const server = edit(basePerson, 'rev-server', bob, { name: 'Other' });
    const { document } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).not.toHaveProperty('bio');
    expect(document.name).toBe('Other');
  });
});

describe('mergeEntity: deletes and trash', () => {
  it('edit versus permanent delete on the server: the edit wins and a delete conflict is recorded', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Still here' });
    const server = { ...basePerson, rev: 'rev-deleted', updatedBy: bob, _deleted: true };
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toMatchObject({ _deleted: false, bio: 'Still here', updatedBy: alice });
    expect(document.rev).not.toBe('rev-deleted');
    expect(conflictRecordSchema.parse(conflict)).toMatchObject({
      kind: 'delete',
      id: conflictIdFor(PERSON_ID, 'rev-local', 'rev-deleted'),
      entityTitle: 'Rex Owner',
    });
    // Alice's edit here met a delete already on the server, whose author the tombstone does not say.
    const kept = 'The edit was kept, so the person is still here: delete it permanently after all to confirm';
    expect(conflict!.reason).toBe(
      'Alice edited this person while someone deleted it permanently on another device, and the delete reached ' +
        `the server first. ${kept} the delete, or resolve to keep the edit.`,
    );
    // The conflict screen names the deleter where the audit trail does.
    expect(conflictReason(conflict!, 'Carol')).toBe(
      'Alice edited this person while Carol deleted it permanently on another device, and the delete reached ' +
        `the server first. ${kept} Carol's delete, or resolve to keep the edit.`,
    );
  });

  it('permanent delete here versus an edit on the server: the edit wins and a delete conflict is recorded', () => {
    const local = { ...basePerson, rev: 'rev-deleted', _deleted: true };
    const server = edit(basePerson, 'rev-server', bob, { bio: 'Edited on the server' });
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toBe(server);
    expect(conflict).toMatchObject({ kind: 'delete' });
    // Alice (signed in here) deleted it; Bob's edit had reached the server first.
    const said =
      'Alice deleted this person permanently, but Bob had edited it on another device and that edit reached the ' +
      'server first. The edit was kept, so the person is still here: delete it permanently after all to confirm ' +
      "Alice's delete, or resolve to keep the edit.";
    expect(conflict!.reason).toBe(said);
    // A record stored with the earlier words ("deleted permanently on this device while it was being edited
    // elsewhere", wrong on every other device) is worded anew on the conflict screen.
    expect(conflictReason({ ...conflict!, reason: 'This person was deleted permanently on this device.' })).toBe(said);
  });

  it('deleted on both sides stays deleted without a record', () => {
    const local = { ...basePerson, rev: 'rev-a', _deleted: true };
    const server = { ...basePerson, rev: 'rev-b', _deleted: true };
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document._deleted).toBe(true);
    expect(conflict).toBeNull();
  });

  it('edit versus trash: both apply', () => {
    const local = edit(basePerson, 'rev-local', alice, { bio: 'Edited while trashed elsewhere' });
    const server = { ...basePerson, rev: 'rev-trash', deletedAt: '2026-01-01T13:00:00.000Z', deletedBy: bob };
    const { document, conflict } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toMatchObject({
      bio: 'Edited while trashed elsewhere',
      deletedAt: '2026-01-01T13:00:00.000Z',
      deletedBy: bob,
      _deleted: false,
    });
    expect(conflict).toBeNull();
  });

  it('trash here versus an edit on the server: both apply', () => {
    const local = { ...basePerson, rev: 'rev-trash', deletedAt: '2026-01-01T13:00:00.000Z', deletedBy: alice };
    const server = edit(basePerson, 'rev-server', bob, { name: 'Renamed' });
    const { document } = mergeEntity('person', { base: basePerson, local, server }, context);
    expect(document).toMatchObject({ name: 'Renamed', deletedAt: '2026-01-01T13:00:00.000Z', deletedBy: alice });
  });

  it('restore here versus an edit on the server: both apply', () => {
    const trashed = { ...basePerson, deletedAt: '2026-01-01T13:00:00.000Z', deletedBy: bob };
    const local = { ...trashed, rev: 'rev-restore', deletedAt: null, deletedBy: null };
    const server = edit(trashed, 'rev-server', bob, { bio: 'New bio' });
    const { document } = mergeEntity('person', { base: trashed, local, server }, context);
    expect(document).toMatchObject({ bio: 'New bio', deletedAt: null, deletedBy: null });
  });
});

describe('resolveConflict for records and audit', () => {
  const record: Doc = { id: 'c1', rev: 'r1', status: 'open' };
  it('a closed conflict record wins over an open one', () => {
    const closed = { ...record, rev: 'r2', status: 'resolved' };
    expect(resolveConflict('conflicts', { base: record, local: closed, server: record }, context).document).toBe(
      closed,
    );
    expect(resolveConflict('conflicts', { base: record, local: record, server: closed }, context).document).toBe(
      closed,
    );
  });
  it('audit entries keep the server entry', () => {
    const server = { id: 'a', rev: 's' };
    expect(resolveConflict('audit', { base: null, local: { id: 'a', rev: 'l' }, server }, context).document).toBe(
      server,
    );
  });
});

describe('refusedRecord', () => {
  it('keeps the refused content and the state kept, with the changed fields and the server reason', () => {
    const refused = edit(basePerson, 'rev-refused', alice, { bio: 'Typed', aliases: ['Rex'] });
    const record = refusedRecord(
      'person',
      { assumedMasterState: basePerson, newDocumentState: refused },
      { code: 'FORBIDDEN', reason: 'Not yours.' },
      context,
    );
    expect(conflictRecordSchema.parse(record)).toMatchObject({
      id: conflictIdFor(PERSON_ID, 'rev-refused', 'rev-base'),
      kind: 'refused',
      fields: ['bio', 'aliases'],
      merged: null,
      reason: 'The server refused this change (FORBIDDEN): Not yours.',
    });
    expect(record!.local).toMatchObject({ bio: 'Typed' });
    expect(record!.server).toMatchObject({ bio: 'Walks dogs.' });
  });

  it('names no server revision for a refused create, and makes no record for audit entries', () => {
    const created = { ...basePerson, rev: 'rev-new' };
    const record = refusedRecord(
      'person',
      { assumedMasterState: null, newDocumentState: created },
      { code: 'VALIDATION', reason: 'Bad.' },
      context,
    );
    expect(record!.id).toBe(conflictIdFor(PERSON_ID, 'rev-new', 'none'));
    expect(record!.server).toBeNull();
    expect(
      refusedRecord(
        'audit',
        { assumedMasterState: null, newDocumentState: created },
        { code: 'FORBIDDEN', reason: 'x' },
        context,
      ),
    ).toBeNull();
  });
});

function withoutMeta(document: Doc): Doc {
  const copy = { ...document };
  delete copy._deleted;
  return copy;
}
