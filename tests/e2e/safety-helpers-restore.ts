import { readFile } from 'node:fs/promises';
import { titleOf } from '../../shared/entities';
import type { RunningApp } from './fixtures';

/** A backup of the app's profile as it is now, as the file a person would pick. */
export async function backupNow(app: RunningApp): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  let filePath = '';
  for await (const event of await app.caller.backup.export()) if (event.type === 'done') filePath = event.filePath;
  return { name: 'curio-backup.json', mimeType: 'application/json', buffer: await readFile(filePath) };
}

/** Names of the series in the profile, with "(trash)" for those in the trash, sorted. */
export async function seriesNames(app: RunningApp): Promise<string[]> {
  const live = (await app.caller.entities.list({ type: 'series' })).items.map((d) => titleOf('series', d));
  const trashed = (await app.caller.trash.list({ type: 'series' })).items.map(
    (i) => `${titleOf('series', i.document)} (trash)`,
  );
  return [...live, ...trashed].sort();
}
