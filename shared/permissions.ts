import type { Role } from './protocol';

/** Roles in order of what they may do: each may do everything the one before may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

/**
 * What each role may do: the one table the services enforce and the screens
 * follow (hidden or disabled controls say the same reason the service would).
 * Each entry names the least role and the action in words for messages.
 */
export const PERMISSIONS = {
  createEntries: { role: 'editor', doing: 'create entries' },
  editEntries: { role: 'editor', doing: 'edit entries' },
  trashEntries: { role: 'editor', doing: 'move entries to the trash' },
  restoreEntries: { role: 'editor', doing: 'restore entries from the trash' },
  restoreVersions: { role: 'editor', doing: 'restore a past version' },
  importEntries: { role: 'editor', doing: 'import entries' },
  deletePermanently: { role: 'admin', doing: 'delete entries permanently' },
  purgeTrash: { role: 'admin', doing: 'purge the trash' },
  restoreBackup: { role: 'admin', doing: 'restore a backup' },
  resolveConflicts: { role: 'admin', doing: 'resolve conflicts' },
  dismissConflicts: { role: 'admin', doing: 'dismiss conflicts' },
  manageTeam: { role: 'admin', doing: 'manage the team' },
} as const satisfies Record<string, { role: Role; doing: string }>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission].role);
}

/** Why `role` may not do it, as a sentence a person can act on; null when it may. */
export function whyNot(role: Role, permission: Permission): string | null {
  if (can(role, permission)) return null;
  const { role: needed, doing } = PERMISSIONS[permission];
  const who = needed === 'admin' ? 'an admin' : 'an editor or admin';
  return `Only ${who} can ${doing}; you are signed in as ${withArticle(role)}.`;
}

/** "a viewer", "an editor", "an admin". */
export function withArticle(role: Role): string {
  return `${role === 'viewer' ? 'a' : 'an'} ${role}`;
}
