import type {
  BulkWriteRow,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageBulkWriteResponse,
  RxStorageWriteError,
  RxValidationError,
} from 'rxdb';
import type { z } from 'zod';
import { documentSchemaOf } from './document-schemas';
import { forgetSentText, rememberSentText } from './sent-json';

const RX_INTERNAL_TITLE = 'RxInternalDocument';
/** The schema title of RxDB's replication bookkeeping (checkpoints, assumed master states). */
const RX_REPLICATION_META_TITLE = 'RxReplicationProtocolMetaData';

/** The context RxDB's replication gives its writes of pulled documents (`'replication-downstream-'` + its key). */
const PULLED_WRITE_CONTEXT = 'replication-downstream-';

/** The check of a pulled page off the main thread (main/sync/pulled-check.ts). */
export interface PageVerdict {
  /** The ids of the page's documents that failed the check. */
  invalid: ReadonlySet<string>;
  /** Where each document lies in the page's line (main/sync/document-spans.ts), if found. */
  spans: Int32Array | null;
}

/** A page checked off the main thread. */
interface CheckedPage {
  /** The collection it was pulled into. */
  collection: string;
  /** The page's line as the server sent it. */
  line: string;
  verdict: Promise<PageVerdict>;
}

/** A pulled document whose page is checked off the main thread. */
interface PageCheckMark {
  page: CheckedPage;
  /** The document as parsed from the line that was checked. */
  document: Record<string, unknown>;
  /** Its place in the page. */
  index: number;
}

/**
 * Pulled documents whose page is checked off the main thread (main/sync/pulled-check.ts), by id, until RxDB
 * writes them. NOTE: a map rather than a mark on the document: RxDB copies a pulled document into the one
 * it writes, and a symbol key on 100,000 documents made each copy and JSON.stringify several times slower.
 * Keyed by the id alone (a key joined with the collection's name cost a string per document, twice): a
 * mark is taken only for a write into its own collection of a document with the very fields of the one
 * checked, so an id pulled into two collections at once only has one of them checked by the storage.
 */
const pageChecks = new Map<unknown, PageCheckMark>();
/**
 * Marks kept at most: RxDB does not write a pulled document it already holds, so some are never taken. The
 * oldest go first; a document without one is checked by the storage, as every other write.
 */
const MAX_PAGE_CHECKS = 20_000;

/** `documents`, pulled into `collection` and parsed from `line`, are checked off the main thread (`verdict`). */
export function markPageChecked(
  collection: string,
  documents: readonly Record<string, unknown>[],
  verdict: Promise<PageVerdict>,
  line: string,
): void {
  const page: CheckedPage = { collection, line, verdict };
  documents.forEach((document, index) => {
    // Set anew, a document pulled again counts as the newest.
    pageChecks.delete(document.id);
    pageChecks.set(document.id, { page, document, index });
  });
  for (const key of pageChecks.keys()) {
    if (pageChecks.size <= MAX_PAGE_CHECKS) break;
    pageChecks.delete(key);
  }
}

/** RxDB's own bookkeeping fields (_rev, _meta, _deleted, _attachments) are not ours to validate. */
function withoutRxFields(document: Record<string, unknown>): Record<string, unknown> {
  const ours: Record<string, unknown> = {};
  for (const key in document) if (!key.startsWith('_')) ours[key] = document[key];
  return ours;
}

/** What is wrong with `document` by `schema`, field by field; empty when it is valid. */
export function validationErrors(schema: z.ZodType, document: Record<string, unknown>): RxValidationError[] {
  const result = schema.safeParse(withoutRxFields(document));
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    field: issue.path.join('.'),
    message: issue.message,
    schemaPath: issue.code,
  }));
}

/** A storage instance that also takes writes done at once inside a transaction (main/storage's SQLite instance). */
export interface WritesInTransaction {
  writeInTransaction(rows: BulkWriteRow<unknown>[], context: string): RxStorageBulkWriteResponse<unknown>;
}

/**
 * Wraps an RxStorage so every write is validated with the same zod schemas the services and the server use,
 * rather than a second JSON-schema validator; a document that fails is refused as RxDB's own validators refuse
 * it (status 422 with its errors), and the rest of the write goes on. Both ways in are wrapped: `bulkWrite`
 * and, where the storage has it, `writeInTransaction`. NOTE: a document RxDB writes from a pull whose page was
 * checked off the main thread (markPageChecked), with the very fields checked, is not checked again: the write
 * waits for that check instead (docs/decisions.md, "Pulled pages checked on a thread of their own").
 */
