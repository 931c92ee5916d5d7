/** What an open question would have done, in the words "nothing was …". */
export type RoleLostAction = 'restored' | 'purged' | 'deleted' | 'moved';

/**
 * Inside an open question (restore, purge, permanent delete, move to the trash): the role follows the server live
 * (CLIENT-10), so one lost while the question is open is told here, with the reason the core would
 * refuse with, instead of the core refusing the click. Nothing while the role allows it (`reason`
 * null) or while the action runs (`busy`): it was allowed when it started, and its own answer says
 * how it ended.
 */
export function RoleLostAlert(props: { reason: string | null; nothing: RoleLostAction; busy?: boolean }) {
  if (!props.reason || props.busy) return null;
  return (
    <p role="alert" className="error">
      {props.reason} Your role changed while this was open; nothing was {props.nothing}.
    </p>
  );
}
