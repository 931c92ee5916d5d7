import type { Actor } from '../shared/entities/envelope';
import type { Role } from '../shared/protocol';
import { appRouter, createAppCaller, type AppRouter, type CoreContext } from './api';
import { collectionsToMigrate, openDatabase } from './database';
import { AppError } from '../shared/errors';
import {
  checkInBackground,
  encryptProfile,
  lastCheckFile,
  openRecovery,
  profileDamage,
  profileDatabaseFiles,
  type ProfileCheck,
  type ProfileCheckStatus,
  type ReopenHealthy,
} from './recovery';
import type { DatabaseEncryption } from './storage';
import { createServiceContext, createServices, scheduleSnapshots, type ServiceContext, type Session } from './services';
import { copyBeforeMigration } from './services/snapshots';
import { openSync, type SyncOptions } from './sync';

export type { AppRouter, CoreContext } from './api';

export interface CoreOptions {
  /** The profile's folder: database, device identity, exports. */
  dataDir: string;
  /** The local user. Without a server the local user is admin of their own data (the default role). */
  actor: { id: string; name: string; role?: Role };
  deviceName?: string;
  /** The clock; tests pass one to age trash entries. */
  now?: () => Date;
  /** Replication client settings (credential store, timing). */
  sync?: SyncOptions;
  /** Takes a snapshot whenever the newest is a day old (the apps turn it on; tests take their own). */
  dailySnapshots?: boolean;
  /**
   * The key of the profile's database files and snapshots (desktop: from the OS keyring,
   * main/electron/database-key.ts), or why there is none. Absent: unencrypted, as in browser mode.
   */
  encryption?: DatabaseEncryption;
}

/** Browser mode and scripts: no OS keyring to hold a key, and a key kept beside the data would protect nothing. */
export const UNENCRYPTED_WITHOUT_KEYRING: DatabaseEncryption = {
  key: null,
  reason:
    'Browser mode has no OS keyring to keep a key in, so the profile is stored unencrypted. The desktop app encrypts it.',
};

export interface Core {
  router: AppRouter;
  /** A server-side caller for tests and scripts, acting as the core's current session. */
  createCaller(): ReturnType<typeof createAppCaller>;
  /** Closes the database; live subscriptions end. */
  close(): Promise<void>;
  /** Saves running or queued now (the desktop app's restart for an update waits for them). */
  savesInProgress(): number;
  /** The context of the profile as it is now: recovery, then healthy once restored or rebuilt. */
  readonly context: CoreContext;
}

/** One opening of the profile: healthy, or in recovery. */
interface Opened {
  context: CoreContext;
  /** The services' context of a healthy opening (recovery writes through it). */
  serviceContext?: ServiceContext;
  savesInProgress(): number;
  close(): Promise<void>;
}

/**
 * Opens the local app core: database, services and the tRPC router over
 * them. The profile is checked first (the store's invariants, and
 * quick_check for a small file); a damaged profile opens in recovery instead
 * of throwing, where the API offers the recovery actions (`recovery.*`) and
 * nothing else. A big profile gets its quick_check in a worker once open: damage
 * found there is shown (`integrity.status`), switches to recovery on request
 * (`integrity.openRecovery`) and makes the next open check everything first.
 */
