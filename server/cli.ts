import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
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
import { confirmByTyping, readPassword } from './cli-prompt';
import { resolveStorage } from './config';
import type { RateLimit } from './limits';
import { startServer } from './index';
import { OWNER_ONLY_FILE, openStore, restoreSqlite, writeBackup, type Store } from './store';
import { describePurgeDone, describePurgePlan, planPurge, purgeTrash } from './sync';

const USAGE = `Curio sync server

Usage: tsx server/cli.ts <command> [options]   (npm run server -- <command> also works)

  serve                         start the server (default 127.0.0.1:5309, SQLite in ./.curio/server)
      --host H --port N --log-level L --tls-cert FILE --tls-key FILE
      --trust-proxy true|ADDR[,ADDR] --cors-origin ORIGIN (repeatable)
      --sign-in-limit MAX/SECONDS (sign-ins and refreshes per address, default 20/60)
      --session-limit MAX/SECONDS (requests per session, default 1000/10)
      --log-file FILE (append JSON logs there, not to stdout) --min-free-disk-mb N (readiness, default 64)
      --request-timeout SECONDS (whole request, default 60) --max-connections-per-address N (default 128,
      0 = no cap; behind a proxy every client has the proxy's address) --max-streams-per-session N (default 4)
      --shutdown-grace SECONDS (on SIGTERM or Ctrl-C, how long requests in flight may finish, default 10)
      --metrics-token-file FILE (or CURIO_METRICS_TOKEN; --metrics-token TOKEN shows in the process list):
      /metrics then answers only Authorization: Bearer <token>, at least 32 characters (openssl rand -hex 32)
      --no-metrics (no /metrics at all)
      --setup-code-days N (how long an invitation or reset code lasts unless the admin says, default 7)
      --audit-days N (server audit kept, default 365) --tombstone-days N (permanent deletes kept
      as tombstones, default 90) --spent-setup-code-days N (setup codes kept after they expire, are used
      or withdrawn, default 30) --retention-minutes N (how often retention runs, default 60)
  user add NAME [--role viewer|editor|admin] [--name "Display Name"] [--password P]
  user passwd NAME [--password P]
  user disable NAME | user enable NAME
  user remove NAME [--export FILE] [--yes]
                                erase the user (GDPR); says what it does, then asks you to type NAME
                                (--yes: no question, for scripts); optionally export their data first
  user list
  backup FILE [--overwrite]     consistent copy of the SQLite database (pg_dump for PostgreSQL); never
                                replaces an existing FILE unless --overwrite is given
  restore FILE                  replace the SQLite database with a backup (the server must be stopped;
                                the current database is kept beside it); PostgreSQL: see the README
  purge-trash --days N [--dry-run] [--yes]
                                permanently delete entries in the trash for more than N days and the
                                links to them; names what it deletes, then asks you to type purge
                                (--dry-run: only names them; --yes: no question, for scripts)

Storage for every command: --data-dir DIR (default ./.curio/server) or --database-url postgres://…
(or the DATABASE_URL environment variable). Passwords are asked for when not given; CURIO_PASSWORD is
read when stdin is not a terminal and --password is absent.`;

const FIRST_ADMIN = 'npm run server -- user add admin --role admin --name "Your Name"';

const COMMANDS = new Set(['serve', 'user', 'backup', 'restore', 'purge-trash', 'help']);

