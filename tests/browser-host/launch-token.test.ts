import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTRPC } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCH_TOKEN_FILE, profileLaunchToken, startBrowserHost } from '../../main/browser-host';
import { LAUNCH_CHECK_PATH, LAUNCH_TOKEN_HEADER } from '../../shared/browser-mode';

/** Issue 11, point 7: a profile keeps its launch secret across restarts until a new one is asked for. */
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-launch-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const fileMode = async (path: string) => (await stat(path)).mode & 0o777;
const tokenFile = () => join(dataDir, LAUNCH_TOKEN_FILE);
const posix = process.platform !== 'win32';

describe('the launch secret of a profile', () => {
  it('is made once, kept in the profile readable by its owner only, and the same on every later start', async () => {
    const first = await profileLaunchToken(dataDir);
    expect(first.fresh).toBe(true);
    expect(first.token).toMatch(/^[\w-]{43}$/);
    expect((await readFile(tokenFile(), 'utf8')).trim()).toBe(first.token);
    if (posix) expect(await fileMode(tokenFile())).toBe(0o600);

    expect(await profileLaunchToken(dataDir)).toEqual({ token: first.token, fresh: false });
  });

  it('is replaced when a new address is asked for, and the new one is kept from then on', async () => {
    const old = await profileLaunchToken(dataDir);
    const renewed = await profileLaunchToken(dataDir, { renew: true });
    expect(renewed.fresh).toBe(true);
    expect(renewed.token).not.toBe(old.token);
    if (posix) expect(await fileMode(tokenFile())).toBe(0o600);
    expect((await profileLaunchToken(dataDir)).token).toBe(renewed.token);
  });

  it.runIf(posix)('tightens a file others could read back to 0600', async () => {
    const { token } = await profileLaunchToken(dataDir);
    await chmod(tokenFile(), 0o644);
    expect((await profileLaunchToken(dataDir)).token).toBe(token);
    expect(await fileMode(tokenFile())).toBe(0o600);
  });

  it('makes a new secret when the file is damaged, rather than accepting a short or empty one', async () => {
    await writeFile(tokenFile(), 'short\n');
    const made = await profileLaunchToken(dataDir);
    expect(made.fresh).toBe(true);
    expect(made.token).toMatch(/^[\w-]{43}$/);
  });
});

describe('the launch check', () => {
  it('tells a page with the current secret (204) from one with an earlier secret (401)', async () => {
    const t = initTRPC.create();
    const { token } = await profileLaunchToken(dataDir);
    const host = await startBrowserHost({
      core: { router: t.router({}), context: {} },
      port: 0,
      rendererDir: dataDir,
      token,
    });
    try {
      const check = (given: string) =>
        fetch(`http://127.0.0.1:${host.port}${LAUNCH_CHECK_PATH}`, { headers: { [LAUNCH_TOKEN_HEADER]: given } });
      expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${token}`);
      expect((await check(token)).status).toBe(204);
      expect((await check(`${token.slice(1)}x`)).status).toBe(401);
      expect((await check('')).status).toBe(401);
    } finally {
      await host.close();
    }
  });
});
