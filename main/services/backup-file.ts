import { z } from 'zod';
import { documentSchemaOf } from '../../shared/document-schemas';
import { ENTITY_TYPES, isEntityType, type EntityType } from '../../shared/entities/registry';
import { AppError, type FieldError } from '../../shared/errors';
import { toFieldErrors } from '../../shared/validation';
import type { AnyCollection, DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { openSealedFile } from './sealed-file';
import { newestLocalWrite, scanAudit, scanEntities } from './scan';

export const BACKUP_FORMAT = 'curio-backup';
export const BACKUP_VERSION = 1;

/** A parsed backup: documents per collection (entity types and `audit`), each validated. */
export type BackupContent = Record<string, DocumentData[]>;

/**
 * Where and when a backup's versions were read, from its header: what tells a restore which versions here
 * changed after the file was made (restore-plan.ts). `store` is the RxDB storage token of the database it
 * was read from (a fresh store, a rebuild included, has a new one); `newestWrites` the newest local write
 * stamp (`_meta.lwt`) per entity type when the export began. Each is null when the file does not say
 * (files of older versions have no `store`; recovery's readable export and database copies no `deviceId`).
 */
export interface BackupOrigin {
  exportedAt: string | null;
  deviceId: string | null;
  store: string | null;
  newestWrites: Partial<Record<EntityType, number>> | null;
}

export interface ParsedBackup {
  content: BackupContent;
  origin: BackupOrigin;
}

const originSchema = z.object({
  exportedAt: z.iso.datetime().optional(),
  deviceId: z.string().min(1).max(100).optional(),
  store: z.string().min(1).max(100).optional(),
  newestWrites: z.record(z.string().max(100), z.number().nonnegative()).optional(),
});

/** The origin a header states; a header that states it wrongly (a hand-edited file) states nothing. */
function originOf(header: unknown): BackupOrigin {
  const parsed = originSchema.safeParse(header);
  const origin = parsed.success ? parsed.data : {};
  return {
    exportedAt: origin.exportedAt ?? null,
    deviceId: origin.deviceId ?? null,
    store: origin.store ?? null,
    newestWrites: (origin.newestWrites as BackupOrigin['newestWrites']) ?? null,
  };
}

function collectionsOf(ctx: ServiceContext): [string, AnyCollection][] {
  return [
    ...ENTITY_TYPES.map((type) => [type, ctx.database.entities[type]] as [string, AnyCollection]),
    ['audit', ctx.database.audit],
  ];
}

/**
 * Streams the whole catalog (trash included) plus the audit to one JSON file:
 * `filePath` if given, otherwise a new file in the profile's exports folder.
 * With `sealWith` (a snapshot of an encrypted profile) the file is sealed with that key (sealed-file.ts).
 */
export async function* writeBackup(
  ctx: ServiceContext,
  filePath?: string,
  options: { sealWith?: Buffer | null } = {},
): AsyncGenerator<ExportEvent> {
  const collections = collectionsOf(ctx);
  // NOTE: read before the first document, so every write the scan may miss lands above these stamps.
  const newestWrites = Object.fromEntries(
    await Promise.all(ENTITY_TYPES.map(async (type) => [type, await newestLocalWrite(ctx.database.entities[type])])),
  ) as Record<EntityType, number>;
  const store = await ctx.database.db.storageToken;
  const counts = Object.fromEntries(
    await Promise.all(collections.map(async ([name, c]) => [name, await c.count({ selector: {} }).exec()])),
  ) as Record<string, number>;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const file =
    options.sealWith && filePath
      ? await openSealedFile(filePath, options.sealWith)
      : await openExportFile(ctx, 'curio-backup', 'json', filePath);
  let done = 0;
  try {
    yield { type: 'progress', done, total };
    const header = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: ctx.now().toISOString(),
      deviceId: ctx.deviceId,
      store,
      newestWrites,
      counts,
    };
    await file.write(`${JSON.stringify(header).slice(0, -1)},"collections":{`);
    for (const [index, [name, collection]] of collections.entries()) {
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
}

/**
 * The text of a backup of documents already in memory (recovery's readable export, a snapshot that is a
 * database copy): the same format `writeBackup` streams, one document a line. `deviceId` only for a copy
 * of this device's own profile.
 */
export function backupText(
  collections: Record<string, DocumentData[]>,
  exportedAt: Date,
  options: { deviceId?: string } = {},
): string {
  const counts = Object.fromEntries(Object.entries(collections).map(([name, documents]) => [name, documents.length]));
  const header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: exportedAt.toISOString(),
    ...(options.deviceId ? { deviceId: options.deviceId } : {}),
    counts,
  };
  const parts = Object.entries(collections).map(
    ([name, documents]) =>
      `\n${JSON.stringify(name)}:[${documents.map((doc, i) => `${i > 0 ? ',' : ''}\n${JSON.stringify(doc)}`).join('')}\n]`,
  );
  return `${JSON.stringify(header).slice(0, -1)},"collections":{${parts.join(',')}}}\n`;
}

/** Checks format, version and every document; a bad or foreign file is refused whole. */
export function parseBackup(text: string): ParsedBackup {
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
    const schema = documentSchemaOf(name);
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
  return { content: collections as BackupContent, origin: originOf(data) };
}
