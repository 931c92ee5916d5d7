import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { Hook, LogMessage } from 'electron-log';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../main/core';
import { createRecentErrors, diagnosticsText, redactSecrets } from '../../main/electron/diagnostics';
import { collectDiagnostics, createHelpActions, type HelpHost } from '../../main/electron/help-actions';
import { setUpMainLog, type MainLog } from '../../main/electron/logging';
import { buildMenuTemplate, type MenuCommands } from '../../main/electron/menu';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJyb2xlIjoiYWRtaW4ifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const REFRESH = 'rt_8f3b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c';
const PASSWORD = 'correct horse battery staple';
const SETUP_CODE = 'K7Q2-M9XP-4RTA';
const CONTENT = 'The Secret Lives of Otters';
const SECRETS = [JWT, REFRESH, PASSWORD, SETUP_CODE, CONTENT, 'hunter2', 'sesame'];

let dir: string;
let core: Core | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-diagnostics-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  await rm(dir, { recursive: true, force: true });
});

/** A sync status as the engine could hold it, plus fields no status should ever have, all full of secrets. */
function leakyStatus() {
  return {
    phase: 'paused',
    serverUrl: `https://ada:sesame@sync.example.org/curio?token=${REFRESH}#${JWT}`,
    user: { id: 'user-1', username: 'ada', name: CONTENT, role: 'admin', accessToken: JWT },
    pending: 3,
    notSentReason: `your session on the server ended; refreshToken=${REFRESH}`,
    lastSyncAt: '2026-12-01T07:00:00.000Z',
    lastError: `The server refused {"refreshToken":"${REFRESH}","password":"${PASSWORD}"} with Bearer ${JWT}`,
    refreshToken: REFRESH,
    password: PASSWORD,
    document: { title: CONTENT },
  };
}

/** electron-log's main logger as far as the app configures it; messages go through the hooks as electron-log's do. */
function fakeLog() {
  const hooks: Hook[] = [];
  const written: unknown[][] = [];
  const log: MainLog = {
    hooks,
    transports: { file: { maxSize: 0, getFile: () => ({ path: join(dir, 'main.log') }) } },
    errorHandler: { startCatching: () => undefined },
    functions: {} as MainLog['functions'],
  };
  const write = (level: string, ...data: unknown[]) => {
    let message = { level, data, date: new Date() } as unknown as LogMessage;
    for (const hook of hooks) message = hook(message, undefined, 'file') || message;
    written.push(message.data);
  };
  return { log, write, written };
}

describe('diagnostics', () => {
  it('never carry a token, password, setup code or document content', async () => {
    const crashes = join(dir, 'Crashpad', 'completed');
    await mkdir(crashes, { recursive: true });
    await writeFile(join(crashes, 'a1b2.dmp'), 'dump');
    const { log, write } = fakeLog();
    const { errors } = setUpMainLog(log, { error() {}, warn() {}, info() {}, debug() {}, log() {} });
    write('error', `Sign-in failed for password=${PASSWORD}`, new Error(`refresh ${REFRESH} rejected: Bearer ${JWT}`));
    write('error', `Could not save "${CONTENT}": the name is taken`, { setupCode: SETUP_CODE });
    write('info', 'not an error');

    const facts = await collectDiagnostics({
      core: { sync: { status: leakyStatus() } } as never,
      app: { version: '0.1.0', packaged: true },
      versions: { electron: '45.4.1', node: '22.0.0', os: 'Linux 6.1' },
      dataFolder: '/home/ada/.config/Curio/profile',
      logFile: () => '/home/ada/.config/Curio/logs/main.log',
      crashDumpsFolder: dir,
      errors,
    });
    const text = diagnosticsText(facts);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain('eyJ');
    // What it is for is all there.
    expect(text).toContain('Curio 0.1.0');
    expect(text).toContain('electron 45.4.1, node 22.0.0, os Linux 6.1');
    expect(text).toContain('Data folder: /home/ada/.config/Curio/profile');
    expect(text).toContain('Log file: /home/ada/.config/Curio/logs/main.log');
    expect(text).toContain('Sync: paused with https://sync.example.org/curio as ada (admin); 3 waiting');
    expect(text).toContain('Last errors (2):');
    expect(text).toContain('Sign-in failed for password=[redacted]');
    expect(text).toMatch(/Crash dumps \(1, kept on this computer, never uploaded\):\n {2}\S+ \S+a1b2\.dmp \(4 bytes\)/);
  });

  it('keep secrets out of the log file as well', () => {
    const { log, write, written } = fakeLog();
    setUpMainLog(log, { error() {}, warn() {}, info() {}, debug() {}, log() {} });
    write('warn', { refreshToken: REFRESH, nested: { password: PASSWORD } }, `token=${JWT}`);
    const line = JSON.stringify(written);
    for (const secret of [JWT, REFRESH, PASSWORD]) expect(line).not.toContain(secret);
    expect(log.transports.file.maxSize).toBe(1024 * 1024);
  });

  it('redact each kind of secret and leave ordinary words alone', () => {
    expect(redactSecrets(`Authorization: Bearer ${JWT}`)).not.toContain(JWT);
    expect(redactSecrets(`"refreshToken": "${REFRESH}"`)).toBe('"refreshToken": [redacted]');
    expect(redactSecrets('https://ada:sesame@host/x')).toBe('https://[redacted]@host/x');
    expect(redactSecrets('The sync server took too long to answer; retrying.')).toBe(
      'The sync server took too long to answer; retrying.',
    );
  });

  it('keep only the last errors', () => {
    const errors = createRecentErrors(2);
    for (const message of ['one', 'two', 'three']) errors.record(message);
    expect(errors.list().map((error) => error.message)).toEqual(['two', 'three']);
  });
});

