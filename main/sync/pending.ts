import type { RxChangeEventBulk } from 'rxdb';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import type { Doc } from '../../shared/merge';

const ENTITY_COLLECTIONS = new Set<string>(ENTITY_TYPES);

const DOWNSTREAM_CONTEXT = 'replication-downstream';

const isEntryKey = (key: string) => ENTITY_COLLECTIONS.has(key.slice(0, key.indexOf('/')));

/**
 * Local changes waiting to be pushed, by collection and id with the waiting
 * revision. Local writes add; a pulled state (the server's) or a finished
 * push of that revision removes.
 * NOTE: the status reads the counts after every write, so they are kept as
 * the map changes (every change goes through `add`/`remove`) instead of
 * walked: a profile can hold 100,000 changes that were never sent.
 */
export class PendingChanges {
  private readonly revs = new Map<string, string>();
  /** How many keys of `revs` are catalog entries (the rest: audit entries, conflict records). */
  private entryCount = 0;
  /** Counts the changes to the list: a save of the list can tell whether it is behind. */
  private changeCount = 0;
  /** Server states about to be written locally by a conflict resolution: they wait for nothing. */
  private readonly serverRevs = new Map<string, string>();

  constructor(private readonly onChange: () => void) {}

  /** The waiting changes as `collection/id` → revision, to be remembered across a restart. */
  entries(): [string, string][] {
    return [...this.revs.entries()];
  }

  /** Changes remembered from the last run; each leaves when pushed or replaced, as any other. */
  restore(entries: [string, string][]): void {
    for (const [key, rev] of entries) if (!this.revs.has(key)) this.add(key, rev);
    this.onChange();
  }

  /** The waiting keys (`collection/id`), for diagnostics. */
  keys(): string[] {
    return [...this.revs.keys()];
  }

  /** Whether the document has a change waiting to be sent. */
  isWaiting(collection: string, id: string): boolean {
    return this.revs.has(`${collection}/${id}`);
  }

  /** Every waiting document: entries, their audit entries and conflict records. */
  get size(): number {
    return this.revs.size;
  }

  /**
   * The catalog entries with changes waiting (`type/id`), what a person counts as "changed": one
   * edit also writes an audit entry, which travels with it but is not a change of its own.
   */
  entryKeys(): string[] {
    return [...this.revs.keys()].filter(isEntryKey);
  }

  /** Grows with every change to the list. */
  get version(): number {
    return this.changeCount;
  }

  /** How many catalog entries have changes waiting: `entryKeys().length`, without walking them. */
  get entrySize(): number {
    return this.entryCount;
  }

  observe(collection: string, bulk: RxChangeEventBulk<Doc>): void {
    const pulled = bulk.context.startsWith(DOWNSTREAM_CONTEXT);
    for (const event of bulk.events) {
      const key = `${collection}/${event.documentId}`;
      const rev = String((event.documentData as Doc | undefined)?.rev ?? '');
      const isServerState = this.serverRevs.get(key) === rev;
      if (isServerState) this.serverRevs.delete(key);
      if (pulled || isServerState) this.remove(key);
      else this.add(key, rev);
    }
    this.onChange();
  }

  pushing(collection: string, documents: Doc[]): void {
    for (const document of documents) {
      const key = `${collection}/${String(document.id)}`;
      if (!this.revs.has(key)) this.add(key, String(document.rev));
    }
    this.onChange();
  }

  pushed(collection: string, documents: Doc[]): void {
    for (const document of documents) {
      const key = `${collection}/${String(document.id)}`;
      if (this.revs.get(key) === document.rev) this.remove(key);
    }
    this.onChange();
  }

  /**
   * A conflict resolved to the server's own state: RxDB writes it locally
   * and, being the master state already, never pushes it.
   */
  serverState(collection: string, document: Doc): void {
    this.serverRevs.set(`${collection}/${String(document.id)}`, String(document.rev));
  }

  private add(key: string, rev: string): void {
    if (this.revs.get(key) === rev) return;
    if (!this.revs.has(key) && isEntryKey(key)) this.entryCount++;
    this.revs.set(key, rev);
    this.changeCount++;
  }

  private remove(key: string): void {
    if (!this.revs.delete(key)) return;
    if (isEntryKey(key)) this.entryCount--;
    this.changeCount++;
  }
}
