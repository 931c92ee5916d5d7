import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

/** The duration indexes in the profile's catalog file, read over a connection of its own. */
async function durationIndexes(dataDir: string): Promise<string[]> {
  const db = new Database((await profileDatabaseFiles(dataDir)).catalog, { readonly: true });
  try {
    return db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_\\_duration\\_seconds' ESCAPE '\\'",
      )
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe('duration lists never build their index on a list call', () => {
  it('the open builds the index, also for a profile that lacks it; no list has run yet', async () => {
    core = await openTestCore();
    expect(await durationIndexes(core.dataDir)).toHaveLength(1);
    for (const duration of ['13:10', '3:05', '1:00:00'])
      await core.call.entities.create({ type: 'video', fields: { title: `Clip ${duration}`, duration } });

    // A profile written before the index existed (or whose index was dropped) gets it at its next open.
    await core.close();
    const db = new Database((await profileDatabaseFiles(core.dataDir)).catalog);
    for (const name of await durationIndexes(core.dataDir)) db.exec(`DROP INDEX "${name}"`);
    db.close();
    expect(await durationIndexes(core.dataDir)).toEqual([]);
    const dataDir = core.dataDir;
    core = await openTestCore({ dataDir });
    expect(await durationIndexes(dataDir)).toHaveLength(1);

    const sorted = await core.call.entities.list({ type: 'video', sort: { field: 'duration', direction: 'asc' } });
    expect(sorted.items.map((video) => (video as { duration: string }).duration)).toEqual(['3:05', '13:10', '1:00:00']);
  });
});
