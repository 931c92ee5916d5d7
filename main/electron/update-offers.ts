import type { UpdateController, UpdateState } from './updates';

/** Native dialogs for updates, as `main/index.ts` provides them. */
export interface UpdateDialogs {
  /** Asks whether to restart now; true for "Restart to update". */
  offerRestart(options: { message: string; detail: string }): Promise<boolean>;
  inform(options: { message: string; detail?: string }): Promise<void>;
}

const RESTART_DETAIL =
  'A save or sync in progress finishes first; Curio then quits, installs the update and opens again. ' +
  'Later: Help ▸ Check for Updates, or the update installs when you quit.';

/**
 * What the person sees of updates: "Restart to update" once a download is ready (once per version), and,
 * when the server refuses this version, the update instead of a dead end (or where to get it when the
 * feed has none). Help ▸ Check for Updates answers with where things stand.
 */
export function createUpdateOffers(updates: UpdateController, dialogs: UpdateDialogs) {
  let offered: string | null = null;
  let toldNoUpdate = false;
  let askedByMenu = false;
  let previous = updates.state().phase;

  const offerRestart = async (version: string, serverNeedsUpdate: boolean) => {
    const message = serverNeedsUpdate
      ? `Your Curio is too old for the server. Curio ${version} is ready: restart to update.`
      : `Curio ${version} is ready: restart to update.`;
    if (await dialogs.offerRestart({ message, detail: RESTART_DETAIL })) updates.restart();
  };

  const onState = (state: UpdateState) => {
    // A check has come to an end (not merely a flag changed while idle).
    const settled = (state.phase === 'idle' || state.phase === 'error') && previous !== state.phase;
    previous = state.phase;
    if (state.phase === 'ready' && state.version && offered !== state.version) {
      offered = state.version;
      void offerRestart(state.version, state.serverNeedsUpdate);
      return;
    }
    if (settled && askedByMenu) {
      askedByMenu = false;
      void dialogs.inform(
        state.phase === 'idle'
          ? { message: 'Curio is up to date.' }
          : { message: 'Curio could not look for updates.', detail: state.error ?? undefined },
      );
    }
    if (settled && state.serverNeedsUpdate && !toldNoUpdate) {
      toldNoUpdate = true;
      void dialogs.inform({
        message: 'Your Curio is too old for the server, and no update was found.',
        detail:
          (state.error ? `The update feed answered: ${state.error}\n` : '') +
          'Ask your team for the current Curio installer; sync resumes once it is installed.',
      });
    }
    if (!state.serverNeedsUpdate) toldNoUpdate = false;
  };
  const unsubscribe = updates.subscribe(onState);

  return {
    /** Help ▸ Check for Updates. */
    async checkForUpdates(): Promise<void> {
      const state = updates.state();
      if (state.phase === 'ready' && state.version) return offerRestart(state.version, state.serverNeedsUpdate);
      if (state.phase === 'downloading' || state.phase === 'checking') {
        return dialogs.inform({
          message:
            state.phase === 'checking'
              ? 'Curio is looking for updates.'
              : `Curio ${state.version} is downloading (${state.percent ?? 0} %).`,
          detail: 'Curio offers to restart when it is ready.',
        });
      }
      askedByMenu = true;
      await updates.check();
    },
    stop: unsubscribe,
  };
}