export async function openCore(given: CoreOptions): Promise<Core> {
  const options = { ...given, encryption: given.encryption ?? UNENCRYPTED_WITHOUT_KEYRING };
  const { key } = options.encryption;
  if (key) for (const problem of await encryptProfile(options.dataDir, key)) console.warn(`Curio: ${problem}`);
  else if ('reason' in options.encryption && given.encryption) console.warn(`Curio: ${options.encryption.reason}`);
  let current: Opened;
  const lastCheck = lastCheckFile(options.dataDir);
  let background: Awaited<ReturnType<typeof checkInBackground>> | undefined;
  let checked: ProfileCheckStatus = { running: false, report: null };
  const integrity: ProfileCheck = {
    status: () => background?.status() ?? checked,
    async openRecovery() {
      const { report } = integrity.status();
      if (current.context.recovery) return;
      if (!report || report.ok) throw new AppError('CONFLICT', 'The last database check found no damage.');
      await stopBackground();
      await current.close();
      use(await openRecovery(options, report, reopen));
    },
  };
  const stopBackground = async () => {
    const stopping = background;
    if (stopping) checked = stopping.status();
    background = undefined;
    await stopping?.stop();
  };
  const use = (opened: Opened) => {
    opened.context.integrity = integrity;
    current = opened;
  };
  const reopen: ReopenHealthy = async (prepare) => {
    await current.close();
    await prepare();
    // The damaged files went aside: what the last check found is no longer the profile's.
    await lastCheck.clear();
    checked = { running: false, report: null };
    const healthy = await openHealthy(options);
    use(healthy);
    return { context: healthy.context, serviceContext: healthy.serviceContext };
  };
  // Damage found while it was last open: the whole quick_check now, however long it takes.
  const damageSeen = (await lastCheck.load())?.ok === false;
  const damage = await profileDamage(options.dataDir, key, damageSeen ? 'quick' : 'open', () => openHealthy(options));
  if ('opened' in damage) {
    use(damage.opened);
    checked = { running: false, report: damage.report };
    if (damage.report.depth === 'open') background = await checkInBackground(options.dataDir, key);
    else if (damageSeen) await lastCheck.save(damage.report);
  } else {
    use(await openRecovery(options, damage.report, reopen));
  }
  /*
   * NOTE: one context object for the life of the core, reading through to the current opening:
   * transports create their context once per connection (WebSocket), and a recovery that
   * reopens the profile must reach them without a reconnect.
   */
  const context = new Proxy({} as CoreContext, {
    get: (_target, key) => Reflect.get(current.context, key) as unknown,
    has: (_target, key) => Reflect.has(current.context, key),
    set: (_target, key, value) => Reflect.set(current.context, key, value),
  });
  let closed: Promise<void> | undefined;
  return {
    router: appRouter,
    createCaller: () => createAppCaller(context),
    context,
    savesInProgress: () => current.savesInProgress(),
    close() {
      closed ??= stopBackground().then(() => current.close());
      return closed;
    },
  };
}

async function openHealthy(options: CoreOptions & { encryption: DatabaseEncryption }): Promise<Required<Opened>> {
  const { key } = options.encryption;
  const outdated = await collectionsToMigrate(options.dataDir, key);
  if (outdated.length > 0) {
    // RxDB migrates these while the database opens: a copy of the file first, as it is (issue 14).
    const { catalog } = await profileDatabaseFiles(options.dataDir);
    const copy = await copyBeforeMigration(options.dataDir, catalog, key, options.now?.() ?? new Date());
    console.warn(
      `Curio: migrating ${outdated.join(', ')} to this version's schema; the profile before it is in ${copy}`,
    );
  }
  const database = await openDatabase(options.dataDir, key);
  let session: Session = {
    actor: { id: options.actor.id, name: options.actor.name },
    role: options.actor.role ?? 'admin',
  };
  /** The local user is shown (and audited) under the profile name from the settings, when one is set. */
  const currentSession = (): Session => {
    const profileName = services.settings.current().profileName;
    if (session.actor.id !== options.actor.id || !profileName) return session;
    return { ...session, actor: { ...session.actor, name: profileName } };
  };
  const serviceContext = createServiceContext({
    database,
    dataDir: options.dataDir,
    session: currentSession,
    now: options.now,
    databaseKey: options.encryption.key,
  });
  const services = createServices(serviceContext);
  await services.settings.get();
  // Before anyone can ask for a list: the first duration-sorted one must not build an index (seconds at 100,000).
  await services.prepareIndexes();
  const setSession = (next: Session) => {
    session = { actor: { id: next.actor.id, name: next.actor.name }, role: next.role };
  };
  const sync = await openSync(
    { database, dataDir: options.dataDir, session: () => session, setSession },
    { deviceName: options.deviceName, now: options.now, ...options.sync },
  );
  const stopSnapshots = options.dailySnapshots ? scheduleSnapshots(services.snapshots) : () => {};
  const closing = new AbortController();
  const context: CoreContext = {
    database,
    services,
    dataDir: options.dataDir,
    deviceId: database.deviceId,
    encryption: options.encryption,
    session: currentSession,
    setSession,
    sync,
    get actor(): Actor {
      return currentSession().actor;
    },
    closed: closing.signal,
    recovery: null,
  };
  let closed: Promise<void> | undefined;
  return {
    context,
    serviceContext,
    savesInProgress: () => serviceContext.lock.pending(),
    close() {
      closed ??= (async () => {
        closing.abort();
        stopSnapshots();
        await sync.close();
        services.close();
        // Writes already queued finish before the database goes away.
        await serviceContext.lock.run(async () => undefined);
        await database.close();
      })();
      return closed;
    },
  };
}
