import { durationFields } from '../../shared/entities/duration-order';
import { foldedNameFields } from '../../shared/entities/folded-names';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { forgetDeferredIndex, quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';

/**
 * Drops the indexes earlier releases made on the entity tables: SQL expression indexes over the stored JSON
 * (durations in seconds, names folded by SQLite's lower()), which every UPDATE rewrote. Lists by duration and
 * lookups of names ignoring case now read columns the storage keeps (shared/entities/duration-order.ts,
 * shared/entities/folded-names.ts); an index an interrupted initial sync listed to make again is forgotten
 * with it. The core's open awaits it; once they are gone its transactions change nothing and write nothing.
 */
export async function dropEarlierExpressionIndexes(ctx: ServiceContext): Promise<void> {
  for (const type of ENTITY_TYPES) {
    const { file, table } = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
    const names = [
      ...durationFields(type).map((field) => `${table.name}__${field}_seconds`),
      ...foldedNameFields(type).map((field) => `${table.name}__${field}_folded`),
    ];
    if (names.length === 0) continue;
    await file.waitForWriteTurn();
    file.writer.transaction(() => {
      for (const name of names) {
        file.writer.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(name)}`);
        forgetDeferredIndex(file.writer, name);
      }
    })();
  }
}
