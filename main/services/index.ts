import { createAuditService } from './audit';
import { createBackupService } from './backup';
import { createConflictService } from './conflicts';
import type { ServiceContext } from './context';
import { dropEarlierExpressionIndexes } from './earlier-indexes';
import { createEntityService } from './entities';
import { createHistoryService } from './history';
import { createLinkService } from './links';
import { createSearchIndex } from './search-index';
import { preparePurgedTitles } from './purged-titles';
import { createSettingsService } from './settings';
import { createSnapshotService } from './snapshots';
import { createTransferService } from './transfer';
import { createViewService } from './views';
import { createWaitingChangesService } from './waiting-changes';
import { createTrashService } from './trash';

export { createServiceContext, type ServiceContext, type Session } from './context';
export type { ListInput, ListPage, FilterValue, SortDirection } from './list';
export { sortableFields, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './list';
export type { SearchInput, SearchHit, SearchRank } from './search-index';
export type { EntityRef, PurgeProgress, TrashItem } from './trash';
export type { RestorePreviewEntry, RestoreNamesake } from './trash-restore-preview';
export type { ReferenceReport, Referrer, TrashPreviewEntry } from './references';
export type { BackLink, BackLinkGroup, BackLinks } from './links';
export {
  filterValueSchema,
  sortSchema,
  savedViewSchema,
  TRASH_STATES,
  type SavedView,
  type TrashState,
  type VersionedView,
} from './view-schema';
export type { AuditQuery, ExportEvent } from './audit';
export type { AuditedEntryHit, AuditedEntryState } from './audit-entries';
export type { HistoryEntry } from './history';
export type { ImportSource, ImportCheck, ImportResult, RowError, TransferFormat } from './transfer';
export { EXPORT_FORMATS, type ExportFormat } from './table-writer';
export type { ColumnRule, ImportTemplate } from './import-template';
export type { BackupSource, RestoreResult } from './backup';
export { RESTORE_MODES, type RestoreMode, type RestorePreview, type RestoreEntry } from './restore-plan';
export type { PurgePreview, PurgeReferrer, PurgeScope } from './purge-plan';
export { snapshotsToKeep, SNAPSHOT_REASONS, type SnapshotInfo, type SnapshotReason } from './snapshots';
export { scheduleSnapshots } from './snapshot-schedule';
export {
  settingsSchema,
  settingsPatchSchema,
  settingsUpdateSchema,
  DEFAULT_TRASH_RETENTION_DAYS,
  type Settings,
} from './settings';
export { requirePermission, requireRole } from './permissions';
export type { WaitingEntryView, WaitingKind } from './waiting-changes';
/** The write path, for services added by other rooms (sync, conflicts): always inside runWrite. */
export { appendAudit, diffFields, editableFields, insertEntity, removeEntity, replaceEntity, runWrite } from './writes';
export { loadDocument, assertRevision } from './entities';
export { assertCrossDocumentRules, crossDocumentErrors } from './rules';
export { mayChangeNamesakes, type Namesake, type Namesakes } from './namesakes';
export type { ConflictService, FieldChoice, ResolveInput } from './conflicts';

/** The service layer: the only code that writes to the local database. */
export function createServices(ctx: ServiceContext) {
  const searchIndex = createSearchIndex(ctx);
  const settings = createSettingsService(ctx, ctx.database.local);
  const snapshots = createSnapshotService(ctx);
  const trash = createTrashService(ctx, settings, snapshots, searchIndex);
  const links = createLinkService(ctx);
  return {
    entities: createEntityService(ctx, searchIndex),
    trash,
    audit: createAuditService(ctx, searchIndex),
    history: createHistoryService(ctx),
    transfer: createTransferService(ctx, snapshots),
    backup: createBackupService(ctx, snapshots),
    snapshots,
    settings,
    links,
    views: createViewService(ctx, ctx.database.local),
    conflicts: createConflictService(ctx, trash),
    waitingChanges: createWaitingChangesService(ctx),
    /**
     * Indexes no call may wait for (deleted entries' titles), and those of earlier releases to drop
     * (durations and names ignoring case, by an expression); the core's open awaits them.
     */
    prepareIndexes: async () => {
      await dropEarlierExpressionIndexes(ctx);
      await preparePurgedTitles(ctx);
    },
    close() {
      searchIndex.close();
      links.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
