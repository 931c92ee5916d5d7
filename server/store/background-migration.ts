import { checkStoredVersions, migrateStoredDocuments } from './migrate-documents';
import type { Store } from './types';

export { checkStoredVersions };

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Runs the stored-document migration (SCHEMA-7) beside serving; `stop` ends it at the next batch. */
export function startDocumentMigration(store: Store, log: Log): { stop(): Promise<void> } {
  const controller = new AbortController();
  const running = migrateStoredDocuments(store, {
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.done) log.info(progress, 'stored documents migrated to the current schema version');
    },
  }).then(
    (ran) => {
      if (!ran) log.info({}, 'another server process migrates the stored documents');
    },
    (error: unknown) => log.warn({ err: error }, 'migrating stored documents failed; the next start resumes it'),
  );
  return {
    async stop() {
      controller.abort();
      await running;
    },
  };
}
