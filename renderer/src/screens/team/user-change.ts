import { PERMISSIONS, can, type Permission } from '../../../../shared/permissions';
import type { Role } from '../../../../shared/protocol';

/** A change an admin is about to make to a user; nothing applies until it is confirmed. */
export type UserChange = { kind: 'role'; role: Role } | { kind: 'disable' };

export interface ChangedUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

function abilities(from: Role, to: Role): string[] {
  return (Object.keys(PERMISSIONS) as Permission[])
    .filter((permission) => can(from, permission) && !can(to, permission))
    .map((permission) => PERMISSIONS[permission].doing);
}

function devices(count: number): string {
  return count === 1 ? '1 device' : `${count} devices`;
}

/**
 * What the user will lose, in one sentence, from the permission table the
 * services enforce: "Eddie will become a viewer: can no longer create entries,
 * …; 2 devices learn it within seconds".
 */
export function describeUserChange(user: ChangedUser, change: UserChange, sessions: number): string {
  const who = user.name || user.username;
  if (change.kind === 'disable') {
    return `${who} will be disabled: can no longer sign in or sync; signed out on ${devices(sessions)}. Changes not yet sent stay on those devices.`;
  }
  const lost = abilities(user.role, change.role);
  const gained = abilities(change.role, user.role);
  const article = change.role === 'admin' ? 'an' : 'a';
  const what = lost.length
    ? `can no longer ${lost.join(', ')}`
    : gained.length
      ? `can also ${gained.join(', ')}`
      : 'nothing changes in what they can do';
  const notice = sessions > 0 ? `; ${devices(sessions)} signed in learn it within seconds` : '';
  const waiting = lost.length ? ' Changes they have not sent yet stay on their devices, marked "not sent".' : '';
  return `${who} will become ${article} ${change.role}: ${what}${notice}.${waiting}`;
}
