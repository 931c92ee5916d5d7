import { flagUsage, usageLine, type CommandSpec, type FlagSpec } from './cli-flags';

const text = (value: string, help: string) => ({ type: 'string', value, help }) as const;
const flag = (help: string) => ({ type: 'boolean', help }) as const;

/** Where every command finds the database. */
const STORAGE = {
  'data-dir': { ...text('DIR', 'SQLite folder, default ./.curio/server'), common: true },
  'database-url': {
    ...text('postgres://…', 'PostgreSQL instead of SQLite; or the DATABASE_URL environment variable'),
    common: true,
  },
} as const;

const PASSWORD = text('P', 'asked for when not given; shows in the process list');

/**
 * Every command of the sync server's CLI with the words and flags it takes: the one source for parsing its
 * command line (a flag a command does not list is refused, CLI-6) and for its usage text.
 */
export const COMMANDS = {
  serve: {
    words: 'serve',
    args: [],
    about: ['start the server (default 127.0.0.1:5309, SQLite in ./.curio/server)'],
    flagsBelow: true,
    flags: {
      host: text('H', 'address to listen on (default 127.0.0.1)'),
      port: text('N', 'port (default 5309; 0 picks a free one)'),
      'log-level': text('L', 'fatal, error, warn, info (default), debug, trace or silent'),
      'log-file': text('FILE', 'append JSON logs there, not to stdout'),
      'tls-cert': text('FILE', 'PEM certificate: serve HTTPS (with --tls-key)'),
      'tls-key': text('FILE', 'PEM key of --tls-cert'),
      'trust-proxy': text('true|ADDR[,ADDR]', 'believe X-Forwarded-For from the reverse proxy (only behind one)'),
      'cors-origin': { ...text('ORIGIN', 'allow this origin by CORS (none by default)'), multiple: true },
      'sign-in-limit': text('MAX/SECONDS', 'sign-ins and refreshes per address (default 20/60)'),
      'session-limit': text('MAX/SECONDS', 'requests per session (default 1000/10)'),
      'min-free-disk-mb': text('N', 'readiness needs this much free disk (default 64)'),
      'request-timeout': text('SECONDS', 'whole request (default 60)'),
      'max-connections-per-address': text(
        'N',
        'open connections per client address (default 128, 0 = no cap; behind a proxy every client has ' +
          "the proxy's address)",
      ),
      'max-streams-per-session': text('N', 'open streams per session (default 4)'),
      'shutdown-grace': text('SECONDS', 'on SIGTERM or Ctrl-C, how long requests in flight may finish (default 10)'),
      'metrics-token-file': text(
        'FILE',
        '(or CURIO_METRICS_TOKEN) /metrics then answers only Authorization: Bearer <token>, at least 32 ' +
          'characters (openssl rand -hex 32)',
      ),
      'metrics-token': text('TOKEN', 'as --metrics-token-file, but the token shows in the process list'),
      'no-metrics': flag('no /metrics at all'),
      'setup-code-days': text('N', 'how long an invitation or reset code lasts unless the admin says (default 7)'),
      'audit-days': text('N', 'server audit kept (default 365)'),
      'tombstone-days': text('N', 'permanent deletes kept as tombstones (default 90)'),
      'spent-setup-code-days': text('N', 'setup codes kept after they expire, are used or withdrawn (default 30)'),
      'retention-minutes': text('N', 'how often retention runs (default 60)'),
      ...STORAGE,
    },
  },
  'user add': {
    words: 'user add',
    args: ['NAME'],
    about: ['create a user (role editor unless --role says)'],
    flags: {
      role: text('viewer|editor|admin', 'what they may do (default editor)'),
      name: text('"Display Name"', 'how the app and the history name them (default NAME)'),
      password: PASSWORD,
      ...STORAGE,
    },
  },
  'user passwd': {
    words: 'user passwd',
    args: ['NAME'],
    about: ['set a new password; their sessions end'],
    flags: { password: PASSWORD, ...STORAGE },
  },
  'user disable': { words: 'user disable', args: ['NAME'], about: ['the user cannot sign in'], flags: STORAGE },
  'user enable': { words: 'user enable', args: ['NAME'], about: ['the user can sign in again'], flags: STORAGE },
  'user remove': {
    words: 'user remove',
    args: ['NAME'],
    about: [
      'erase the user (GDPR); says what it does, then asks you to type NAME',
      '(--yes: no question, for scripts); optionally export their data first',
    ],
    flags: { export: text('FILE', 'first write what they did to FILE'), yes: flag('no question'), ...STORAGE },
  },
  'user list': { words: 'user list', args: [], about: ['the users, their roles and names'], flags: STORAGE },
  backup: {
    words: 'backup',
    args: ['FILE'],
    about: [
      'consistent copy of the SQLite database (pg_dump for PostgreSQL); never',
      'replaces an existing FILE unless --overwrite is given',
    ],
    flags: { overwrite: flag('replace FILE if it exists'), ...STORAGE },
  },
  restore: {
    words: 'restore',
    args: ['FILE'],
    about: [
      'replace the SQLite database with a backup (the server must be stopped;',
      'the current database is kept beside it); PostgreSQL: see the README',
    ],
    flags: STORAGE,
  },
  'purge-trash': {
    words: 'purge-trash',
    args: [],
    about: [
      'permanently delete entries in the trash for more than N days and the',
      'links to them; names what it deletes, then asks you to type purge',
      '(--dry-run: only names them; --yes: no question, for scripts)',
    ],
    flags: {
      days: { ...text('N', 'in the trash for more than N days'), required: true },
      'dry-run': flag('only name what it would delete'),
      yes: flag('no question'),
      ...STORAGE,
    },
  },
} as const satisfies Record<string, CommandSpec>;

