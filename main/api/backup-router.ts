import { z } from 'zod';
import { mapStream } from './live';
import { entityExportInput, entityType, filePath, importSourceInput } from './inputs';
import { RESTORE_MODES, type ImportResult } from '../services';
import { procedure, router } from './trpc';

/** A backup file's text, a path the core reads, or a safety snapshot by id. */
const backupSource = z.object({ content: z.string().optional(), filePath, snapshotId: z.string().max(200).optional() });

/** An import run: all or nothing, or with `skipBadRows` only the good rows. */
const importRunInput = importSourceInput.extend({ skipBadRows: z.boolean().optional() });

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

  /**
   * Entries of one type to CSV, JSON or Excel, streamed with progress: the whole type, a list as
   * filtered and sorted on screen (`filters`, `sort`, `view`) or a selection (`ids`).
   */
  exportEntities: procedure
    .input(entityExportInput)
    .subscription(({ ctx, input }) => mapStream(ctx.services.transfer.export(input))),

  /** Dry run of an import: rows, good rows, every bad row by line and field, ignored columns, a preview. */
  validateImport: procedure
    .input(importSourceInput)
    .query(({ ctx, input }) => ctx.services.transfer.validate(input.type, input)),

  /**
   * Imports the rows, each audited as `import`: all or nothing (VALIDATION listing the bad rows),
   * or with `skipBadRows` only the good ones.
   */
  importEntities: procedure.input(importRunInput).mutation(async ({ ctx, input }) => {
    const steps = ctx.services.transfer.importRows(input.type, input, input);
    for (;;) {
      const step = await steps.next();
      if (step.done) return step.value;
    }
  }),

  /** The same import as a stream: progress events, then `{ type: 'done', imported, skipped }`. */
  importWithProgress: procedure
    .input(importRunInput)
    .subscription(({ ctx, input }) =>
      mapStream(importEvents(ctx.services.transfer.importRows(input.type, input, input))),
    ),

  /** The bad rows of a file with an `error` column, to fix and import again. Writes nothing. */
  badRows: procedure
    .input(importSourceInput)
    .mutation(({ ctx, input }) => ctx.services.transfer.badRows(input.type, input)),

  /** A type's import template (header and one example row) and the rules of each column. */
  importTemplate: procedure
    .input(z.object({ type: entityType }))
    .query(({ ctx, input }) => ctx.services.transfer.template(input.type)),
});

type ImportEvent =
  | { type: 'progress'; done: number; total: number }
  | ({ type: 'done' } & Omit<ImportResult, 'snapshot'> & { snapshotId: string | null });

async function* importEvents(
  run: AsyncGenerator<{ done: number; total: number }, ImportResult>,
): AsyncGenerator<ImportEvent> {
  for (;;) {
    const step = await run.next();
    if (!step.done) {
      yield { type: 'progress', ...step.value };
      continue;
    }
    const { snapshot, ...counts } = step.value;
    yield { type: 'done', ...counts, snapshotId: snapshot?.id ?? null };
    return;
  }
}
