import { useQuery } from '@tanstack/react-query';
import { AUDIT_ACTIONS } from '../../../../shared/audit';
import { isEntityType } from '../../../../shared/entities';
import { ACTION_WORDS } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { ReferencePicker } from '../../components/ReferencePicker';
import { TypeSelect } from '../../components/TypeSelect';
import { dateRangeProblem } from './audit-filter';

export interface AuditFilterValues {
  actorId: string;
  action: string;
  entityType: string;
  /** One entry of the chosen type (picked by searching its title), live, in the trash or deleted permanently. */
  entityId: string;
  from: string;
  to: string;
}

/** Filter boxes for the audit: actor, action, entity type and a date range. */
export function AuditFilters(props: { values: AuditFilterValues; onChange: (values: AuditFilterValues) => void }) {
  const trpc = useTRPC();
  // Everyone in the whole trail, not only in its latest page.
  const actors = useQuery(trpc.audit.actors.queryOptions()).data ?? [];
  const rangeWrong = dateRangeProblem(props.values) !== null || undefined;
  const set = (field: keyof AuditFilterValues) => (event: { target: { value: string } }) =>
    props.onChange({ ...props.values, [field]: event.target.value });
  return (
    <div className="toolbar" role="group" aria-label="Audit filters">
      <label>
        Actor
        <select value={props.values.actorId} onChange={set('actorId')}>
          <option value="">Anyone</option>
          {actors.map((actor) => (
            <option key={actor.id} value={actor.id}>
              {actor.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Action
        <select value={props.values.action} onChange={set('action')}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {ACTION_WORDS[action]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <TypeSelect
          anyLabel="Any type"
          value={isEntityType(props.values.entityType) ? props.values.entityType : ''}
          onChange={(entityType) => props.onChange({ ...props.values, entityType, entityId: '' })}
        />
      </label>
      {isEntityType(props.values.entityType) ? (
        <div style={{ minWidth: 220 }}>
          <ReferencePicker
            label="Entry"
            target={props.values.entityType}
            many={false}
            purpose="audit"
            value={props.values.entityId ? [props.values.entityId] : []}
            onChange={(ids) => props.onChange({ ...props.values, entityId: ids[ids.length - 1] ?? '' })}
          />
        </div>
      ) : null}
      <label>
        From
        <input type="date" value={props.values.from} onChange={set('from')} aria-invalid={rangeWrong} />
      </label>
      <label>
        To
        <input type="date" value={props.values.to} onChange={set('to')} aria-invalid={rangeWrong} />
      </label>
    </div>
  );
}
