/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests are checked by assertions, not types. */
import { randomUUID } from 'node:crypto';

export type Actor = { id: string; name: string };

const now = () => new Date().toISOString();

/** A valid dog document as a client pushes it (envelope, fields, `_deleted`). */
export function dogDoc(actor: Actor, overrides: Record<string, unknown> = {}): Record<string, any> {
  const at = now();
  return {
    id: randomUUID(),
    rev: randomUUID(),
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
    deletedAt: null,
    deletedBy: null,
    name: `Dog ${Math.random().toString(36).slice(2, 8)}`,
    aliases: [],
    photoVisible: true,
    _deleted: false,
    ...overrides,
  };
}

/**
 * A dog `actor` moved to the trash 40 days ago, past a purge of `--days 30` (PURGE-1); a random name unless
 * one is given.
 */
export function trashedLongAgo(actor: Actor, name?: string): Record<string, any> {
  const deletedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
  return dogDoc(actor, { ...(name === undefined ? {} : { name }), deletedAt, deletedBy: actor });
}

/** The next version of `doc` written by `actor`: new rev, given changes. */
export function edit(
  doc: Record<string, any>,
  actor: Actor,
  changes: Record<string, unknown> = {},
): Record<string, any> {
  return { ...doc, rev: randomUUID(), updatedAt: now(), updatedBy: actor, ...changes };
}

export function auditDoc(actor: Actor, entityId: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    id: randomUUID(),
    rev: randomUUID(),
    at: now(),
    actor,
    device: 'test device',
    action: 'create',
    entityType: 'dog',
    entityId,
    entityTitle: 'Rex',
    changes: [{ field: 'name', from: null, to: 'Rex' }],
    _deleted: false,
    ...overrides,
  };
}

export function conflictDoc(actor: Actor, overrides: Record<string, unknown> = {}): Record<string, any> {
  const entityId = randomUUID();
  return {
    id: `${entityId}:a:b`,
    rev: randomUUID(),
    kind: 'merge',
    entityType: 'dog',
    entityId,
    entityTitle: 'Rex',
    base: null,
    local: { name: 'Rex' },
    server: { name: 'Rexy' },
    merged: { name: 'Rexy' },
    fields: ['name'],
    reason: null,
    detectedAt: now(),
    detectedBy: actor,
    status: 'open',
    closedAt: null,
    closedBy: null,
    _deleted: false,
    ...overrides,
  };
}

/** A push row creating `doc`. */
export const create = (doc: unknown) => ({ assumedMasterState: null, newDocumentState: doc });
/** A push row replacing `from` with `to`. */
export const update = (from: unknown, to: unknown) => ({ assumedMasterState: from, newDocumentState: to });
