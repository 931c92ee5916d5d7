import { z } from 'zod';
import { mapStream } from './live';
import { entityType, filePath, importSourceInput, transferFormat } from './inputs';
import { RESTORE_MODES } from '../services';
import { procedure, router } from './trpc';

/** A backup file's text, a path the core reads, or a safety snapshot by id. */
const backupSource = z.object({ content: z.string().optional(), filePath, snapshotId: z.string().max(200).optional() });

export const backupRouter = router({
  /** The whole catalog plus the audit to one JSON file: progress events, then `{ type: 'done', filePath, rows }`. */
  export: procedure
    .input(z.object({ filePath }).optional())
    .subscription(({ ctx, input }) => mapStream(ctx.services.backup.export(input?.filePath))),

  /** Admin only. What a restore would do: new, updated, unchanged, newer here, absent from the file. Writes nothing. */
  previewRestore: procedure.input(backupSource).mutation(({ ctx, input }) => ctx.services.backup.previewRestore(input)),

  /** Admin only. Restores as previewed (`token`), after a safety snapshot; CONFLICT if the plan changed meanwhile. */
  restore: procedure
    .input(
      backupSource.extend({ mode: z.enum(RESTORE_MODES).default('keep-newer'), token: z.string().min(1).max(200) }),
    )
    .mutation(({ ctx, input }) => ctx.services.backup.restore(input, input)),

  /** The safety snapshots of this profile, newest first. */
  snapshots: procedure.query(({ ctx }) => ctx.services.snapshots.list()),

  /** One entity type to CSV or JSON, streamed with progress. */
  exportEntities: procedure
    .input(z.object({ type: entityType, format: transferFormat, filePath }))
    .subscription(({ ctx, input }) =>
      mapStream(ctx.services.transfer.export(input.type, input.format, input.filePath)),
    ),

  /** Dry run of an import: row count, every bad row by line and field, and a preview. Writes nothing. */
  validateImport: procedure
    .input(importSourceInput)
    .query(({ ctx, input }) => ctx.services.transfer.validate(input.type, input)),

  /** Imports all rows (each audited as `import`) or, if any row is bad, nothing (VALIDATION listing them). */
  importEntities: procedure
    .input(importSourceInput)
    .mutation(({ ctx, input }) => ctx.services.transfer.import(input.type, input)),
});
