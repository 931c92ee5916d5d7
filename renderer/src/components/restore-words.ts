import { entities } from '../../../shared/entities';
import { counted, oneOrMany, tellNamesakesApart, withNamesakeDetail, isYou, ELSEWHERE } from '../../../shared/readable';
import type { Outputs } from '../api/types';

export type RestoreEntry = Outputs['trash']['restorePreview']['entries'][number];

/** The entries a confirmed restore brings back: in the trash still, with nothing refusing them. */
export function restorable(entries: readonly RestoreEntry[]): RestoreEntry[] {
  return entries.filter((entry) => entry.deletedAt !== null && entry.refusal === null);
}

/** "Restore “Rex” from the trash?", "Restore 3 entries from the trash?" */
export function restoreTitle(entries: readonly { title: string }[]): string {
  if (entries.length === 1) return `Restore “${entries[0]!.title || '(untitled)'}” from the trash?`;
  return `Restore ${counted(entries.length, 'entry', 'entries')} from the trash?`;
}

/** The confirming button: "Restore", "Restore 3 entries", "Restore the other 2" when some cannot come back. */
export function restoreButton(asked: number, going: number): string {
  if (going === asked) return asked === 1 ? 'Restore' : `Restore ${counted(asked, 'entry', 'entries')}`;
  return going === 1 ? 'Restore the other one' : `Restore the other ${going.toLocaleString()}`;
}

/** "Moved to the trash by Eddie Editor on 12/2/2026, 10:05:03 AM" (or "by you"), or who restored it meanwhile. */
export function trashedWords(entry: RestoreEntry, me: string | null): string {
  if (entry.deletedAt === null) {
    const label = entities[entry.type].pluralLabel.toLowerCase();
    return isYou(entry.restoredBy, me)
      ? `You restored it ${ELSEWHERE} meanwhile: it is back among the ${label} already.`
      : `${entry.restoredBy?.name ?? 'Someone'} restored it meanwhile: it is back among the ${label} already.`;
  }
  const by = isYou(entry.deletedBy, me) ? 'you' : (entry.deletedBy?.name ?? 'someone');
  return `Moved to the trash by ${by} on ${new Date(entry.deletedAt).toLocaleString()}.`;
}

/**
 * "A live trip has this name already: alps (Location: Austria). Once this one is back, both are listed;
 * this one reads Alps (Location: Alps)." Namesakes are told apart as every list tells them apart.
 */
export function namesakeWords(entry: RestoreEntry): string | null {
  if (entry.namesakes.length === 0) return null;
  const rows = [{ id: entry.id, title: entry.title, document: entry.facts }, ...entry.namesakes.map(toRow)];
  const details = tellNamesakesApart(rows, (row) => ({ type: entry.type, ...row }));
  const named = (row: { id: string; title: string }) => withNamesakeDetail(row.title, details.get(row.id));
  const count = entry.namesakes.length;
  const { label, pluralLabel } = entities[entry.type];
  const live = oneOrMany(count, `A live ${label.toLowerCase()} has`, `${count} live ${pluralLabel.toLowerCase()} have`);
  return (
    `${live} this name already: ${entry.namesakes.map(named).join(', ')}. Once this one is back, ` +
    `${oneOrMany(count, 'both are', 'all are')} listed; this one reads ${named(entry)}.`
  );
}

/**
 * "Its link to an entry still in the trash stays “in trash” (People: Bob). Restore that entry too to make it
 * live." Links to entries restored along are left out: they come back live.
 */
export function linksInTrashWords(entry: RestoreEntry): string | null {
  const count = entry.linksInTrash.length;
  if (count === 0) return null;
  const byField = new Map<string, string[]>();
  for (const link of entry.linksInTrash)
    byField.set(link.field, [...(byField.get(link.field) ?? []), link.title || '(untitled)']);
  const list = [...byField].map(([field, titles]) => `${field}: ${titles.join(', ')}`).join('; ');
  return count === 1
    ? `Its link to an entry still in the trash stays “in trash” (${list}). Restore that entry too to make it live.`
    : `Its links to ${count.toLocaleString()} entries still in the trash stay “in trash” (${list}). Restore those entries too to make them live.`;
}

function toRow(namesake: RestoreEntry['namesakes'][number]) {
  return { id: namesake.id, title: namesake.title, document: namesake.facts };
}
