import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { create, dogDoc, trashedLongAgo } from './documents';
import { TEST_OPTIONS, decorate, login } from './helpers';
import { startServer } from '../../server';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-cli-'));
  dirs.push(dir);
  return dir;
}

async function cli(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(tsx, ['server/cli.ts', ...args, '--data-dir', dataDir], {
      cwd: root,
      env: { ...process.env, CURIO_PASSWORD: '' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as { stdout: string; stderr: string; code: number };
    return { stdout: failure.stdout, stderr: failure.stderr, code: failure.code };
  }
}

/**
 * Runs the CLI on a terminal of its own (util-linux `script` gives it one), as an operator types it: when
 * `question` shows, `meanwhile` runs, then `answer` is typed. Output as the terminal shows it, echo included.
 */
async function cliOnTerminal(
  dataDir: string,
  args: string[],
  question: string,
  answer: string,
  meanwhile: () => Promise<void> = async () => {},
): Promise<{ output: string; code: number | null }> {
  const command = [tsx, 'server/cli.ts', ...args, '--data-dir', dataDir].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: root,
    env: { ...process.env, CURIO_PASSWORD: '' },
  });
  let output = '';
  let asked = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString().replace(/\r/g, '');
    if (asked || !output.includes(question)) return;
    asked = true;
    void meanwhile().then(() => child.stdin.write(`${answer}\n`));
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output, code };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Each CLI call starts tsx afresh (seconds on a busy machine), hence the generous timeout.
describe('server CLI (SQLite)', { timeout: 120_000 }, () => {
  it('CLI-1: serve on a fresh folder listens and says how to create the first admin', async () => {
    const dataDir = tempDir();
    const child = spawn(tsx, ['server/cli.ts', 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
      cwd: root,
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match && output.includes('user add admin --role admin')) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
      });
      expect(output).toContain('npm run server -- user add admin --role admin');
      expect(await (await fetch(`${url}/health/ready`)).json()).toEqual({ status: 'ready', database: 'sqlite' });
      expect(existsSync(path.join(dataDir, 'curio-server.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('CLI-2: user add, list, passwd, disable, enable and remove --export', async () => {
    const dataDir = tempDir();
    expect((await cli(dataDir, 'user', 'list')).stdout).toBe(
      'No users yet. Create the first admin:\n  npm run server -- user add admin --role admin --name "Your Name"\n',
    );
    const added = await cli(
      dataDir,
      'user',
      'add',
      'Root',
      '--role',
      'admin',
      '--name',
      'Root User',
      '--password',
      'first-long-secret',
    );
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Created admin "root"') });
    const weak = await cli(dataDir, 'user', 'add', 'weak', '--password', 'password123');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/too easy to guess/);
    await cli(dataDir, 'user', 'add', 'ed', '--password', 'editor-long-secret');
    expect((await cli(dataDir, 'user', 'list')).stdout).toMatch(/ed\teditor\ted\nroot\tadmin\tRoot User/);
    expect((await cli(dataDir, 'user', 'passwd', 'root', '--password', 'second-long-secret')).code).toBe(0);
    expect((await cli(dataDir, 'user', 'disable', 'ed')).code).toBe(0);
    expect((await cli(dataDir, 'user', 'list')).stdout).toMatch(/ed\teditor\ted\t\(disabled\)/);
    expect((await cli(dataDir, 'user', 'enable', 'ed')).code).toBe(0);

    const server = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    try {
      const root = await login(server.url, 'root', 'second-long-secret');
      await expect(login(server.url, 'root', 'first-long-secret')).rejects.toThrow(/401/);
      const ed = await login(server.url, 'ed', 'editor-long-secret');
      await ed.api.push('dog', [create(dogDoc(ed.actor))]);
      const file = path.join(dataDir, 'ed.json');
      // Off a terminal nobody can answer the question: it says what would happen and changes nothing.
      const unasked = await cli(dataDir, 'user', 'remove', 'ed', '--export', file);
      expect(unasked.code).toBe(1);
      expect(unasked.stdout).toMatch(/Removing "ed" \(ed, editor\) cannot be undone: they are signed out on 1 device/);
      expect(unasked.stderr).toContain('Run it in a terminal to answer, or add --yes');
      expect(existsSync(file)).toBe(false);
      expect((await cli(dataDir, 'user', 'list')).stdout).toContain('ed\t');
      const removed = await cli(dataDir, 'user', 'remove', 'ed', '--export', file, '--yes');
      expect(removed.stdout).toMatch(/now "Removed user [0-9a-f]{8}"/);
      const exported = JSON.parse(readFileSync(file, 'utf8'));
      expect(exported.user.username).toBe('ed');
      expect(exported.documents.dog).toHaveLength(1);
      const dogs = (await root.api.pull('dog', null)).body.documents;
      expect(dogs[0].createdBy.name).toMatch(/^Removed user /);
      expect((await cli(dataDir, 'user', 'list')).stdout).not.toContain('ed\t');
    } finally {
      await server.close();
    }
  });

  it('CLI-3: backup writes a consistent copy; purge-trash tombstones old trash and audits it (PURGE-1)', async () => {
    const dataDir = tempDir();
    const server = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    try {
      const { api, actor } = await server.signIn('editor');
      const stale = trashedLongAgo(actor);
      const fresh = dogDoc(actor, { deletedAt: new Date().toISOString(), deletedBy: actor });
      const live = dogDoc(actor);
      await api.push('dog', [stale, fresh, live].map(create));

      const purged = await cli(dataDir, 'purge-trash', '--days', '30', '--yes');
      expect(purged.stdout).toContain('Deleted permanently: 1 dog (1 in all).');
      const dogs = (await api.pull('dog', null)).body.documents as { id: string; _deleted: boolean }[];
      expect(dogs.find((d) => d.id === stale.id)).toMatchObject({ _deleted: true, name: stale.name });
      expect(dogs.filter((d) => d._deleted)).toHaveLength(1);
      const audit = (await api.pull('audit', null)).body.documents;
      expect(audit).toEqual([
        expect.objectContaining({ action: 'purge', entityId: stale.id, actor: { id: 'server', name: 'Curio server' } }),
      ]);
      expect((await cli(dataDir, 'purge-trash', '--days', 'x')).code).toBe(1);

      const file = path.join(dataDir, 'backup.db');
      expect((await cli(dataDir, 'backup', file)).code).toBe(0);
      const copy = new Database(file, { readonly: true });
      const count = copy.prepare("SELECT COUNT(*) AS n FROM documents WHERE collection = 'dog'").get() as { n: number };
      copy.close();
      expect(count.n).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('CLI-4: purge-trash --dry-run prints counts per type and the references it would remove, and deletes nothing (PURGE-2)', async () => {
    const dataDir = tempDir();
    const server = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    try {
      const { api, actor } = await server.signIn('editor');
      const rex = trashedLongAgo(actor, 'Rex');
      const ida = trashedLongAgo(actor, 'Ida');
      const { name: _name, aliases: _aliases, photoVisible: _photo, ...envelope } = dogDoc(actor);
      const walk: Record<string, unknown> = {
        ...envelope,
        title: 'Walk in the park',
        people: [],
        dogs: [rex.id, ida.id],
      };
      await api.push('dog', [rex, ida].map(create));
      await api.push('video', [create(walk)]);

      const dry = await cli(dataDir, 'purge-trash', '--days', '30', '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toBe(
        [
          'To delete permanently, in the trash for more than 30 days: 2 dogs (2 in all):',
          '  dog "Ida"',
          '  dog "Rex"',
          'Links to them to remove: 2, from 1 entry:',
          '  video "Walk in the park" (2)',
          'Dry run: nothing was deleted.',
          '',
        ].join('\n'),
      );
      expect((await api.pull('dog', null)).body.documents.filter((d: { _deleted: boolean }) => d._deleted)).toEqual([]);
      expect((await api.pull('audit', null)).body.documents).toEqual([]);

      // Off a terminal without --yes: the same summary, then a refusal; nothing deleted.
      const unasked = await cli(dataDir, 'purge-trash', '--days', '30');
      expect(unasked.code).toBe(1);
      expect(unasked.stdout).toBe(dry.stdout.replace('Dry run: nothing was deleted.\n', ''));
      expect(unasked.stderr).toContain('This would delete these entries permanently, which cannot be undone');
      expect((await api.pull('audit', null)).body.documents).toEqual([]);

      // With --yes the same summary comes first, then the purge removes the links too.
      const purged = await cli(dataDir, 'purge-trash', '--days', '30', '--yes');
      expect(purged.stdout).toContain('To delete permanently, in the trash for more than 30 days: 2 dogs (2 in all):');
      expect(purged.stdout).toContain('Deleted permanently: 2 dogs (2 in all).\nRemoved 2 links to them from 1 entry.');
      const [video] = (await api.pull('video', null)).body.documents;
      expect(video).toMatchObject({ id: walk.id, dogs: [], updatedBy: { id: 'server', name: 'Curio server' } });
      expect(video.rev).not.toBe(walk.rev);
      const actions = (await api.pull('audit', null)).body.documents.map((e: { action: string }) => e.action);
      expect(actions.sort()).toEqual(['purge', 'purge', 'reference.remove']);
    } finally {
      await server.close();
    }
  });

  it('CLI-5: purge-trash on a terminal asks for the word purge and deletes only the entries it named', async () => {
    const dataDir = tempDir();
    const server = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    try {
      const { api, actor } = await server.signIn('editor');
      const rex = trashedLongAgo(actor, 'Rex');
      // Trashed long ago on a laptop that syncs only while the question waits.
      const ida = trashedLongAgo(actor, 'Ida');
      await api.push('dog', [create(rex)]);
      const tombstones = async () =>
        (await api.pull('dog', null)).body.documents
          .filter((d: { _deleted: boolean }) => d._deleted)
          .map((d: { name: string }) => d.name);

      const declined = await cliOnTerminal(dataDir, ['purge-trash', '--days', '30'], 'Type purge', 'no');
      expect(declined.code).toBe(1);
      expect(declined.output).toContain('dog "Rex"');
      expect(declined.output).toContain('Not confirmed: nothing was deleted.');
      expect(await tombstones()).toEqual([]);

      const confirmed = await cliOnTerminal(dataDir, ['purge-trash', '--days', '30'], 'Type purge', 'purge', () =>
        api.push('dog', [create(ida)]).then(() => undefined),
      );
      expect(confirmed.code).toBe(0);
      expect(confirmed.output).toContain(
        'To delete permanently, in the trash for more than 30 days: 1 dog (1 in all):\n  dog "Rex"\n',
      );
      expect(confirmed.output).toContain('Deleted permanently: 1 dog (1 in all).');
      expect(await tombstones()).toEqual(['Rex']);
    } finally {
      await server.close();
    }
  });
});

// CLI-6: each command takes its own flags and words; anything else is refused in our words, exit code 2, before
// any database is opened or file written.
describe('server CLI refuses what a command does not take (CLI-6)', { timeout: 120_000 }, () => {
  it('CLI-6: an unknown flag names the command, the flag and what the command takes; nothing runs', async () => {
    const dataDir = tempDir();
    const unknown = await cli(dataDir, 'user', 'list', '--x');
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'user list does not take --x.',
        'user list takes --data-dir DIR, --database-url postgres://…, -h/--help.',
        'Nothing was done; user list --help shows how to use it.',
        '',
      ].join('\n'),
    });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('CLI-6: a real flag on a command that does not take it is refused the same way; nothing runs', async () => {
    const dataDir = tempDir();
    const days = await cli(dataDir, 'user', 'list', '--days', '3');
    expect(days.code).toBe(2);
    expect(days.stdout).toBe('');
    expect(days.stderr).toContain('user list does not take --days (it is for purge-trash).\n');
    expect(days.stderr).not.toContain('did you mean');

    const file = path.join(tempDir(), 'backup.db');
    const dryRun = await cli(dataDir, 'backup', file, '--dry-run');
    expect(dryRun.code).toBe(2);
    expect(dryRun.stderr).toContain('backup does not take --dry-run (it is for purge-trash).\n');
    expect(dryRun.stderr).toContain(
      'backup takes --overwrite, --data-dir DIR, --database-url postgres://…, -h/--help.',
    );
    expect(dryRun.stderr).toContain('Nothing was done');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('CLI-6: a near miss gets "did you mean"; a far one does not', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'backup.db');
    const typo = await cli(dataDir, 'backup', file, '--overwite');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('backup does not take --overwite; did you mean --overwrite?\n');
    expect(existsSync(file)).toBe(false);

    const serve = await cli(dataDir, 'serve', '--prot', '0');
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('serve does not take --prot; did you mean --port?\n');
    expect(serve.stderr).not.toContain('To specify a positional argument');

    const days = await cli(dataDir, 'purge-trash', '--day', '30', '--yes');
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('purge-trash does not take --day; did you mean --days?\n');

    const far = await cli(dataDir, 'user', 'add', 'ed', '--colour', 'red');
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('user add does not take --colour.\n');
    expect(far.stderr).toContain('user add takes --role viewer|editor|admin, --name "Display Name", --password P,');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('CLI-6: an unknown command, a missing flag value or word, or one word too many is refused too', async () => {
    const dataDir = tempDir();
    const command = await cli(dataDir, 'bakup', 'x.db');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('There is no command "bakup"; did you mean backup?');
    const sub = await cli(dataDir, 'user', 'lst');
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('There is no command "user lst"; did you mean user list?');
    // The helper adds --data-dir DIR after the words given here.
    const value = await cli(dataDir, 'purge-trash', '--yes', '--days');
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('purge-trash: --days needs a value (--days N), not --data-dir. Nothing was done.');
    const required = await cli(dataDir, 'purge-trash', '--yes');
    expect(required.code).toBe(2);
    expect(required.stderr).toContain('purge-trash needs --days N. Usage: purge-trash --days N [--dry-run] [--yes].');
    const file = path.join(tempDir(), 'backup.db');
    const extra = await cli(dataDir, 'backup', file, 'tonight');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain(
      'backup takes one word (FILE), not "tonight" too. Usage: backup FILE [--overwrite].',
    );
    const missing = await cli(dataDir, 'backup');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('backup needs FILE. Usage: backup FILE [--overwrite].');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('CLI-6: the valid forms still work, help included', async () => {
    const dataDir = tempDir();
    const help = await cli(dataDir, 'backup', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('backup FILE [--overwrite]');
    expect(readdirSync(dataDir)).toEqual([]);
    const all = await cli(dataDir, 'help');
    expect(all.code).toBe(0);
    for (const usage of ['serve', 'user add NAME', 'user remove NAME', 'user list', 'restore FILE', 'purge-trash'])
      expect(all.stdout).toContain(`  ${usage}`);
    // `npm run server -- user list` arrives as `serve user list`.
    expect(await cli(dataDir, 'serve', 'user', 'list')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('No users yet'),
    });
    const file = path.join(dataDir, 'backup.db');
    expect((await cli(dataDir, 'backup', file)).code).toBe(0);
    expect((await cli(dataDir, 'backup', file, '--overwrite')).code).toBe(0);
    expect(
      await cli(dataDir, 'user', 'add', 'ed', '--role', 'admin', '--name', 'Ed', '--password', 'editor-long-secret'),
    ).toMatchObject({ code: 0 });
    expect(await cli(dataDir, 'purge-trash', '--days=30', '--dry-run')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Dry run: nothing was deleted.'),
    });
  });
});
