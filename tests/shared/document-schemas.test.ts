import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { auditEntrySchema } from '../../shared/audit';
import { conflictRecordSchema } from '../../shared/conflict';
import { documentSchemaOf } from '../../shared/document-schemas';
import { ENTITY_TYPES, entities } from '../../shared/entities/registry';
import { generateCatalog } from '../../shared/sample/generator';

/**
 * The compiled schemas (shared/document-schemas.ts) must decide every document as zod's own parser does: the
 * same verdict, the same output, the same issues. Each valid document is checked whole and then with every
 * field, and every field of a nested object or list, replaced by values of every kind and removed.
 */

const actor = { id: '8d6f5a52-1b1e-4a35-9d1a-0e8f1c2b3a4d', name: 'Seeder' };

/** Values of every kind a wrong or hostile document could hold, and some that pass some fields' checks. */
const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  2026,
  true,
  '',
  '   ',
  'x',
  'x'.repeat(301),
  'dQw4w9WgXcQ',
  '35:12',
  '1:60',
  '1:02:03',
  '2025-02-14',
  '2025-02-30',
  '2025-04-20T12:03:40.749Z',
  '2025-04-20T25:03:40Z',
  'https://example.com/a.jpg',
  'ftp://example.com/a.jpg',
  '01965315-344d-7d29-87bb-478bcbfec42e',
  '01965315-344d-7d29-87bb-478bcbfec42',
  [],
  ['01965315-344d-7d29-87bb-478bcbfec42e'],
  [1],
  {},
  { id: actor.id },
  actor,
];

/** `document` with the value at `path` replaced (`REMOVED`: taken out). */
const REMOVED = Symbol('removed');
function withValue(document: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let holder = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVED) {
    if (Array.isArray(holder)) holder.splice(Number(last), 1);
    else delete holder[last];
  } else holder[last] = value;
  return copy;
}

/** The paths of a document's fields, and of the fields and items one level inside them, and one unknown field. */
function pathsOf(document: Record<string, unknown>): (string | number)[][] {
  const paths: (string | number)[][] = [['unknownField']];
  for (const [key, value] of Object.entries(document)) {
    paths.push([key]);
    if (Array.isArray(value)) value.forEach((_, index) => paths.push([key, index]));
    else if (value && typeof value === 'object') for (const inner of Object.keys(value)) paths.push([key, inner]);
  }
  return paths;
}

/** The variants of `document` checked: itself, and each path with each replacement and removed. */
function variantsOf(document: Record<string, unknown>): unknown[] {
  const variants: unknown[] = [document];
  for (const path of pathsOf(document))
    for (const value of [...REPLACEMENTS, REMOVED]) variants.push(withValue(document, path, value));
  return variants;
}

/** What a parse decided, comparably: the output, or the issues. */
function outcome(schema: z.ZodType, document: unknown) {
  const result = schema.safeParse(document);
  return result.success ? { output: result.data } : { issues: result.error.issues };
}

function expectSameDecisions(declared: z.ZodType, compiled: z.ZodType, documents: Record<string, unknown>[]) {
  let refused = 0;
  let passed = 0;
  for (const document of documents)
    for (const variant of variantsOf(document)) {
      const expected = outcome(declared, variant);
      expect(outcome(compiled, variant)).toEqual(expected);
      if (expected.issues) refused++;
      else passed++;
    }
  // The variants reach both verdicts, so both of the compiled schema's ways are compared.
  expect(refused).toBeGreaterThan(0);
  expect(passed).toBeGreaterThan(documents.length);
}

/** A few documents of each entity type, as the server stores them (RxDB's fields aside). */
const catalog = generateCatalog({ video: 4, person: 4, dog: 4, trip: 4, series: 4 }, 7);
function documentsOf(type: (typeof ENTITY_TYPES)[number]): Record<string, unknown>[] {
  return (catalog[type] as Record<string, unknown>[]).map((fields) => ({
    ...fields,
    createdBy: actor,
    updatedBy: actor,
  }));
}

describe('compiled document schemas', () => {
  it.each(ENTITY_TYPES)('decide %s documents as zod does, at every schema version', (type) => {
    const documents = documentsOf(type);
    expectSameDecisions(entities[type].documentSchema, documentSchemaOf(type), documents);
    entities[type].documentSchemas.forEach((declared, version) => {
      if (declared) expectSameDecisions(declared, documentSchemaOf(type, version), documents);
    });
  });

  it('decide audit entries as zod does', () => {
    const entry = {
      id: '01965315-344d-7d29-87bb-478bcbfec42e',
      rev: '1-abc',
      at: '2025-04-20T12:03:40.749Z',
      actor,
      device: 'Laptop',
      action: 'update',
      entityType: 'video',
      entityId: '01965315-344d-7a69-b704-229375def226',
      entityTitle: 'Rainy afternoon in Reykjavík',
      changes: [{ field: 'title', from: 'Rainy', to: 'Rainy afternoon in Reykjavík' }],
    };
    expectSameDecisions(auditEntrySchema, documentSchemaOf('audit'), [entry]);
  });

  it('decide conflict records as zod does', () => {
    const record = {
      id: '01965315-344d-7a69-b704-229375def226:2-a:2-b',
      rev: '1-abc',
      kind: 'merge',
      entityType: 'video',
      entityId: '01965315-344d-7a69-b704-229375def226',
      entityTitle: 'Rainy afternoon in Reykjavík',
      base: { title: 'Rainy' },
      local: { title: 'Rainy afternoon' },
      server: { title: 'Rainy day' },
      merged: null,
      fields: ['title'],
      reason: null,
      detectedAt: '2025-04-20T12:03:40.749Z',
      detectedBy: actor,
      status: 'open',
      closedAt: null,
      closedBy: null,
    };
    expectSameDecisions(conflictRecordSchema, documentSchemaOf('conflicts'), [record]);
  });

  it('names a collection without a schema', () => {
    expect(() => documentSchemaOf('photos')).toThrow('No zod schema for the collection "photos".');
  });
});
