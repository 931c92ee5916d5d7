import { entities, type EntityType } from '../../../../shared/entities';
import { readableChanges, type LinkTitles } from '../../../../shared/readable';
import type { Outputs } from '../../api/types';

type Version = Outputs['history']['list'][number];
type Entry = NonNullable<Outputs['entities']['get']>;

/**
 * The entry as it is now, where it differs from the newest version its history explains: a teammate's edit
 * the sync brought before its history entry (entries and audit entries replicate in streams of their own).
 * NOTE: the history is built from the audit, so such an edit is no version yet, and a restore over it is
 * refused; shown here, the person sees what the refusal spoke of, before and after it.
 */
export function NotInHistoryYet(props: { type: EntityType; entry: Entry; newest: Version; titles: LinkTitles }) {
  const entry = props.entry as unknown as Record<string, unknown> & { updatedAt: string; updatedBy: { name: string } };
  const changes = readableChanges(
    props.type,
    Object.keys(entities[props.type].fields).map((field) => ({
      field,
      from: props.newest.version[field],
      to: entry[field],
    })),
    props.titles,
  );
  if (changes.length === 0) return null;
  const when = new Date(entry.updatedAt).toLocaleString();
  return (
    <section aria-label="Not in the history yet" className="card">
      <p>
        <strong>Changed by {entry.updatedBy.name}</strong> on <time dateTime={entry.updatedAt}>{when}</time>. Its
        history entry has not arrived yet; until it has, a restore that would change these fields is refused.
      </p>
      <div className="diff" role="table" aria-label="Changes not in the history yet">
        {changes.map((diff) => (
          <div role="row" key={diff.field} style={{ display: 'contents' }}>
            <span role="cell">{diff.label}</span>
            <del role="cell" aria-label={`was ${diff.from}`}>
              {diff.from}
            </del>
            <ins role="cell" aria-label={`now ${diff.to}`}>
              {diff.to}
            </ins>
          </div>
        ))}
      </div>
    </section>
  );
}
