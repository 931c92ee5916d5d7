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

/**
 * Who did `deed` ("changed this dog"), as the person reading it should hear it: "Eddie Editor changed this
 * dog", or "You changed this dog in another window or on another device" for their own change made elsewhere.
 */
export function whoDid(
  actor: { id?: string; name?: string } | null | undefined,
  me: string | null | undefined,
  deed: string,
): string {
  return isYou(actor, me) ? `You ${deed} ${ELSEWHERE}` : `${actor?.name ?? 'Someone'} ${deed}`;
}
