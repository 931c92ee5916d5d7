import { z } from 'zod';
import { ENVELOPE_FIELDS } from '../../shared/entities/envelope';
import { entities, type EntityType } from '../../shared/entities/registry';
import { referenceColumns, referenceOf, type LinkTitles } from '../../shared/readable';
import type { DocumentData } from '../database';

/** Separator of list values (aliases, linked names and ids) inside one CSV cell. */
export const LIST_SEPARATOR = ';';
/** The column a bad-rows file adds; an import ignores it, so a fixed file goes straight back in. */
export const ERROR_COLUMN = 'error';

type Kind = 'string' | 'number' | 'boolean' | 'list';
/** One exported cell: lists stay lists for JSON and are joined for CSV and Excel. */
export type Cell = string | number | boolean | string[] | null;

/** How each editable field is written in a CSV cell, derived from its zod schema. */
export function fieldKinds(type: EntityType): Record<string, Kind> {
  const json = z.toJSONSchema(entities[type].fieldsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, { type?: string }>;
  };
  const kinds: Record<string, Kind> = {};
  for (const [field, property] of Object.entries(json.properties)) {
    const t = property.type;
    kinds[field] =
      t === 'array' ? 'list' : t === 'integer' || t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : 'string';
  }
  return kinds;
}

/**
 * The columns of a type in files: its id, then its editable fields in declaration order, each
 * link as two columns, the linked entries' names and their ids next to them (`trip`, `tripId`).
 */
export function csvColumns(type: EntityType): string[] {
  return [
    'id',
    ...Object.keys(entities[type].fields).flatMap((field) => {
      const reference = referenceOf(type, field);
      if (!reference) return [field];
      const { names, ids } = referenceColumns(reference);
      return [names, ids];
    }),
  ];
}

/** One document as a file row: column to value, links by title and by id. */
export function exportRecord(type: EntityType, document: DocumentData, titles: LinkTitles): Record<string, Cell> {
  const record: Record<string, Cell> = { id: document.id as string };
  for (const field of Object.keys(entities[type].fields)) {
    const value = document[field];
    const reference = referenceOf(type, field);
    if (!reference) {
      record[field] = value === undefined ? null : (value as Cell);
      continue;
    }
    const ids = linked(value);
    const columns = referenceColumns(reference);
    // A link to an entry deleted permanently keeps its id; its name is unknown.
    const names = ids.map((id) => titles[id] ?? '');
    record[columns.names] = reference.many ? names : (names[0] ?? null);
    record[columns.ids] = reference.many ? ids : (ids[0] ?? null);
  }
  return record;
}

/** A row's cells in column order, lists joined with the separator: CSV and Excel. */
export function toCells(columns: string[], record: Record<string, Cell>): (string | number | boolean)[] {
  return columns.map((column) => {
    const value = record[column];
    if (value === undefined || value === null) return '';
    return Array.isArray(value) ? value.join(`${LIST_SEPARATOR} `) : value;
  });
}

/** What a file row says about one link: names to look up and ids as given, either or both. */
export interface LinkCells {
  names: string[];
  ids: string[];
}

/** A file row split into the fields the schema validates and the links still to resolve. */
export interface RowFields {
  fields: DocumentData;
  links: Record<string, LinkCells>;
}

/**
 * Turns one file row into the input the entity schema expects. CSV cells are text and convert
 * by the field's kind (cells that do not convert stay text, so the schema reports them in words);
 * JSON values are taken as they are. Envelope columns (id, rev, dates) are ignored: imported rows
 * are new entries.
 */
export function fromRecord(type: EntityType, record: Record<string, unknown>, fromText: boolean): RowFields {
  const kinds = fieldKinds(type);
  const linkColumns = new Map<string, { field: string; side: keyof LinkCells }>();
  for (const reference of entities[type].references) {
    const { names, ids } = referenceColumns(reference);
    linkColumns.set(names, { field: reference.field, side: 'names' });
    linkColumns.set(ids, { field: reference.field, side: 'ids' });
  }
  const result: RowFields = { fields: {}, links: {} };
  for (const [column, raw] of Object.entries(record)) {
    if ((ENVELOPE_FIELDS as string[]).includes(column) || column === ERROR_COLUMN) continue;
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
    const link = linkColumns.get(column);
    if (link) {
      const cells = (result.links[link.field] ??= { names: [], ids: [] });
      cells[link.side].push(...listOf(raw));
    } else if (!fromText) result.fields[column] = raw;
    else result.fields[column] = fromCell(String(raw).trim(), kinds[column]);
  }
  return result;
}

function fromCell(cell: string, kind: Kind | undefined): unknown {
  if (kind === 'list') return listOf(cell);
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
  if (kind === 'boolean') return /^(true|yes|1)$/i.test(cell) ? true : /^(false|no|0)$/i.test(cell) ? false : cell;
  return cell;
}

function listOf(raw: unknown): string[] {
  const parts = Array.isArray(raw) ? raw.map(String) : String(raw).split(LIST_SEPARATOR);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function linked(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) as string[];
}
