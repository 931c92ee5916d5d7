import type { NewUser } from '../../server';
import type { Role } from '../../shared/protocol';

/** The password every test user on the team server has. */
export const PASSWORD = 'plum-kettle-orbit-42';

/** A person on the team server: their account as the server seeds it, with a password to sign in with. */
export type TeamPerson = NewUser & { password: string };

/**
 * A person named for their role, as every test team names them ("Bea Admin", user name "bea").
 * NOTE: no Playwright here, so the UI benchmark seeds the same people.
 */
export function teamPerson(firstName: string, role: Role): TeamPerson {
  const roleWord = `${role[0]!.toUpperCase()}${role.slice(1)}`;
  return { username: firstName.toLowerCase(), name: `${firstName} ${roleWord}`, password: PASSWORD, role };
}

/** Ada, an admin: the first person of most sync tests. */
export const ADA = teamPerson('Ada', 'admin');

/** Eddie, an editor: the second person of most sync tests. */
export const EDDIE = teamPerson('Eddie', 'editor');