const COLUMN = 32;
const WIDTH = 116;

/** Everything `help` prints: each command with its flags, then what every command takes. */
export function usage(): string {
  const commands = Object.values(COMMANDS).flatMap((spec) => describe(spec, '  '));
  const storage = Object.entries(STORAGE).map(([name, spec]) => `${flagUsage(name, spec)} (${spec.help})`);
  return [
    'Curio sync server',
    '',
    'Usage: tsx server/cli.ts <command> [options]   (npm run server -- <command> also works)',
    '',
    ...commands,
    '',
    ...wrap(
      `Storage for every command: ${storage.join(' or ')}. Passwords are asked for when not given; ` +
        'CURIO_PASSWORD is read when stdin is not a terminal and --password is absent. ' +
        '<command> --help shows one command. A flag a command does not take is refused (exit code 2).',
      '',
    ),
  ].join('\n');
}

/** What `<command> --help` prints: its usage line, what it does, and every flag it takes. */
export function commandUsage(spec: CommandSpec): string {
  const storage = Object.entries(STORAGE).flatMap(([name, flag]) => flagLine(name, flag, '  '));
  return [`Usage: tsx server/cli.ts ${usageLine(spec)}`, ...describe(spec, '', true), ...storage].join('\n');
}

/** The command's usage line with what it does beside or below it, then its flags that have a help line. */
function describe(spec: CommandSpec, indent: string, alone = false): string[] {
  const line = `${indent}${usageLine(spec)}`;
  const about = spec.about.map((words) => `${' '.repeat(COLUMN)}${words}`);
  const head = alone
    ? spec.about.map((words) => `  ${words}`)
    : line.length < COLUMN - 1
      ? [line.padEnd(COLUMN) + spec.about[0], ...about.slice(1)]
      : [line, ...about];
  const flags = Object.entries(spec.flags).filter(([, flag]) => (alone || spec.flagsBelow) && !flag.common);
  return [...head, ...flags.flatMap(([name, flag]) => flagLine(name, flag, alone ? '  ' : '      '))];
}

function flagLine(name: string, flag: FlagSpec, indent: string): string[] {
  const head = `${indent}${flagUsage(name, flag)}${flag.multiple ? ' (repeatable)' : ''}`;
  if (!flag.help) return [head];
  if (head.length < COLUMN - 1) return wrap(head.padEnd(COLUMN) + (flag.help ?? ''), ' '.repeat(COLUMN));
  return [head, ...wrap(' '.repeat(COLUMN) + (flag.help ?? ''), ' '.repeat(COLUMN))];
}

/** `words` in lines of at most WIDTH characters, the later ones starting with `indent`. */
function wrap(words: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.split(/(?<=\S) (?=\S)/)) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
