import { z } from 'zod';
import { mapStream } from './live';
import { entityType, filePath, importSourceInput, transferFormat } from './inputs';
import { procedure, router } from './trpc';

export const backupRouter = router({
  /** The whole catalog plus the audit to one JSON file: progress events, then `{ type: 'done', filePath, rows }`. */
  export: procedure
    .input(z.object({ filePath }).optional())
    .subscription(({ ctx, input }) => mapStream(ctx.services.backup.export(input?.filePath))),

  /** Admin only. Validates the whole file first; a bad or foreign file changes nothing. */
  restore: procedure
    .input(z.object({ content: z.string().optional(), filePath }))
    .mutation(({ ctx, input }) => ctx.services.backup.restore(input)),

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
