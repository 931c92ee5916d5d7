import { AUDIT_ACTIONS } from '../../../../shared/audit';
import { ENTITY_TYPES } from '../../../../shared/entities';
import type { Inputs } from '../../api/types';
import type { AuditFilterValues } from './AuditFilters';

/** What the audit query is asked for: the screen's filters, without paging. */
export type AuditFilter = Omit<Inputs['audit']['query'], 'cursor' | 'limit'>;

/** The query filter for the values in the filter bar; empty and unknown values filter nothing. */
export function auditFilterOf(values: AuditFilterValues): AuditFilter {
  const filter: Record<string, string> = {};
  if (values.actorId) filter.actorId = values.actorId;
  if ((AUDIT_ACTIONS as readonly string[]).includes(values.action)) filter.action = values.action;
  if ((ENTITY_TYPES as string[]).includes(values.entityType)) filter.entityType = values.entityType;
  if (filter.entityType && values.entityId) filter.entityId = values.entityId;
  // Dates are days in the user's time zone; the range includes the whole "to" day.
  if (values.from) filter.from = new Date(`${values.from}T00:00:00`).toISOString();
  if (values.to) filter.to = new Date(`${values.to}T23:59:59.999`).toISOString();
  return filter as AuditFilter;
}

/**
 * Why the date range can match nothing, in words a person can act on, or null when it can match.
 * The days are yyyy-mm-dd strings from the date inputs, which compare in calendar order.
 */
export function dateRangeProblem(values: Pick<AuditFilterValues, 'from' | 'to'>): string | null {
  if (values.from && values.to && values.from > values.to) {
    return 'From is after To, so no entry can match: pick a From on or before To, or clear one of them.';
  }
  return null;
}
