import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../files';

/** The file in a profile folder that keeps browser mode's launch secret between runs. */
export const LAUNCH_TOKEN_FILE = 'browser-launch-token';

/** 32 random bytes, base64url: what `startBrowserHost` generates when given no token. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ProfileLaunchToken {
  token: string;
  /** True when this call made a new secret: addresses printed before stop working. */
  fresh: boolean;
}

/**
 * The launch secret of a profile, kept in `<dataDir>/browser-launch-token`
 * (mode 0600) so that a tab left open across a restart of `npm start` on the
 * same profile reconnects by itself. `renew` replaces it: every address
 * printed before stops working (the "new address" choice, after the address
 * has been shared by mistake, for instance). A missing or damaged file gets a
 * new secret too.
 * NOTE: permissions are tightened on every read, so a copied profile folder
 * does not keep a secret other local users can read.
 */
export async function profileLaunchToken(
  dataDir: string,
  options: { renew?: boolean } = {},
): Promise<ProfileLaunchToken> {
  const path = join(dataDir, LAUNCH_TOKEN_FILE);
  if (!options.renew) {
    const kept = await readKept(path);
    if (kept) {
      await chmod(path, 0o600);
      return { token: kept, fresh: false };
    }
  }
  const token = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  // Written aside and renamed over, so a crash never leaves half a secret behind.
  await replaceFile(path, `${token}\n`, { mode: 0o600 });
  return { token, fresh: true };
}

async function readKept(path: string): Promise<string | null> {
  try {
    const kept = (await readFile(path, 'utf8')).trim();
    return TOKEN_PATTERN.test(kept) ? kept : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
