import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The server's files are for its own user alone (OPS-8): the SQLite database holds the key that signs every
 * access token (`secrets`), the password hashes and the sessions, so whoever can read it can sign in as
 * anyone; a backup holds the same, and a user's export their personal data. With the usual umask (022) they
 * were created readable by every user of the machine.
 */
export const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_FOLDER = 0o700;

/** Creates `dir` (and its parents) for this user alone; a folder already there keeps its mode. */
export function makeOwnerOnlyFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_FOLDER });
}

/**
 * Makes `file` readable by this user alone: created empty with that mode when it is not there yet, so it is
 * never readable by others for a moment; an existing one (a database of an older server) is narrowed.
 */
export function ownerOnlyFile(file: string): void {
  if (existsSync(file)) narrow(file);
  else closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
}

/** Narrows the files that exist among `files` to this user; missing ones are left missing. */
export function narrowToOwner(...files: string[]): void {
  for (const file of files) if (existsSync(file)) narrow(file);
}

/**
 * NOTE: only the file's owner (or root) may change its mode. A command run by another user whom the file's
 * group lets write (an operators' group) leaves the mode to the owner's next start instead of failing.
 */
function narrow(file: string): void {
  try {
    chmodSync(file, OWNER_ONLY_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
