import { z } from 'zod';
import { ENVELOPE_FIELDS } from '../../shared/entities/envelope';
import { entities, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';

/** Separator of list values (aliases, people, dogs) inside one CSV cell. */
export const LIST_SEPARATOR = ';';

type Kind = 'string' | 'number' | 'boolean' | 'list';

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

/** The CSV columns of a type: its id, then its editable fields in declaration order. */
export function csvColumns(type: EntityType): string[] {
  return ['id', ...Object.keys(entities[type].fields)];
}

export function toCsvCells(type: EntityType, document: DocumentData, kinds = fieldKinds(type)): string[] {
  return csvColumns(type).map((field) => {
    const value = document[field];
    if (value === undefined || value === null) return '';
    if (kinds[field] === 'list' && Array.isArray(value)) return value.join(`${LIST_SEPARATOR} `);
    return String(value);
  });
}

/**
 * Turns one CSV row (all strings) into the input the entity schema expects.
 * Cells that do not convert stay text, so the schema reports them in words.
 * Envelope columns (id, rev, dates) are ignored: imported rows are new entries.
 */
export function fromCsvRecord(record: Record<string, string>, kinds: Record<string, Kind>): DocumentData {
  const fields: DocumentData = {};
  for (const [column, raw] of Object.entries(record)) {
    if ((ENVELOPE_FIELDS as string[]).includes(column)) continue;
    const cell = raw.trim();
    if (cell === '') continue;
    const kind = kinds[column];
    if (kind === 'list')
      fields[column] = cell
        .split(LIST_SEPARATOR)
        .map((part) => part.trim())
        .filter(Boolean);
    else if (kind === 'number') fields[column] = /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    else if (kind === 'boolean')
      fields[column] = /^(true|yes|1)$/i.test(cell) ? true : /^(false|no|0)$/i.test(cell) ? false : cell;
    else fields[column] = cell;
  }
  return fields;
}

/** JSON rows: envelope fields dropped, the rest validated as is. */
export function fromJsonItem(item: DocumentData): DocumentData {
  const fields: DocumentData = {};
  for (const [key, value] of Object.entries(item)) {
    if (!(ENVELOPE_FIELDS as string[]).includes(key) && value !== null) fields[key] = value;
  }
  return fields;
}