/** The Help menu's host as scripted: records what it showed and what it put on the clipboard. */
function scriptedHost(logFile: string | null) {
  const shown: { kind: string; message: string }[] = [];
  const clipboard: string[] = [];
  const revealed: string[] = [];
  const host: HelpHost = {
    logFile: () => logFile,
    showItemInFolder: (path) => void revealed.push(path),
    writeClipboard: (text) => void clipboard.push(text),
    inform: async ({ kind, message }) => void shown.push({ kind, message }),
  };
  return { host, shown, clipboard, revealed };
}

describe('Help menu', () => {
  it('copies the diagnostics of a running core to the clipboard and says so', async () => {
    core = await openCore({ dataDir: dir, actor: { id: 'local:ada', name: 'Ada' } });
    await core.createCaller().entities.create({ type: 'person', fields: { name: CONTENT } });
    const { host, shown, clipboard } = scriptedHost(null);
    const source = {
      core: core.context,
      app: { version: '0.1.0', packaged: false },
      versions: { node: process.versions.node },
      dataFolder: dir,
      logFile: () => null,
      crashDumpsFolder: join(dir, 'no-crashes-yet'),
      errors: createRecentErrors(),
    };
    await createHelpActions(host, () => collectDiagnostics(source)).copyDiagnostics();
    expect(shown).toEqual([{ kind: 'info', message: 'Diagnostics are on the clipboard.' }]);
    expect(clipboard).toHaveLength(1);
    expect(clipboard[0]).toContain(`Data folder: ${dir}`);
    expect(clipboard[0]).toContain('Sync: signed-out; 1 waiting; last synced never');
    expect(clipboard[0]).toContain('Crash dumps (0, kept on this computer, never uploaded):');
    expect(clipboard[0]).not.toContain(CONTENT);
  });

  it('shows the log file in its folder, or says there is none yet', async () => {
    const withLog = scriptedHost('/logs/main.log');
    await createHelpActions(withLog.host, async () => never()).showLogFile();
    expect(withLog.revealed).toEqual(['/logs/main.log']);
    const without = scriptedHost(null);
    await createHelpActions(without.host, async () => never()).showLogFile();
    expect(without.shown).toEqual([{ kind: 'info', message: 'Curio has not written a log file yet.' }]);
  });

  it('says so when the diagnostics cannot be collected', async () => {
    const { host, shown, clipboard } = scriptedHost(null);
    await createHelpActions(host, async () => {
      throw new Error('crash folder unreadable');
    }).copyDiagnostics();
    expect(shown).toEqual([{ kind: 'error', message: 'Curio could not collect its diagnostics.' }]);
    expect(clipboard).toEqual([]);
  });

  it('offers Check for Updates, Show Log File and Copy Diagnostics, each bound to its command', () => {
    const called: string[] = [];
    const record = (name: string) => () => void called.push(name);
    const commands: MenuCommands = {
      importEntries: record('import'),
      exportEntries: record('export'),
      backUp: record('backUp'),
      restoreBackup: record('restore'),
      checkForUpdates: record('checkForUpdates'),
      showLogFile: record('showLogFile'),
      copyDiagnostics: record('copyDiagnostics'),
    };
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const help = buildMenuTemplate({ platform, devTools: false, commands }).find((menu) => menu.role === 'help');
      const items = (help?.submenu as MenuItemConstructorOptions[]).filter((item) => item.id);
      expect(items.map((item) => item.label)).toEqual(['Check for Updates…', 'Show Log File', 'Copy Diagnostics']);
      called.length = 0;
      for (const item of items) (item.click as () => void)();
      expect(called).toEqual(['checkForUpdates', 'showLogFile', 'copyDiagnostics']);
    }
  });
});

function never(): never {
  throw new Error('not asked for diagnostics');
}
