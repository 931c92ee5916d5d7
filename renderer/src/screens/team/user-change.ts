import { PERMISSIONS, can, withArticle, type Permission } from '../../../../shared/permissions';
import { oneOrMany } from '../../../../shared/readable';
import type { Role } from '../../../../shared/protocol';
import type { Outputs } from '../../api/types';
import { devices } from '../../lib/words';

/** A user as the server lists them (ADMIN-1): the router's own output type. */
export type TeamUser = Outputs['team']['users']['users'][number];
/** What a change does to the user's sessions, as the server works it out (a dry run says it first). */
export type Consequence = Outputs['team']['updateUser']['consequence'];

/** A change an admin is about to make to a user; nothing applies until it is confirmed. */
export type UserChange = { kind: 'role'; role: Role } | { kind: 'disable' } | { kind: 'enable' };

export type ChangedUser = Pick<TeamUser, 'id' | 'username' | 'name' | 'role'>;

function abilities(from: Role, to: Role): string[] {
  return (Object.keys(PERMISSIONS) as Permission[])
    .filter((permission) => can(from, permission) && !can(to, permission))
    .map((permission) => PERMISSIONS[permission].doing);
}

export function whoIs(user: Pick<TeamUser, 'username' | 'name'>): string {
  return user.name || user.username;
}

/**
 * What the user will lose, in one sentence, from the permission table the
 * services enforce: "Eddie will become a viewer: can no longer create entries,
 * …; 2 devices learn it within seconds".
 */
export function describeUserChange(user: ChangedUser, change: UserChange, sessions: number, self = false): string {
  if (self) return describeOwnChange(user.role, change);
  const who = whoIs(user);
  if (change.kind === 'disable') {
    return `${who} will be disabled: can no longer sign in or sync; signed out on ${devices(sessions)}. Changes not yet sent stay on those devices.`;
  }
  if (change.kind === 'enable') {
    return `${who} will be enabled: can sign in and sync again as ${withArticle(user.role)}. Nobody is signed out.`;
  }
  const lost = abilities(user.role, change.role);
  const gained = abilities(change.role, user.role);
  const what = lost.length
    ? `can no longer ${lost.join(', ')}`
    : gained.length
      ? `can also ${gained.join(', ')}`
      : 'nothing changes in what they can do';
  const notice =
    sessions > 0 ? `; ${devices(sessions)} signed in ${oneOrMany(sessions, 'learns', 'learn')} it within seconds` : '';
  const waiting = lost.length ? ' Changes they have not sent yet stay on their devices, marked "not sent".' : '';
  return `${who} will become ${withArticle(change.role)}: ${what}${notice}.${waiting}`;
}

/**
 * The same for an admin changing their own account: in the second person, and saying what the admin loses
 * here and now (this screen) and that only another admin can give it back.
 */
function describeOwnChange(role: Role, change: UserChange): string {
  if (change.kind === 'disable') {
    return 'You will be disabled: you are signed out here and on your other devices and can no longer sign in; only another admin can enable you again. Changes not yet sent stay on your devices.';
  }
  if (change.kind === 'enable') return 'You will be enabled.';
  const lost = abilities(role, change.role);
  if (lost.length === 0) return `You will become ${withArticle(change.role)}: nothing changes in what you can do.`;
  const team = can(change.role, 'manageTeam')
    ? ''
    : ' The Team screen closes for you as soon as you confirm, and only another admin can make you an admin again.';
  return `You will become ${withArticle(change.role)}: you can no longer ${lost.join(', ')}.${team} Changes you have not sent yet stay on your devices, marked "not sent".`;
}

/** "Eddie Editor will be signed out on 2 devices (Eddie's laptop, Eddie's phone)." from the server's answer. */
export function describeConsequence(who: string, consequence: Consequence): string {
  if (consequence.sessionsEnded === 0) return `${who} is signed in on no device, so nobody is signed out.`;
  const where = `${devices(consequence.sessionsEnded)} (${consequence.devices.join(', ')})`;
  return consequence.when === 'code-used'
    ? `When ${who} uses the code, ${who} will be signed out on ${where}.`
    : `${who} will be signed out on ${where}.`;
}

/** The state column: disabled, an open invitation or reset code (with its expiry), the AUTH-7 wait, or active. */
export function describeState(user: TeamUser): string {
  if (user.disabled) return 'disabled';
  const code = user.setupCode;
  if (code) {
    const what = code.kind === 'invitation' ? 'invited' : 'password reset pending';
    const until = new Date(code.expiresAt).toLocaleString();
    return code.expired ? `${what}; the code expired ${until}` : `${what}; the code expires ${until}`;
  }
  if (user.invited) return 'invited; no open code';
  if (user.lockedUntil) return `sign-ins from one address wait until ${new Date(user.lockedUntil).toLocaleString()}`;
  return 'active';
}
