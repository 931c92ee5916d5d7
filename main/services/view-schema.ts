import { z } from 'zod';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';

/** One end of a range filter: a number, or a date written YYYY, YYYY-MM or YYYY-MM-DD. */
const rangeEnd = z.union([z.string().max(10), z.number()]);

/** A filter's value, as lists take it (see list-filters.ts for what each form means). */
export const filterValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number()])),
  z.object({ from: rangeEnd.optional(), to: rangeEnd.optional() }).strict(),
  z.object({ contains: z.string().min(1).max(200) }).strict(),
]);

export const sortSchema = z.object({ field: z.string().max(100), direction: z.enum(['asc', 'desc']) });

/** Which entries a list shows by trash state. */
export const TRASH_STATES = ['live', 'trash', 'all'] as const;
export type TrashState = (typeof TRASH_STATES)[number];

export const MAX_VIEW_NAME = 80;

/** A named view of one type's list: its filters, trash state, sort and columns. */
export const savedViewSchema = z
  .object({
    type: z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]], {
      error: `Entity type must be one of: ${ENTITY_TYPES.join(', ')}.`,
    }),
    name: z
      .string()
      .trim()
      .min(1, { error: 'Give the view a name.' })
      .max(MAX_VIEW_NAME, { error: `A view's name can be at most ${MAX_VIEW_NAME} characters.` }),
    trash: z.enum(TRASH_STATES).default('live'),
    filters: z.record(z.string(), filterValueSchema).default({}),
    sort: sortSchema.nullable().default(null),
    columns: z
      .array(z.string().max(100))
      .min(1, { error: 'A view shows at least one column.' })
      .max(50, { error: 'A view shows at most 50 columns.' }),
  })
  .strict();

export type SavedView = z.output<typeof savedViewSchema>;
export type SavedViewInput = z.input<typeof savedViewSchema>;

/** A saved view as stored and listed, with its version: a new `rev` at every save. */
export type VersionedView = SavedView & { rev: string };
