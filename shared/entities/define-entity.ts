import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { keepUnreadable, migrateDocument, type DocumentData, type EntityVersion } from './versions';

/** A column the library list shows and can sort by. */
export interface ListColumn<Field extends string> {
  field: Field;
  label: string;
}

/** A field that holds the id (or ids) of documents of another entity type. */
export interface Reference<Field extends string> {
  field: Field;
  target: string;
  many: boolean;
}

/** A rule across fields of one document, reported on `field`. */
export interface CrossFieldRule<Fields> {
  field: keyof Fields & string;
  /** The fields `holds` reads: the rule runs once these are valid, whatever other fields fail. */
  compares: (keyof Fields & string)[];
  message: string;
  holds: (fields: Fields) => boolean;
}

export interface EntityDefinition<Type extends string, Shape extends z.ZodRawShape> {
  type: Type;
  label: string;
  pluralLabel: string;
  fields: Shape;
  titleField: keyof Shape & string;
  /** Fields full-text search reads: every text field a person would search by (title, aliases, descriptions, …). */
  searchFields: (keyof Shape & string)[];
  listColumns: ListColumn<keyof Shape & string>[];
  references: Reference<keyof Shape & string>[];
  /** Fields whose value must be unique (case-insensitive) among live documents. */
  uniqueFields: (keyof Shape & string)[];
  rules: CrossFieldRule<z.output<z.ZodObject<Shape>>>[];
  /**
   * The type's earlier versions, oldest first (SCHEMA-1): version i's fields
   * and its steps to version i + 1 and back. `fields` above is the version
   * after the last entry, so a type without history is at version 0.
   * A release that changes `fields` moves the old fields here with the steps.
   */
  history?: EntityVersion[];
}

/**
 * Declares an entity type once. Everything else (storage schema, API input,
 * server validation, forms, list columns) is derived from what this returns.
 */
export function defineEntity<Type extends string, Shape extends z.ZodRawShape>(
  definition: EntityDefinition<Type, Shape>,
) {
  const fieldsSchema = withRules(z.object(definition.fields).strict(), definition.rules);
  const documentSchema = withRules(
    envelopeSchema.extend(definition.fields).strict(),
    definition.rules as CrossFieldRule<unknown>[],
  );
  const history = definition.history ?? [];
  return {
    ...definition,
    /** The editable fields alone: what a form or an import row holds. */
    fieldsSchema,
    /** A whole stored document: envelope plus fields. */
    documentSchema,
    /** The current schema version: the RxDB schema version and what the protocol carries (SCHEMA-1). */
    version: history.length,
    /** The document schema of every version, by version; the current one carries the cross-field rules. */
    documentSchemas: [
      ...history.map((past) => envelopeSchema.extend(past.fields).strict() as z.ZodType),
      documentSchema as z.ZodType,
    ],
    /** Moves a document between versions, up or down, step by step. */
    migrate: (document: DocumentData, from: number, to: number) => migrateDocument(history, document, from, to),
    /** An older client's edit, migrated up, keeping what that version cannot hold from the stored document. */
    keepUnreadable: (edited: DocumentData, stored: DocumentData, clientVersion: number) =>
      keepUnreadable(history, edited, stored, clientVersion),
    history,
  };
}

/**
 * Adds each rule as its own check. NOTE: zod skips an object's refinements once any field fails, so a
 * form would name an end date before its start only after the name is fixed; each rule instead runs
 * when none of the fields it compares failed, and its error comes with the others.
 */
function withRules<S extends z.ZodObject>(schema: S, rules: CrossFieldRule<never>[]): S {
  return rules.reduce(
    (checked, rule) =>
      checked.refine((value) => rule.holds(value as never), {
        path: [rule.field],
        message: rule.message,
        when: ({ value, issues }) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          !issues.some((issue) => rule.compares.includes(issue.path?.[0] as never)),
      }),
    schema,
  );
}
