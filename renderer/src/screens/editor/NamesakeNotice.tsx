import { useSubscription } from '@trpc/tanstack-react-query';
import { entities, type EntityType } from '../../../../shared/entities';
import { counted, oneOrMany } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import type { Outputs } from '../../api/types';
import { EntryLink } from '../../components/EntryLink';

type Namesakes = Outputs['entities']['onNamesakes'] extends AsyncIterable<infer T> ? T : never;
type Namesake = Namesakes['others'][number];

/**
 * A calm note when another live entry of the type has this entry's name (two offline creates of "Rex"
 * kept by a sync): it links to the other one and says how to fix it. Follows the entries live, so it
 * appears when a sync brings the namesake in and goes once one of them is renamed or trashed.
 * NOTE: a note, not an error: saving stays allowed (main/services/rules.ts), only a rename fixes it.
 */
export function NamesakeNotice(props: { type: EntityType; id: string; canRename: boolean }) {
  const trpc = useTRPC();
  const live = useSubscription(trpc.entities.onNamesakes.subscriptionOptions({ type: props.type, id: props.id }));
  const descriptor = entities[props.type];
  const label = descriptor.label.toLowerCase();
  const clashes = (live.data?.names ?? [])
    .map((name) => ({ ...name, others: (live.data?.others ?? []).filter((other) => other.field === name.field) }))
    .filter((clash) => clash.others.length > 0);
  return (
    // Always there, so a namesake that a sync brings in is announced (politely) when it appears.
    <div aria-live="polite">
      {clashes.map((clash) => (
        <section key={clash.field} role="note" aria-label="Same name" className="notice namesakes">
          <p>
            {`${others(clash.others.length, label, descriptor.pluralLabel.toLowerCase())} also named “${clash.value}”:`}
          </p>
          <ul>
            {clash.others.map((other) => (
              <li key={other.id}>
                <EntryLink type={props.type} id={other.id}>
                  {other.value}
                </EntryLink>{' '}
                <span className="muted">({describe(other)})</span>
              </li>
            ))}
          </ul>
          <p>
            {`People cannot tell them apart in lists, links and search. `}
            {props.canRename
              ? `Rename one of them: this one here, or open the other and rename it there.`
              : `Someone who can edit entries should rename one of them.`}
          </p>
        </section>
      ))}
    </div>
  );
}

/** "Another dog is", "2 other dogs are": the other entries of the type with the same name. */
function others(count: number, label: string, pluralLabel: string): string {
  return oneOrMany(count, `Another ${label} is`, `${counted(count, `other ${label}`, `other ${pluralLabel}`)} are`);
}

/** "Husky, added by Eddie on 02/12/2026": what tells a namesake apart. */
function describe(other: Namesake): string {
  const added = `added by ${other.createdBy} on ${new Date(other.createdAt).toLocaleDateString()}`;
  return other.detail ? `${other.detail}, ${added}` : added;
}