async function main(argv: string[]): Promise<void> {
  // `npm run server` is `cli.ts serve`, so `npm run server -- user add …` arrives as `serve user add …`.
  if (argv[0] === 'serve' && argv[1] && COMMANDS.has(argv[1]) && argv[1] !== 'serve') argv = argv.slice(1);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'log-level': { type: 'string' },
      'log-file': { type: 'string' },
      'min-free-disk-mb': { type: 'string' },
      'request-timeout': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'max-streams-per-session': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'sign-in-limit': { type: 'string' },
      'session-limit': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      export: { type: 'string' },
      days: { type: 'string' },
      'audit-days': { type: 'string' },
      'tombstone-days': { type: 'string' },
      'spent-setup-code-days': { type: 'string' },
      'retention-minutes': { type: 'string' },
      'setup-code-days': { type: 'string' },
      'shutdown-grace': { type: 'string' },
      'metrics-token': { type: 'string' },
      'metrics-token-file': { type: 'string' },
      'no-metrics': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      overwrite: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || command === 'help' || values.help) return void console.log(USAGE);
  const storeOptions = resolveStorage({ dataDir: values['data-dir'], databaseUrl: values['database-url'] });

  if (command === 'serve') {
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
    return;
  }

  if (command === 'restore') return restoreCommand(storeOptions, sub);

  const store = await openStore(storeOptions);
  try {
    if (command === 'user') await userCommand(store, sub, arg, values);
    else if (command === 'backup') {
      if (!sub) throw new AppError('VALIDATION', 'Say where to write the backup: backup FILE.');
      const file = await writeBackup(store, sub, {
        overwrite: values.overwrite === true,
        dataDir: storeOptions.databaseUrl ? null : storeOptions.dataDir,
      });
      // The server panel shows the last backup (ADMIN-7).
      await recordServerAudit(store.sql, { action: 'server.backup', actor: CLI_ACTOR, detail: { file } });
      console.log(`Backup written to ${file}.`);
    } else if (command === 'purge-trash') {
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 0)
        throw new AppError('VALIDATION', 'Give --days N with N a whole number ≥ 0.');
      // The same summary before acting as with --dry-run, so an operator sees what goes before it is gone.
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
    } else throw new AppError('VALIDATION', `Unknown command "${command}".\n\n${USAGE}`);
  } finally {
    await store.close();
  }
}

/** A whole number ≥ 0 given to --flag, times `unit`; undefined when absent (the server's default then applies). */
function count(flag: string, value: string | undefined, unit = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppError('VALIDATION', `Give --${flag} a whole number ≥ 0.`);
  return n * unit;
}

function restoreCommand(storage: { dataDir: string; databaseUrl: string | undefined }, file: string | undefined): void {
  if (!file) throw new AppError('VALIDATION', 'Say which backup to restore: restore FILE.');
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

async function userCommand(
  store: Store,
  sub: string | undefined,
  username: string | undefined,
  values: { role?: string; name?: string; password?: string; export?: string; yes?: boolean },
): Promise<void> {
  if (sub === 'list') {
    const users = await allUsers(store);
    if (users.length === 0) console.log(`No users yet. Create the first admin:\n  ${FIRST_ADMIN}`);
    for (const user of users) {
      const flags = [user.disabled ? 'disabled' : '', user.lockedUntil ? `sign-ins wait until ${user.lockedUntil}` : '']
        .filter(Boolean)
        .join(', ');
      console.log(`${user.username}\t${user.role}\t${user.name}${flags ? `\t(${flags})` : ''}`);
    }
    return;
  }
  if (!username) throw new AppError('VALIDATION', `Name the user: user ${sub ?? 'add'} NAME.`);
  if (sub === 'add') {
    const role = (values.role ?? 'editor') as Role;
    if (!ROLES.includes(role)) throw new AppError('VALIDATION', `--role must be one of ${ROLES.join(', ')}.`);
    const password = values.password ?? (await readPassword(`Password for ${username}: `));
    const user = await createUser(
      store,
      { username, name: values.name ?? username, password, role },
      DEFAULT_PASSWORD_HASHING,
    );
    console.log(`Created ${user.role} "${user.username}".`);
    return;
  }
  const user = await findUserByUsername(store, username);
  if (!user) throw new AppError('NOT_FOUND', `No user is named "${username}"; see user list.`);
  if (sub === 'passwd') {
    const password = values.password ?? (await readPassword(`New password for ${username}: `));
    await updateUser(store, user.id, { password }, DEFAULT_PASSWORD_HASHING, CLI_ACTOR);
    console.log(`Password of "${user.username}" changed; their sessions were ended.`);
  } else if (sub === 'disable' || sub === 'enable') {
    await updateUser(store, user.id, { disabled: sub === 'disable' }, DEFAULT_PASSWORD_HASHING, CLI_ACTOR);
    console.log(`User "${user.username}" ${sub}d.`);
  } else if (sub === 'remove') {
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
  } else throw new AppError('VALIDATION', `Unknown user command "${sub}".\n\n${USAGE}`);
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
  process.exit(1);
});
