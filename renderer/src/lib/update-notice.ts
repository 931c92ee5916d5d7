import type { Outputs } from '../api/types';

type UpdateState = NonNullable<Outputs['updates']['state']>;

const TOO_OLD = 'Your Curio is too old for the server';
const WORK_WORDS = { save: 'the save', sync: 'the sync' } as const;

/**
 * What the notice above every screen says about the desktop app's update, and whether it offers
 * "Restart to update"; null when there is nothing to say (no update, or one downloading quietly).
 */
export function updateNotice(state: UpdateState | null): { text: string; restart: boolean } | null {
  if (!state) return null;
  const { phase, version, percent, restartWaitsFor, serverNeedsUpdate } = state;
  if (phase === 'ready') {
    if (restartWaitsFor && restartWaitsFor.length > 0) {
      const work = restartWaitsFor.map((w) => WORK_WORDS[w]).join(' and ');
      return { text: `Curio ${version} installs as soon as ${work} in progress finishes.`, restart: false };
    }
    const ready = `Curio ${version} is ready.`;
    return { text: serverNeedsUpdate ? `${TOO_OLD}. ${ready}` : ready, restart: true };
  }
  if (!serverNeedsUpdate) return null;
  if (phase === 'downloading') {
    return { text: `${TOO_OLD}: downloading Curio ${version} (${percent ?? 0} %).`, restart: false };
  }
  if (phase === 'checking') return { text: `${TOO_OLD}: looking for the update…`, restart: false };
  return {
    text: `${TOO_OLD}, and no update was found: ask your team for the current Curio installer.`,
    restart: false,
  };
}
