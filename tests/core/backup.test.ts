import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** Previews, then restores as previewed: the only way a restore goes through. */
async function restore(into: TestCore, source: { filePath?: string; content?: string }) {
  const { token } = await into.call.backup.previewRestore(source);
  return into.call.backup.restore({ ...source, token });
}

async function backupFile(of: TestCore): Promise<string> {
  let path = '';
  for await (const event of await of.call.backup.export()) if (event.type === 'done') path = event.filePath;
  return path;
}

describe('backup', () => {
  it('exports the catalog and audit to one JSON file and restores it into another profile', async () => {
    const person = await core.call.entities.create({ type: 'person', fields: { name: 'Ann' } });
    await core.call.entities.create({ type: 'video', fields: { title: 'Walk', people: [person.id] } });
    const path = await backupFile(core);
    const file = JSON.parse(await readFile(path, 'utf8')) as { format: string; collections: Record<string, unknown[]> };
    expect(file.format).toBe('curio-backup');
    expect(file.collections.person).toHaveLength(1);
    expect(file.collections.audit).toHaveLength(2);

    const other = await openTestCore();
    try {
      const result = await restore(other, { filePath: path });
      expect(result).toMatchObject({
        entities: { inserted: 2, updated: 0, unchanged: 0, keptNewer: 0, trashed: 0 },
        audit: { inserted: 2, unchanged: 0 },
      });
      const restored = (await other.call.entities.get({ type: 'person', id: person.id })) as EntityDocument<'person'>;
      expect(restored).toMatchObject({ name: 'Ann', createdAt: person.createdAt });
      // The original entries came along, plus one `import` entry per restored entry.
      const history = await other.call.audit.query({ entityId: person.id });
      expect(history.items.map((e) => e.action).sort()).toEqual(['create', 'import']);
      // Restoring again changes nothing.
      expect(await restore(other, { filePath: path })).toMatchObject({
        entities: { inserted: 0, updated: 0, unchanged: 2, keptNewer: 0, trashed: 0 },
        audit: { inserted: 0, unchanged: 2 },
      });
    } finally {
      await other.dispose();
    }
  });

  it('refuses a foreign or invalid file with a clear error and changes nothing', async () => {
    const foreign = await appErrorOf(restore(core, { content: JSON.stringify({ hello: 'world' }) }));
    expect(foreign).toMatchObject({ appCode: 'BAD_FILE', message: expect.stringContaining('not a Curio backup file') });

    await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    const path = await backupFile(core);
    const file = JSON.parse(await readFile(path, 'utf8')) as { collections: Record<string, Record<string, unknown>[]> };
    file.collections.dog!.push({ ...file.collections.dog![0]!, id: '01900000-0000-7000-8000-00000000000a', name: '' });
    const broken = join(core.dataDir, 'broken.json');
    await writeFile(broken, JSON.stringify(file));

    const other = await openTestCore();
    try {
      const error = await appErrorOf(restore(other, { filePath: broken }));
      expect(error.appCode).toBe('VALIDATION');
      expect(error.fieldErrors).toContainEqual({ field: 'dog[1].name', message: 'Name is required.' });
      expect((await other.call.entities.counts()).dog.live).toBe(0);
      expect(await other.call.audit.count({})).toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('is for admins only', async () => {
    core.context.setSession({ actor: { id: 'e', name: 'Ed' }, role: 'editor' });
    expect((await appErrorOf(restore(core, { content: '{}' }))).appCode).toBe('FORBIDDEN');
    expect((await appErrorOf(core.call.backup.restore({ content: '{}', token: 'any' }))).appCode).toBe('FORBIDDEN');
  });
});
