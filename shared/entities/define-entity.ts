import { z } from 'zod';
import { envelopeSchema } from './envelope';

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
  return {
    ...definition,
    /** The editable fields alone: what a form or an import row holds. */
    fieldsSchema,
    /** A whole stored document: envelope plus fields. */
    documentSchema,
  };
}

function withRules<S extends z.ZodObject>(schema: S, rules: CrossFieldRule<never>[]): S {
  if (rules.length === 0) return schema;
  return schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!rule.holds(value as never)) {
        ctx.addIssue({ code: 'custom', path: [rule.field], message: rule.message });
      }
    }
  }) as S;
}
