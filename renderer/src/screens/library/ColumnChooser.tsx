import type { EntityType } from '../../../../shared/entities';
import { columnFields } from '../../../../shared/entities';
import { labelOfColumn } from './columns';

/**
 * The columns a list shows, and their order: every field of the type may be
 * a column (linked entries show their names). At least one stays shown.
 */
export function ColumnChooser(props: { type: EntityType; columns: string[]; onChange: (columns: string[]) => void }) {
  const { columns } = props;
  const hidden = columnFields(props.type).filter((field) => !columns.includes(field));
  const move = (index: number, by: -1 | 1) => {
    const next = [...columns];
    [next[index], next[index + by]] = [next[index + by]!, next[index]!];
    props.onChange(next);
  };
  return (
    <details className="menu">
      <summary className="btn">Columns</summary>
      <div className="menu-body" role="group" aria-label="Columns">
        <ol className="column-list">
          {columns.map((field, index) => {
            const label = labelOfColumn(props.type, field);
            return (
              <li key={field}>
                <label>
                  <input
                    type="checkbox"
                    checked
                    disabled={columns.length === 1}
                    onChange={() => props.onChange(columns.filter((c) => c !== field))}
                  />
                  {label}
                </label>
                <button
                  type="button"
                  className="btn small"
                  aria-label={`Move ${label} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn small"
                  aria-label={`Move ${label} down`}
                  disabled={index === columns.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
              </li>
            );
          })}
        </ol>
        {hidden.length > 0 ? (
          <ul className="column-list">
            {hidden.map((field) => (
              <li key={field}>
                <label>
                  <input type="checkbox" checked={false} onChange={() => props.onChange([...columns, field])} />
                  {labelOfColumn(props.type, field)}
                </label>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </details>
  );
}
