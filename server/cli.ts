import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';
import { ROLES, type Role } from '../shared/protocol';
import { counted } from '../shared/readable';
import {
  CLI_ACTOR,
  DEFAULT_PASSWORD_HASHING,
  countUsers,
  createUser,
  exportUser,
  findUserByUsername,
  listUsers,
  recordServerAudit,
  removeUser,
  updateUser,
} from './auth';
import { COMMANDS, commandUsage, usage } from './cli-commands';
import { CommandLineError, parseCommandLine, type FlagValues } from './cli-flags';
import { confirmByTyping, readPassword } from './cli-prompt';
import { resolveStorage } from './config';
import type { RateLimit } from './limits';
import { startServer } from './index';
import { OWNER_ONLY_FILE, openStore, restoreSqlite, writeBackup, type Store } from './store';
import { describePurgeDone, describePurgePlan, planPurge, purgeTrash } from './sync';

const FIRST_ADMIN = 'npm run server -- user add admin --role admin --name "Your Name"';

async function main(argv: string[]): Promise<void> {
  // `npm run server` is `cli.ts serve`, so `npm run server -- user add …` arrives as `serve user add …`.
  const words = new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]));
  if (argv[0] === 'serve' && argv[1] && argv[1] !== 'serve' && (words.has(argv[1]) || argv[1] === 'help')) {
    argv = argv.slice(1);
  }
  // CLI-6: the whole command line is checked before anything is opened, written or started.
  const line = parseCommandLine(COMMANDS, argv);
  if (line.command === undefined) return void console.log(usage());
  if (line.help) return void console.log(commandUsage(COMMANDS[line.command]));
  const storeOptions = resolveStorage({ dataDir: line.values['data-dir'], databaseUrl: line.values['database-url'] });
  if (line.command === 'serve') return serveCommand(storeOptions, line.values);
  if (line.command === 'restore') return restoreCommand(storeOptions, line.args[0]!);

  const store = await openStore(storeOptions);
  try {
    const [name = ''] = line.args;
    switch (line.command) {
      case 'user list':
        return await listUsersCommand(store);
      case 'user add':
        return await addUserCommand(store, name, line.values);
      case 'user passwd': {
        const user = await namedUser(store, name);
        const password = line.values.password ?? (await readPassword(`New password for ${name}: `));
        await updateUser(store, user.id, { password }, DEFAULT_PASSWORD_HASHING, CLI_ACTOR);
        return void console.log(`Password of "${user.username}" changed; their sessions were ended.`);
      }
      case 'user disable':
      case 'user enable': {
        const user = await namedUser(store, name);
        const disabled = line.command === 'user disable';
        await updateUser(store, user.id, { disabled }, DEFAULT_PASSWORD_HASHING, CLI_ACTOR);
        return void console.log(`User "${user.username}" ${disabled ? 'disabled' : 'enabled'}.`);
      }
      case 'user remove':
        return await removeUserCommand(store, await namedUser(store, name), line.values);
      case 'backup': {
        const file = await writeBackup(store, name, {
          overwrite: line.values.overwrite === true,
          dataDir: storeOptions.databaseUrl ? null : storeOptions.dataDir,
        });
        // The server panel shows the last backup (ADMIN-7).
        await recordServerAudit(store.sql, { action: 'server.backup', actor: CLI_ACTOR, detail: { file } });
        return void console.log(`Backup written to ${file}.`);
      }
      case 'purge-trash':
        return await purgeTrashCommand(store, line.values);
    }
  } finally {
    await store.close();
  }
}

type StoreOptions = ReturnType<typeof resolveStorage>;
type Values<Command extends keyof typeof COMMANDS> = FlagValues<(typeof COMMANDS)[Command]['flags']>;

