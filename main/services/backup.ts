import { createHash, randomUUID } from 'node:crypto';
import type { EntityType } from '../../shared/entities/registry';
import { writeInTransaction } from '../database';
import type { ExportEvent } from './audit';
import { parseBackup, writeBackup } from './backup-file';
import type { ServiceContext } from './context';
import { requireRole } from './permissions';
import { assertPreviewCurrent } from './preview-token';
import {
  planRestore,
  type PlannedDocument,
  type RestoreMode,
  type RestorePlan,
  type RestorePreview,
} from './restore-plan';
import type { SnapshotInfo, SnapshotService } from './snapshots';
import { readSource } from './import-rows';
import { appendAudit, auditedFields, diffFields, replaceEntity } from './writes';

export { BACKUP_FORMAT, BACKUP_VERSION } from './backup-file';

/** Where a backup comes from: its text (browser), a file the main process reads (menu), or a safety snapshot. */
export interface BackupSource {
  content?: string;
  filePath?: string;
  snapshotId?: string;
}

export interface RestoreResult {
  entities: { inserted: number; updated: number; unchanged: number; keptNewer: number; trashed: number };
  audit: { inserted: number; unchanged: number };
  /** The safety snapshot taken just before: restoring it undoes this restore. */
  snapshot: SnapshotInfo;
}

export type BackupService = ReturnType<typeof createBackupService>;

/** The whole catalog plus the audit in one JSON file, and back: always previewed, never blind. */
export function createBackupService(ctx: ServiceContext, snapshots: SnapshotService) {
  async function plan(source: BackupSource): Promise<RestorePlan> {
    const text = source.snapshotId ? await snapshots.read(source.snapshotId) : await readSource(source);
    const digest = createHash('sha256').update(text).digest('base64url');
    return planRestore(ctx, parseBackup(text), digest);
  }

  return {
    export(filePath?: string): AsyncGenerator<ExportEvent> {
      return writeBackup(ctx, filePath);
    },

    /**
     * What a restore of this file would do, entry by entry (admin). Writes
     * nothing. Every document is validated first; a bad or foreign file is refused.
     */
    async previewRestore(source: BackupSource): Promise<RestorePreview> {
      requireRole(ctx, 'admin', 'restore a backup');
      return (await plan(source)).preview;
    },

    /**
     * Restores a backup as previewed (admin): refused with CONFLICT when the
     * plan no longer matches `token`. A safety snapshot is taken first, then
     * the whole restore is one transaction, so a crash leaves the old state
     * or the new one, never a mix. Written entries keep the file's envelope
     * with a new revision, each audited as `import`; missing audit entries
     * are added. In `exact` mode live entries absent from the file are
     * trashed (audited), never deleted.
     */
    async restore(source: BackupSource, options: { mode: RestoreMode; token: string }): Promise<RestoreResult> {
      requireRole(ctx, 'admin', 'restore a backup');
      return ctx.lock.run(() =>
        ctx.database.transaction(async () => {
          const planned = await plan(source);
          assertPreviewCurrent(options.token, planned.preview.token, 'this restore');
          const snapshot = await snapshots.take('before-restore');
          return { ...(await applyRestore(ctx, planned, options.mode)), snapshot };
        }),
      );
    },
  };
}

async function applyRestore(
  ctx: ServiceContext,
  plan: RestorePlan,
  mode: RestoreMode,
): Promise<Omit<RestoreResult, 'snapshot'>> {
  const entities = { inserted: 0, updated: 0, unchanged: 0, keptNewer: 0, trashed: 0 };
  for (const [type, documents] of plan.documents) {
    for (const planned of documents) {
      if (planned.category === 'unchanged') entities.unchanged++;
      else if (planned.category === 'newerHere' && mode === 'keep-newer') entities.keptNewer++;
      else {
        await writeFromFile(ctx, type, planned);
        entities[planned.current ? 'updated' : 'inserted']++;
      }
    }
  }
  if (mode === 'exact') {
    const at = ctx.now().toISOString();
    for (const { type, id } of plan.absent) {
      const current = await ctx.database.entities[type].findOne(id).exec();
      if (!current || current.get('deletedAt') !== null) continue;
      const data = current.toJSON() as Record<string, unknown>;
      await replaceEntity(ctx, type, current, { ...data, deletedAt: at, deletedBy: ctx.session().actor }, 'trash');
      entities.trashed++;
    }
  }
  if (plan.missingAudit.length > 0) await ctx.database.audit.bulkInsert(plan.missingAudit);
  const inserted = plan.missingAudit.length;
  return { entities, audit: { inserted, unchanged: plan.auditInFile - inserted } };
}

/** The file's version with a new revision: replication must see it as a change, not as the old write again. */
async function writeFromFile(ctx: ServiceContext, type: EntityType, { document, current }: PlannedDocument) {
  const before = current ? (current.toJSON() as Record<string, unknown>) : null;
  const next = { ...document, rev: randomUUID() };
  if (current) {
    writeInTransaction(ctx.database.entities[type], next, current._data);
  } else await ctx.database.entities[type].insert(next);
  await appendAudit(ctx, 'import', type, next, diffFields(auditedFields(type), before, document));
}
