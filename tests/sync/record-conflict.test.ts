import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../main/core';
import { recordConflict } from '../../main/sync/conflict-handler';
import { mergeEntity, type Doc } from '../../shared/merge';

let core: Core;
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-record-'));
  core = await openCore({ dataDir, actor: { id: 'admin', name: 'Admin' } });
});

afterEach(async () => {
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
});

const actor = { id: 'user-1', name: 'One' };
const base: Doc = {
  id: '01900000-0000-7000-8000-0000000000aa',
  rev: 'r0',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: actor,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: actor,
  deletedAt: null,
  deletedBy: null,
  name: 'Recorded',
  aliases: [],
  photoVisible: true,
  _deleted: false,
};

describe('recording a conflict', () => {
  it('CLIENT-4: is idempotent: the same pair of revisions makes one record, and a closed record stays closed', async () => {
    const context = { actor, now: '2026-01-02T00:00:00.000Z', newRev: () => crypto.randomUUID() };
    const states = { base, local: { ...base, rev: 'rl', bio: 'L' }, server: { ...base, rev: 'rs', bio: 'S' } };
    const first = mergeEntity('person', states, context).conflict!;
    await recordConflict(core.context.database.conflicts, first);
    const stored = await core.context.database.conflicts.findOne(first.id).exec();
    await stored!.incrementalPatch({ status: 'dismissed' });
    // Seen again (a retried push, another device): nothing changes.
    await recordConflict(core.context.database.conflicts, mergeEntity('person', states, context).conflict!);
    const records = await core.context.database.conflicts.find().exec();
    expect(records).toHaveLength(1);
    expect(records[0]!.get('status')).toBe('dismissed');
  });
});