async function serveCommand(storeOptions: StoreOptions, values: Values<'serve'>): Promise<void> {
  const tls = tlsFiles(values['tls-cert'], values['tls-key']);
  const trust = values['trust-proxy'];
  const server = await startServer({
    dataDir: storeOptions.dataDir,
    databaseUrl: storeOptions.databaseUrl,
    host: values.host,
    port: count('port', values.port),
    logLevel: values['log-level'],
    tls,
    metrics: values['no-metrics'] ? false : undefined,
    metricsToken: metricsToken(values['metrics-token'], values['metrics-token-file']),
    trustProxy: trust === undefined ? undefined : trust === 'true' ? true : trust.split(','),
    corsOrigins: values['cors-origin'],
    loginRateLimit: rateLimit('sign-in-limit', values['sign-in-limit']),
    sessionRateLimit: rateLimit('session-limit', values['session-limit']),
    retention: {
      serverAuditDays: count('audit-days', values['audit-days']),
      tombstoneDays: count('tombstone-days', values['tombstone-days']),
      spentSetupCodeDays: count('spent-setup-code-days', values['spent-setup-code-days']),
      intervalMinutes: count('retention-minutes', values['retention-minutes']),
    },
    logFile: values['log-file'],
    minFreeDiskBytes: count('min-free-disk-mb', values['min-free-disk-mb'], 1024 * 1024),
    maxStreamsPerSession: count('max-streams-per-session', values['max-streams-per-session']),
    setupCodeDays: count('setup-code-days', values['setup-code-days']),
    shutdownGraceMs: count('shutdown-grace', values['shutdown-grace'], 1000),
    connections: {
      requestTimeoutMs: count('request-timeout', values['request-timeout'], 1000),
      maxConnectionsPerAddress: count('max-connections-per-address', values['max-connections-per-address']),
    },
  });
  // OPS-5: a bounded, clean stop (new requests 503, requests in flight finish within the grace), then exit 0.
  // NOTE: a second signal does not cut the grace short: tsx relays a signal again when the server is slow to
  // take it, and a service manager escalates to SIGKILL on its own.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping the sync server; requests in flight may finish first.`);
    server.close().then(
      () => {
        console.error('Curio sync server stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(
          `The sync server did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const where = storeOptions.databaseUrl ? 'PostgreSQL' : `SQLite in ${storeOptions.dataDir}`;
  console.error(`Curio sync server listening on ${server.url} (${where}).`);
  if ((await countUsers(server.store)) === 0) {
    console.error(`No users yet. Create the first admin in another terminal:\n  ${FIRST_ADMIN}`);
  }
}

async function purgeTrashCommand(store: Store, values: Values<'purge-trash'>): Promise<void> {
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 0) throw new AppError('VALIDATION', 'Give --days N with N a whole number ≥ 0.');
  // The plan first, as with --dry-run, so an operator sees what goes (by name) before it is gone; then
  // only those entries go, whatever was trashed while the question waited.
  const plan = await planPurge(store, days);
  console.log(describePurgePlan(plan));
  if (values['dry-run']) return void console.log('Dry run: nothing was deleted.');
  if (plan.summary.total === 0) return;
  if (!(await confirmByTyping('purge', 'delete these entries permanently', values.yes))) {
    process.exitCode = 1;
    return void console.log('Not confirmed: nothing was deleted.');
  }
  const summary = await purgeTrash(store, plan);
  const { counts, references } = summary;
  await recordServerAudit(store.sql, {
    action: 'trash.purged',
    actor: CLI_ACTOR,
    detail: { days, counts, referencesRemoved: references.total },
  });
  console.log(describePurgeDone(summary, plan));
}

/** A whole number ≥ 0 given to --flag, times `unit`; undefined when absent (the server's default then applies). */
function count(flag: string, value: string | undefined, unit = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppError('VALIDATION', `Give --${flag} a whole number ≥ 0.`);
  return n * unit;
}

function restoreCommand(storage: StoreOptions, file: string): void {
  if (storage.databaseUrl) {
    throw new AppError(
      'VALIDATION',
      'restore replaces the SQLite database; for PostgreSQL stop the servers and use pg_restore (see the README, "Backup and restore").',
    );
  }
  const kept = restoreSqlite(storage.dataDir, path.resolve(file));
  console.log(
    `Restored ${path.resolve(file)} into ${storage.dataDir}.${kept ? ` The database it replaced is kept as ${kept}.` : ''}`,
  );
}

async function listUsersCommand(store: Store): Promise<void> {
  const users = await allUsers(store);
  if (users.length === 0) console.log(`No users yet. Create the first admin:\n  ${FIRST_ADMIN}`);
  for (const user of users) {
    const flags = [user.disabled ? 'disabled' : '', user.lockedUntil ? `sign-ins wait until ${user.lockedUntil}` : '']
      .filter(Boolean)
      .join(', ');
    console.log(`${user.username}\t${user.role}\t${user.name}${flags ? `\t(${flags})` : ''}`);
  }
}

async function addUserCommand(store: Store, username: string, values: Values<'user add'>): Promise<void> {
  const role = (values.role ?? 'editor') as Role;
  if (!ROLES.includes(role)) throw new AppError('VALIDATION', `--role must be one of ${ROLES.join(', ')}.`);
  const password = values.password ?? (await readPassword(`Password for ${username}: `));
  const user = await createUser(
    store,
    { username, name: values.name ?? username, password, role },
    DEFAULT_PASSWORD_HASHING,
  );
  console.log(`Created ${user.role} "${user.username}".`);
}

async function namedUser(store: Store, username: string) {
  const user = await findUserByUsername(store, username);
  if (!user) throw new AppError('NOT_FOUND', `No user is named "${username}"; see user list.`);
  return user;
}

async function removeUserCommand(
  store: Store,
  user: Awaited<ReturnType<typeof namedUser>>,
  values: Values<'user remove'>,
): Promise<void> {
  const { pseudonym, consequence } = await removeUser(store, user.id, CLI_ACTOR, { dryRun: true });
  const signedOut = consequence.sessionsEnded
    ? `they are signed out on ${counted(consequence.sessionsEnded, 'device')} (${consequence.devices.join(', ')})`
    : 'they are signed in on no device';
  console.log(
    `Removing "${user.username}" (${user.name}, ${user.role}) cannot be undone: ${signedOut}, the account is deleted, ` +
      `and their name in every synced entry's history and in the server audit becomes "${pseudonym}".`,
  );
  if (!(await confirmByTyping(user.username, `remove "${user.username}"`, values.yes))) {
    process.exitCode = 1;
    return void console.log('Not confirmed: nothing was changed.');
  }
  if (values.export) {
    // OPS-8: what the user did, with their name: personal data, for this user of the machine alone.
    writeFileSync(values.export, JSON.stringify(await exportUser(store, user.id), null, 2), {
      mode: OWNER_ONLY_FILE,
    });
    console.log(`Exported what "${user.username}" did to ${values.export}.`);
  }
  await removeUser(store, user.id, CLI_ACTOR, { confirm: user.username });
  console.log(`Removed "${user.username}"; their name in the history is now "${pseudonym}".`);
}

/** Every user, a page at a time (ADMIN-1 pages). */
async function allUsers(store: Store) {
  const users = [];
  for (let offset = 0; ; offset += 500) {
    const page = await listUsers(store, { offset, limit: 500 });
    users.push(...page.users);
    if (users.length >= page.total || page.users.length === 0) return users;
  }
}

/**
 * The PEM files of --tls-cert and --tls-key, read; undefined when neither is given. One without the other is
 * refused rather than served over plain HTTP, which the operator did not ask for.
 */
function tlsFiles(
  certFile: string | undefined,
  keyFile: string | undefined,
): { cert: Buffer; key: Buffer } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new AppError(
      'VALIDATION',
      `HTTPS needs both --tls-cert and --tls-key; only --${certFile === undefined ? 'tls-key' : 'tls-cert'} was given.`,
    );
  }
  return { cert: readPem('tls-cert', certFile), key: readPem('tls-key', keyFile) };
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new AppError('VALIDATION', `Cannot read --${flag} ${file}: ${reason}.`);
  }
}

/**
 * The metrics token of --metrics-token or --metrics-token-file (its first line, as `openssl rand -hex 32 > FILE`
 * writes it); undefined when neither is given (CURIO_METRICS_TOKEN may then give one). Never printed.
 */
function metricsToken(token: string | undefined, file: string | undefined): string | undefined {
  if (file === undefined) return token;
  if (token !== undefined) {
    throw new AppError('VALIDATION', 'Give the metrics token once: --metrics-token or --metrics-token-file, not both.');
  }
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new AppError('VALIDATION', `Cannot read --metrics-token-file ${file}: ${reason}.`);
  }
}

/** `MAX/SECONDS` given to --flag (LIMIT-2, AUTH-8), or undefined when absent (the server's default then applies). */
function rateLimit(flag: string, value: string | undefined): RateLimit | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new AppError('VALIDATION', `Give --${flag} as MAX/SECONDS, both whole numbers ≥ 1 (e.g. 1000/10).`);
  }
  return { max: Number(match[1]), windowSeconds: Number(match[2]) };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof CommandLineError ? error.exitCode : 1);
});
