import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConflictRecord } from '../../shared/conflict';
import { openCore, type Core } from '../../main/core';
import { alertSourceOf, startDesktopAlerts } from '../../main/electron/desktop-alerts-wiring';

/** An open merge conflict as the sync client records it. */
function conflictRecord(entityTitle: string): ConflictRecord {
  const entityId = randomUUID();
  const actor = { id: 'u1', name: 'Bea' };
  return {
    id: `${entityId}:a:b`,
    rev: randomUUID(),
    kind: 'merge',
    entityType: 'person',
    entityId,
    entityTitle,
    base: null,
    local: null,
    server: null,
    merged: null,
    fields: ['name'],
    reason: null,
    detectedAt: new Date().toISOString(),
    detectedBy: actor,
    status: 'open',
    closedAt: null,
    closedBy: null,
  };
}

let dir: string;
let core: Core;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-alerts-'));
  core = await openCore({ dataDir: dir, actor: { id: 'local:ada', name: 'Ada' } });
});
afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the alerts read a real core', () => {
  it('sees the settings switches, the role, the sync status and the open conflicts', async () => {
    const source = alertSourceOf(core.context);
    expect(source.settings()).toMatchObject({ notifyConflicts: true, notifySyncPaused: true, conflictBadge: true });
    expect(source.role()).toBe('admin');
    expect(source.syncStatus()).toMatchObject({ phase: 'signed-out', notSentReason: null });
    expect(await source.openConflicts()).toEqual({ items: [], total: 0 });
  });

  it('notifies a conflict recorded in the database, badges it, and hears the badge switched off', async () => {
    const notices: string[] = [];
    const badges: number[] = [];
    const alerts = startDesktopAlerts({
      source: alertSourceOf(core.context),
      output: { notify: (n) => void notices.push(n.body), setBadge: (count) => void badges.push(count) },
    });
    // The conflicts open at start-up are read first (and never notified).
    await vi.waitFor(() => expect(badges.length).toBeGreaterThan(0));
    await core.context.database.conflicts.insert(conflictRecord('Ada Lovelace'));
    await vi.waitFor(() => expect(badges.at(-1)).toBe(1));
    expect(notices).toEqual(['Ada Lovelace was changed in two places. Open Conflicts to choose.']);

    await core.createCaller().settings.update({ conflictBadge: false });
    await vi.waitFor(() => expect(badges.at(-1)).toBe(0));
    alerts.stop();
    expect(notices).toHaveLength(1);
  });
});
