import { useQuery } from '@tanstack/react-query';
import { entities } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { describeView, linkedIds, type ShownView } from './view-words';

/**
 * The question before "Delete view": what the view holds (name, trash state, filters, sort, columns, in
 * the list's words). It follows the stored view live (`view`): replaced while the question is open (saved
 * again in another window), it shows what the view holds now, marks what changed and says so; the delete
 * names the version shown at the click, so the core refuses one replaced after that.
 */
export function DeleteViewQuestion(props: {
  /** The view as stored now (live). */
  view: ShownView;
  /** The view as it was when the question opened. */
  asked: ShownView;
  busy: boolean;
  error: unknown;
  onConfirm: (rev: string) => void;
  onCancel: () => void;
}) {
  const { view, asked } = props;
  const trpc = useTRPC();
  const refs = linkedIds([view, asked]);
  const titles = useQuery({ ...trpc.links.titles.queryOptions({ refs }), enabled: refs.length > 0 });
  const titleOf = (id: string) => titles.data?.[id] ?? (titles.isPending ? '…' : 'an entry deleted since');
  const before = new Map(describeView(asked, titleOf).map((line) => [line.label, line.words]));
  const lines = describeView(view, titleOf);
  const replaced = view.rev !== asked.rev;
  const plural = entities[view.type].pluralLabel.toLowerCase();
  return (
    <ConfirmDialog
      title={`Delete the view “${asked.name}”?`}
      confirmLabel="Delete view"
      busy={props.busy}
      error={props.error}
      onConfirm={() => props.onConfirm(view.rev)}
      onCancel={props.onCancel}
    >
      <p>
        The saved view and what it holds go away. No {plural} are changed or deleted, and the list stays as it is now.
      </p>
      {replaced ? (
        <p role="alert" className="notice">
          While this question was open, the view “{view.name}” was replaced in another window. Below is what it holds
          now; deleting deletes that.
        </p>
      ) : null}
      <table className="plain" aria-label="What the view holds">
        <tbody>
          {lines.map((line) => (
            <tr key={line.label}>
              <th scope="row">{line.label}</th>
              <td>
                {line.words}
                {replaced && before.get(line.label) !== line.words ? (
                  <em> (changed while this question was open; was: {before.get(line.label)})</em>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConfirmDialog>
  );
}
