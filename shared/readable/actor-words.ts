/**
 * Where the person's own change came from when the screen (or call) they are looking at did not make it.
 * NOTE: a document records who wrote it, not which device, and the same person may be signed in on two,
 * so both are named ("in another window" alone could be false).
 */
export const ELSEWHERE = 'in another window or on another device';

/** Whether `actor` (a document's `updatedBy`, `deletedBy`, …) is the person acting here (`me`, the session's actor id). */
export function isYou(actor: { id?: string } | null | undefined, me: string | null | undefined): boolean {
  return typeof me === 'string' && me !== '' && actor?.id === me;
}
