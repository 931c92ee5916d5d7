import { auditEntrySchema } from '../../shared/audit';
import { ENTITY_TYPES, entities, isEntityType, type EntityType } from '../../shared/entities/registry';
import { AppError, type FieldError } from '../../shared/errors';
import { toFieldErrors } from '../../shared/validation';
import type { AnyCollection, DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { requireRole } from './permissions';
import { scanAudit, scanEntities } from './scan';
import { readSource } from './transfer';
import { appendAudit, auditedFields, diffFields } from './writes';

export const BACKUP_FORMAT = 'curio-backup';
export const BACKUP_VERSION = 1;
const BATCH = 500;

export interface RestoreResult {
  entities: { inserted: number; updated: number; unchanged: number };
  audit: { inserted: number; unchanged: number };
}

export type BackupService = ReturnType<typeof createBackupService>;

/** The whole catalog plus the audit in one JSON file, and back. */
export function createBackupService(ctx: ServiceContext) {
  const collections = (): [string, AnyCollection][] => [
    ...ENTITY_TYPES.map((type) => [type, ctx.database.entities[type]] as [string, AnyCollection]),
    ['audit', ctx.database.audit],
  ];

  return {
    async *export(filePath?: string): AsyncGenerator<ExportEvent> {
      const counts = Object.fromEntries(
        await Promise.all(collections().map(async ([name, c]) => [name, await c.count({ selector: {} }).exec()])),
      ) as Record<string, number>;
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const file = await openExportFile(ctx, 'curio-backup', 'json', filePath);
      let done = 0;
      try {
        yield { type: 'progress', done, total };
        const header = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          exportedAt: ctx.now().toISOString(),
          deviceId: ctx.deviceId,
          counts,
        };
        await file.write(`${JSON.stringify(header).slice(0, -1)},"collections":{`);
        for (const [index, [name, collection]] of collections().entries()) {
          await file.write(`${index > 0 ? ',' : ''}\n${JSON.stringify(name)}:[`);
          let first = true;
          const batches = name === 'audit' ? scanAudit(collection) : scanEntities(collection, { includeTrash: true });
          for await (const batch of batches) {
            await file.write(
              batch.map((doc) => `${first ? ((first = false), '\n') : ',\n'}${JSON.stringify(doc)}`).join(''),
            );
            done += batch.length;
            yield { type: 'progress', done, total };
          }
          await file.write('\n]');
        }
        await file.write('}}\n');
      } finally {
        await file.close();
      }
      yield { type: 'done', filePath: file.path, rows: done };
    },

    /**
     * Restores a backup into this profile (admin). Every document is validated
     * first; a bad or foreign file changes nothing. Entries are written as in
     * the file with a new revision, each audited as `import`; audit entries
     * missing here are added. Entries not in the file are left alone.
     */
    async restore(source: { content?: string; filePath?: string }): Promise<RestoreResult> {
      requireRole(ctx, 'admin', 'restore a backup');
      const backup = parseBackup(await readSource(source));
      const result: RestoreResult = {
        entities: { inserted: 0, updated: 0, unchanged: 0 },
        audit: { inserted: 0, unchanged: 0 },
      };
      await ctx.lock.run(async () => {
        for (const type of ENTITY_TYPES) {
          const documents = backup[type] ?? [];
          for (let start = 0; start < documents.length; start += BATCH) {
            await ctx.database.transaction(() =>
              restoreEntities(ctx, type, documents.slice(start, start + BATCH), result),
            );
          }
        }
        const audit = backup.audit ?? [];
        for (let start = 0; start < audit.length; start += BATCH) {
          const batch = audit.slice(start, start + BATCH);
          const existing = await ctx.database.audit.findByIds(batch.map((e) => e.id as string)).exec();
          const missing = batch.filter((e) => !existing.has(e.id as string));
          if (missing.length > 0) await ctx.database.transaction(() => ctx.database.audit.bulkInsert(missing));
          result.audit.inserted += missing.length;
          result.audit.unchanged += batch.length - missing.length;
        }
      });
      return result;
    },
  };
}

async function restoreEntities(
  ctx: ServiceContext,
  type: EntityType,
  documents: DocumentData[],
  result: RestoreResult,
) {
  const collection = ctx.database.entities[type];
  const existing = await collection.findByIds(documents.map((d) => d.id as string)).exec();
  for (const document of documents) {
    const current = existing.get(document.id as string);
    const before = current ? (current.toJSON() as DocumentData) : null;
    const changes = diffFields(auditedFields(type), before, document);
    if (before && changes.length === 0) {
      result.entities.unchanged++;
      continue;
    }
    // A new revision: the replication must see this as a change, not as the old write again.
    const next = { ...document, rev: crypto.randomUUID() };
    if (current)
      await current.modify((old) => ({
        ...Object.fromEntries(Object.entries(old).filter(([k]) => k.startsWith('_'))),
        ...next,
      }));
    else await collection.insert(next);
    await appendAudit(ctx, 'import', type, next, changes);
    result.entities[current ? 'updated' : 'inserted']++;
  }
}

function parseBackup(text: string): Record<string, DocumentData[]> {
  let data: { format?: unknown; version?: unknown; collections?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    throw new AppError('BAD_FILE', `This is not a Curio backup: it is not JSON (${(error as Error).message}).`);
  }
  if (!data || data.format !== BACKUP_FORMAT || typeof data.collections !== 'object' || data.collections === null) {
    throw new AppError('BAD_FILE', 'This is not a Curio backup file. Pick a file made with "Back up catalog".');
  }
  if (data.version !== BACKUP_VERSION) {
    throw new AppError(
      'BAD_FILE',
      `This backup has format version ${String(data.version)}; this version of Curio reads version ${BACKUP_VERSION}. Update Curio.`,
    );
  }
  const collections = data.collections as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const [name, documents] of Object.entries(collections)) {
    if (!isEntityType(name) && name !== 'audit') {
      throw new AppError(
        'BAD_FILE',
        `This backup holds an unknown collection "${name}". It was made by another app or a newer Curio.`,
      );
    }
    if (!Array.isArray(documents)) throw new AppError('BAD_FILE', `The "${name}" part of this backup is not a list.`);
    const schema = name === 'audit' ? auditEntrySchema : entities[name as EntityType].documentSchema;
    documents.forEach((document, index) => {
      const parsed = schema.safeParse(document);
      if (!parsed.success)
        for (const e of toFieldErrors(parsed.error))
          errors.push({ field: `${name}[${index}].${e.field}`, message: e.message });
    });
  }
  if (errors.length > 0) {
    const details = errors
      .slice(0, 10)
      .map((e) => `${e.field}: ${e.message}`)
      .join(' ');
    throw new AppError(
      'VALIDATION',
      `${errors.length} problems in this backup; nothing was restored. ${details}`,
      errors.slice(0, 1000),
    );
  }
  return collections as Record<string, DocumentData[]>;
}
