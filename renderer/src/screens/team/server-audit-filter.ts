import { SERVER_AUDIT_ACTIONS, type ServerAuditAction } from '../../../../shared/team';

/** The server audit's filters as the form holds them: plain strings, '' meaning "any". */
export interface ServerAuditForm {
  actor: string;
  action: ServerAuditAction | '';
  /** Local calendar days (yyyy-mm-dd) from a date input, both inclusive. */
  from: string;
  to: string;
}

export const NO_FILTER: ServerAuditForm = { actor: '', action: '', from: '', to: '' };

export { SERVER_AUDIT_ACTIONS };

/** The router's filter: the days as instants of this computer's time zone (whole days, both ends included). */
export function toServerFilter(form: ServerAuditForm) {
  return {
    ...(form.actor.trim() ? { actor: form.actor.trim() } : {}),
    ...(form.action ? { action: form.action } : {}),
    ...(form.from ? { from: new Date(`${form.from}T00:00:00`).toISOString() } : {}),
    ...(form.to ? { to: new Date(`${form.to}T23:59:59.999`).toISOString() } : {}),
  };
}