export function wrappedValidateZodStorage<Internals, Options>(args: {
  storage: RxStorage<Internals, Options>;
}): RxStorage<Internals, Options> {
  const { storage } = args;
  return Object.assign({}, storage, {
    name: `validate-zod-${storage.name}`,
    async createStorageInstance(params: Parameters<RxStorage<Internals, Options>['createStorageInstance']>[0]) {
      const instance = await storage.createStorageInstance(params);
      const title = (params.schema as RxJsonSchema<unknown>).title ?? '';
      if (title === RX_INTERNAL_TITLE || title === RX_REPLICATION_META_TITLE) return instance;
      // Looked up at each write (compiled at the first, shared/document-schemas.ts), as RxDB's validators are
      // found: a collection nothing writes to needs none.
      const refuse = (rows: BulkWriteRow<unknown>[], context: string, checked?: ReadonlySet<unknown>) =>
        sortOutInvalid(documentSchemaOf(title, params.schema.version), rows, context, instance.schema, checked);

      const write = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows, context) => {
        const checked = context.startsWith(PULLED_WRITE_CONTEXT) ? await checkedElsewhere(title, rows) : undefined;
        try {
          const { valid, refused } = refuse(rows, context, checked);
          return withRefused(valid.length > 0 ? await write(valid, context) : { error: [] }, refused);
        } finally {
          forgetSentTexts(checked);
        }
      };

      const inTransaction = instance as unknown as Partial<WritesInTransaction>;
      const writeNow = inTransaction.writeInTransaction?.bind(instance);
      if (writeNow) {
        inTransaction.writeInTransaction = (rows, context) => {
          const { valid, refused } = refuse(rows, context);
          return withRefused(valid.length > 0 ? writeNow(valid, context) : { error: [] }, refused);
        };
      }
      return instance;
    },
  });
}

/** The rows whose documents pass `schema` (or were `checked` already), and a 422 for each of the others. */
function sortOutInvalid<Row extends BulkWriteRow<unknown>>(
  schema: z.ZodType,
  rows: Row[],
  context: string,
  storageSchema: Readonly<RxJsonSchema<RxDocumentData<unknown>>>,
  checked?: ReadonlySet<unknown>,
): { valid: Row[]; refused: RxStorageWriteError<unknown>[] } {
  const refused: RxStorageWriteError<unknown>[] = [];
  const valid = rows.filter((row) => {
    const document = row.document as Record<string, unknown>;
    if (checked?.has(document)) return true;
    const errors = validationErrors(schema, document);
    if (errors.length === 0) return true;
    // Every collection with a zod schema is keyed by `id` (shared/rx-schema.ts).
    refused.push({
      status: 422,
      isError: true,
      documentId: String(document.id),
      validationErrors: errors,
      writeRow: row,
      context,
      schema: storageSchema,
    });
    return false;
  });
  return { valid, refused };
}

function withRefused<Response extends { error: RxStorageWriteError<unknown>[] }>(
  written: Response,
  refused: RxStorageWriteError<unknown>[],
): Response {
  return refused.length === 0 ? written : { ...written, error: [...written.error, ...refused] };
}

/**
 * The documents of `rows` (a write of pulled documents into `collection`) whose page's check passed them, with
 * the very fields it checked; the others (a stream item, an unstreamed answer, a page pulled before the
 * thread was ready) are checked here. Each one's text in its page is remembered for the storage to store
 * (shared/sent-json.ts); forget them once the write is over (`forgetSentTexts`).
 */
async function checkedElsewhere(collection: string, rows: readonly { document: unknown }[]): Promise<Set<object>> {
  const marked: [Record<string, unknown>, PageCheckMark][] = [];
  for (const row of rows) {
    const document = row.document as Record<string, unknown>;
    const mark = pageChecks.get(document.id);
    if (mark?.page.collection !== collection) continue;
    pageChecks.delete(document.id);
    marked.push([document, mark]);
  }
  const checked = new Set<object>();
  if (marked.length === 0) return checked;
  const verdicts = new Map<Promise<PageVerdict>, PageVerdict>();
  for (const [, { page }] of marked) if (!verdicts.has(page.verdict)) verdicts.set(page.verdict, await page.verdict);
  for (const [document, { page, document: parsed, index }] of marked) {
    const { invalid, spans } = verdicts.get(page.verdict)!;
    if (invalid.has(String(document.id))) continue;
    // A text remembered says the very fields checked (and their order); only a document without one is compared.
    const text = spans && page.line.slice(spans[2 * index], spans[2 * index + 1]);
    if ((text !== null && rememberSentText(document, parsed, text)) || sameFields(document, parsed))
      checked.add(document);
  }
  return checked;
}

/** The write of the documents `checkedElsewhere` passed is over: their texts are not needed any more. */
function forgetSentTexts(checked: ReadonlySet<object> | undefined): void {
  if (checked) for (const document of checked) forgetSentText(document);
}

/** True if `written` holds exactly the fields of `parsed` (RxDB's own `_` fields aside), the very same values. */
function sameFields(written: Record<string, unknown>, parsed: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in parsed) {
    if (key.startsWith('_')) continue;
    if (written[key] !== parsed[key]) return false;
    count++;
  }
  for (const key in written) if (!key.startsWith('_')) count--;
  return count === 0;
}
