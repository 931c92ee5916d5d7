import { entities, type EntityType } from '../entities/registry';
import { describeValue } from './audit-words';
import { fieldLabel, referenceOf } from './field-labels';

/** One row of a shown list (library, search, picker, trash) as the namesake details read it. */
export interface NamesakeRow {
  type: EntityType;
  id: string;
  /** The name the row shows. */
  title: string;
  /** The entry's fields and envelope, or the part of them `namesakeFactFields` names; absent when unknown. */
  document?: Record<string, unknown> | undefined;
}

export interface NamesakeOptions {
  /** Fields the row already shows beside its name (the library's columns): they are not repeated. */
  shown?: readonly string[];
  /** How a day is written ("added by … on <day>"); the local date by default. */
  formatDate?: (iso: string) => string;
}

/** Longer values (a description) are cut to this many characters: a detail is one short line. */
const MAX_VALUE = 40;
/** The end of the id a row names when nothing else tells it apart (UUID v7 ends in random bits). */
const ID_END = 6;

/**
 * The key under which two rows read as the same name: same type, same name ignoring case and spacing,
 * as people see it (and as the uniqueness rule compares: "Rex" and "rex" clash).
 */
export function namesakeKey(type: EntityType, title: string): string {
  return `${type}\u0000${title.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/**
 * The fields that may tell two same-named entries of `type` apart, most telling first: its list columns
 * other than the name, then the other text people search by (aliases, breed, description). Links are
 * left out (ids, not words).
 */
export function tellingFields(type: EntityType): string[] {
  const descriptor = entities[type];
  const fields = [
    ...descriptor.listColumns.map((column) => column.field as string),
    ...(descriptor.searchFields as string[]),
  ];
  return [...new Set(fields)].filter((field) => field !== descriptor.titleField && !referenceOf(type, field));
}

/** What a search hit carries so a list can tell it from a namesake: the telling fields and who added it when. */
export function namesakeFactFields(type: EntityType): string[] {
  return [...tellingFields(type), 'id', 'createdAt', 'createdBy'];
}

/**
 * For every row whose name another shown row of the same type also shows (two "Rex" that a sync
 * kept), a short detail that tells it from those namesakes, by id; rows with a name of their own
 * are not in the map. Every row of a group gets the same kind of detail: the fewest telling fields
 * whose values set them apart (fields already `shown` count as seen, not repeated); when they are not
 * needed or not enough, who added it and when; and when even that is the same, the end of its id.
 * NOTE: one pass over the rows with a Map; the details of a group are worked out only for groups of
 * two or more, so a list of 100,000 rows with no namesakes costs one key per row.
 */
export function tellNamesakesApart<Row>(
  rows: readonly Row[],
  read: (row: Row) => NamesakeRow,
  options: NamesakeOptions = {},
): Map<string, string> {
  const groups = new Map<string, NamesakeRow[]>();
  for (const row of rows) {
    const entry = read(row);
    const key = namesakeKey(entry.type, entry.title);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const details = new Map<string, string>();
  for (const group of groups.values()) {
    // The same entry twice (a page boundary that moved) is one entry, not a namesake.
    const entries = [...new Map(group.map((entry) => [entry.id, entry])).values()];
    if (entries.length < 2) continue;
    for (const [id, detail] of detailsOfGroup(entries, options)) details.set(id, detail);
  }
  return details;
}

/** "Rex (Breed: Husky)": a name with its detail, for an accessible name or a button's label. */
export function withNamesakeDetail(title: string, detail: string | undefined): string {
  return detail ? `${title} (${detail})` : title;
}

/** One way of telling rows apart: its words per row. */
type Part = (entry: NamesakeRow) => string;

function detailsOfGroup(entries: NamesakeRow[], options: NamesakeOptions): Map<string, string> {
  const type = entries[0]!.type;
  const shown = (options.shown ?? []).filter((field) => field !== entities[type].titleField);
  const formatDate = options.formatDate ?? ((iso: string) => new Date(iso).toLocaleDateString());
  const seen: Part[] = shown.map((field) => (entry) => describeValue(entry.document?.[field]));
  const chosen: Part[] = [];
  const candidates = tellingFields(type)
    .filter((field) => !shown.includes(field))
    .map((field) => fieldPart(type, field));
  const distinct = (parts: Part[]) => new Set(entries.map((entry) => parts.map((part) => part(entry)).join('\n'))).size;
  // Greedy: the field that sets the most rows apart, earliest on a tie, until all are apart.
  while (distinct([...seen, ...chosen]) < entries.length && candidates.length > 0) {
    const before = distinct([...seen, ...chosen]);
    let best = -1;
    let bestCount = before;
    candidates.forEach((part, index) => {
      const count = distinct([...seen, ...chosen, part]);
      if (count > bestCount) [best, bestCount] = [index, count];
    });
    if (best < 0) break;
    chosen.push(...candidates.splice(best, 1));
  }
  // Always something to read, and the added line next when the fields are not enough.
  if (chosen.length === 0 || distinct([...seen, ...chosen]) < entries.length) chosen.push(addedPart(formatDate));
  if (distinct([...seen, ...chosen]) < entries.length) chosen.push(idPart);
  return new Map(entries.map((entry) => [entry.id, capitalize(chosen.map((part) => part(entry)).join(', '))]));
}

function fieldPart(type: EntityType, field: string): Part {
  const label = fieldLabel(type, field);
  return (entry) => {
    const value = entry.document?.[field];
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length);
    return empty ? `no ${label.toLowerCase()}` : `${label}: ${shorten(describeValue(value))}`;
  };
}

function addedPart(formatDate: (iso: string) => string): Part {
  return (entry) => {
    const by = (entry.document?.createdBy as { name?: unknown } | null | undefined)?.name;
    const at = entry.document?.createdAt;
    const who = typeof by === 'string' && by ? ` by ${by}` : '';
    const when = typeof at === 'string' && at ? ` on ${formatDate(at)}` : '';
    return `added${who}${when}`;
  };
}

const idPart: Part = (entry) => `ID ending ${entry.id.replace(/-/g, '').slice(-ID_END)}`;

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_VALUE) return line;
  const cut = line.slice(0, MAX_VALUE - 1);
  // At a word's end when there is one near the limit.
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_VALUE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
