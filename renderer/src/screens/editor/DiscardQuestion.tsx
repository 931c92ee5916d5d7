import { entities, type EntityType } from '../../../../shared/entities';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { sameValue } from '../../forms/follow-document';
import { formFieldsOf, PHOTO_FIELDS, type FormField } from '../../forms/form-fields';
import { toFormValues, type FormValues } from '../../forms/form-values';
import { ShownValue } from './ContestedValue';

/** One field the draft changed: its label, what was typed and the saved value discarding goes back to. */
interface DraftChange {
  field: FormField;
  typed: FormValues[string] | undefined;
  saved: FormValues[string] | undefined;
}

/** The fields where the typing differs from the entry as stored (`saved`; null for a new entry: every typed field). */
export function draftChanges(
  type: EntityType,
  values: FormValues,
  saved: Record<string, unknown> | null,
): DraftChange[] {
  const stored = toFormValues(type, saved);
  const changes: DraftChange[] = [];
  for (const field of formFieldsOf(type)) {
    if (field.control.kind === 'photo') {
      if (PHOTO_FIELDS.some((name) => !sameValue(values[name], stored[name])))
        changes.push({ field, typed: photoWords(values), saved: photoWords(stored) });
      continue;
    }
    if (!sameValue(values[field.name], stored[field.name]))
      changes.push({ field, typed: values[field.name], saved: stored[field.name] });
  }
  return changes;
}

/** A photo in words: the file is a data URL, too long to show; whether it is shown counts too. */
function photoWords(values: FormValues): string {
  const picture = values.photoFile ? 'a picked image' : values.photoUrl ? String(values.photoUrl) : 'no photo';
  return values.photoVisible === false && picture !== 'no photo' ? `${picture} (hidden)` : picture;
}

/**
 * The question before the editor's "Discard changes": the typing is the person's own and not saved anywhere,
 * so it says what goes, field by field (typed value and the saved value it goes back to), or that the whole
 * new entry is dropped, and asks. Cancel keeps the draft (and the focus, which the <dialog> gives back).
 */
export function DiscardQuestion(props: {
  type: EntityType;
  values: FormValues;
  /** The entry as stored (null: a new entry, never saved). */
  saved: Record<string, unknown> | null;
  /** The entry was deleted permanently: nothing is left to go back to, and the editor closes. */
  gone: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const label = entities[props.type].label.toLowerCase();
  const fresh = props.saved === null || props.gone;
  const changes = draftChanges(props.type, props.values, fresh ? null : props.saved);
  const isNew = props.saved === null && !props.gone;
  const lead = isNew
    ? `This new ${label} was never saved: discarding drops the whole new ${label}, with everything typed into it.`
    : props.gone
      ? `This ${label} was deleted permanently, so there is no saved version to go back to: discarding drops your typing and closes it.`
      : 'Your typing in these fields is thrown away, and each goes back to its saved value. It cannot be brought back.';
  return (
    <ConfirmDialog
      title={isNew ? `Discard this new ${label}?` : `Discard your changes to this ${label}?`}
      confirmLabel={isNew ? `Discard the new ${label}` : 'Discard'}
      busy={false}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>{lead}</p>
      {changes.length > 0 ? (
        <table className="plain" aria-label="Changes to discard">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Typed</th>
              {fresh ? null : <th scope="col">Goes back to</th>}
            </tr>
          </thead>
          <tbody>
            {changes.map(({ field, typed, saved }) => {
              const reference = field.control.kind === 'reference' ? field.control.target : undefined;
              return (
                <tr key={field.name}>
                  <th scope="row">{field.label}</th>
                  <td>
                    <ShownValue value={typed} reference={reference} />
                  </td>
                  {fresh ? null : (
                    <td>
                      <ShownValue value={saved} reference={reference} />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </ConfirmDialog>
  );
}
