import { z } from 'zod';
import { entities, isEntityType } from '../../shared/entities/registry';
import { SCHEMA_VERSIONS, type ReplicatedCollection, type SchemaVersions } from '../../shared/protocol';
import { parseOrThrow } from '../../shared/validation';
import type { AuthUser } from '../auth';
import { unstorableText, type DocumentWrite, type Store } from '../store';
import { checkActors, pusherOf } from './actors';
import { documentsForClient } from './client-schemas';
import { checkDocumentSize } from './document-size';
import { checkAgainstStored, checkRow, type Refusal } from './rules';

export const MAX_PUSH_ROWS = 1000;

/** Ids become a column: text the database cannot keep as sent is refused (PROTO-5). */
const storableId = z
  .string()
  .min(1)
  .max(200)
  .superRefine((id, context) => {
    const problem = unstorableText(id);
    if (problem)
      context.addIssue({ code: 'custom', message: `The id ${problem}; the server does not store such text.` });
  });

/**
 * What a pushed document must carry before its own schema reads it. NOTE: not a
 * looseObject: zod's output would copy every document of the push, and the
 * rows are used as sent (see `push`); unknown keys are the documents' schemas' concern.
 */
const documentShape = z.object({ id: storableId, rev: z.string().min(1).max(64) });

/** The request body of a push (protocol PUSH-1). Row contents are checked row by row afterwards. */
export const pushRequestSchema = z
  .object({
    rows: z
      .array(
        z.object({
          assumedMasterState: documentShape.nullable(),
          newDocumentState: documentShape,
        }),
      )
      .max(MAX_PUSH_ROWS, { error: `A push carries at most ${MAX_PUSH_ROWS} rows; split the batch.` }),
  })
  .strict();

/** A refused row as answered (PUSH-5): small whatever was sent, so no document echo. */
export interface RefusedRow extends Refusal {
  id: string;
}

const MAX_REASON_LENGTH = 1000;
const MAX_REFUSED_FIELDS = 20;

function refusedRow(id: string, problem: Refusal): RefusedRow {
  const fields = problem.fields?.slice(0, MAX_REFUSED_FIELDS).map((field) => field.slice(0, 200));
  return { id, code: problem.code, reason: problem.reason.slice(0, MAX_REASON_LENGTH), ...(fields ? { fields } : {}) };
}

/** The answer to a push: stored documents of conflicting rows (raw JSON) and refused rows. */
export interface PushOutcome {
  conflicts: string[];
  refused: RefusedRow[];
  written: number;
}

/** A pushed document as sent: the envelope checked by pushRequestSchema, every other field kept. */
type SentDocument = z.infer<typeof documentShape> & Record<string, unknown>;

interface Row {
  assumedMasterState: SentDocument | null;
  newDocumentState: SentDocument;
}

/**
 * Applies a push (PUSH-2 … PUSH-6): stateless checks first, then, under the
 * collection's writer lock, retry detection, append-only and status rules,
 * conflict detection on `rev` and the actor rules (ACTOR-*). Rows are
 * taken in order, so a later row for the same id sees an earlier one's write.
 */
export async function push(
  store: Store,
  collection: ReplicatedCollection,
  body: unknown,
  user: AuthUser,
  client: SchemaVersions = SCHEMA_VERSIONS,
) {
  parseOrThrow(pushRequestSchema, body, 'The push request');
  // Valid, so the rows are taken as sent: the schema's output holds only the envelope of each document.
  const { rows } = body as { rows: Row[] };
  const version = client[collection] ?? SCHEMA_VERSIONS[collection]!;
  const upgrade = upgradeFrom(collection, version);
  const refused: RefusedRow[] = [];
  const accepted: Row[] = [];
  for (const row of rows) {
    const problem = checkRow(collection, row.newDocumentState, user, version);
    if (problem) refused.push(refusedRow(row.newDocumentState.id, problem));
    else accepted.push(row);
  }
  const ids = accepted.map((row) => row.newDocumentState.id);
  const documents = accepted.map((row) => row.newDocumentState);
  const pusher = await pusherOf(store.sql, user, documents);
  const outcome = await store.commit(collection, ids, (current) => {
    const writes: DocumentWrite[] = [];
    const conflicts: string[] = [];
    const late: RefusedRow[] = [];
    for (const row of accepted) {
      const storedJson = current.get(row.newDocumentState.id);
      const stored = storedJson === undefined ? undefined : (JSON.parse(storedJson) as Record<string, unknown>);
      const next = upgrade(row.newDocumentState, stored);
      if (stored && stored.rev === next.rev) continue; // PUSH-4: a retry of what is stored.
      if (stored) {
        const problem = checkAgainstStored(collection, stored, next, user);
        if (problem) {
          late.push(refusedRow(next.id, problem));
          continue;
        }
        if (!row.assumedMasterState || row.assumedMasterState.rev !== stored.rev) {
          conflicts.push(storedJson!);
          continue;
        }
      }
      // After conflict detection: a client that missed a write (an erasure, say) gets the conflict to merge.
      const actorProblem = checkActors(collection, stored, next, pusher);
      if (actorProblem) {
        late.push(refusedRow(next.id, actorProblem));
        continue;
      }
      const json = JSON.stringify(next);
      const tooLarge = checkDocumentSize(collection, json);
      if (tooLarge) {
        late.push(refusedRow(next.id, tooLarge));
        continue;
      }
      writes.push({ id: next.id, json, deleted: next._deleted === true });
      current.set(next.id, json);
    }
    return { writes, result: { conflicts, late } };
  });
  return {
    conflicts: documentsForClient(client, collection, outcome.result.conflicts),
    refused: [...refused, ...outcome.result.late],
    written: outcome.written.length,
  } satisfies PushOutcome;
}

/**
 * A pushed row at the server's version (SCHEMA-4): rows of an older client are
 * migrated up on arrival, keeping from the stored document what that
 * version cannot hold, so its edit never erases a newer field.
 */
function upgradeFrom(collection: ReplicatedCollection, version: number) {
  return (document: Row['newDocumentState'], stored: Record<string, unknown> | undefined) => {
    if (!isEntityType(collection) || version === SCHEMA_VERSIONS[collection]) return document;
    const entity = entities[collection];
    const migrated = entity.migrate(document, version, entity.version);
    return (stored ? entity.keepUnreadable(migrated, stored, version) : migrated) as typeof document;
  };
}
