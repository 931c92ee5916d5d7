import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { whyNot } from '../../shared/permissions';
import { RoleLostAlert } from '../../renderer/src/components/RoleLostAlert';

const shown = (props: Parameters<typeof RoleLostAlert>[0]) => renderToStaticMarkup(createElement(RoleLostAlert, props));

describe('the alert of a question whose role was lost while it was open', () => {
  it('says why and what was not done, in the words the role-lost e2e tests read', () => {
    expect(shown({ reason: whyNot('editor', 'restoreBackup'), nothing: 'restored' })).toBe(
      '<p role="alert" class="error">Only an admin can restore a backup; you are signed in as an editor. Your role changed while this was open; nothing was restored.</p>',
    );
    expect(shown({ reason: whyNot('editor', 'purgeTrash'), nothing: 'purged' })).toContain(
      'Only an admin can purge the trash; you are signed in as an editor. Your role changed while this was open; nothing was purged.',
    );
    expect(shown({ reason: whyNot('viewer', 'restoreEntries'), nothing: 'restored', busy: false })).toContain(
      'Only an editor or admin can restore entries from the trash; you are signed in as a viewer. Your role changed while this was open; nothing was restored.',
    );
  });

  it('is not there while the role allows it, nor while the action it allowed runs', () => {
    expect(shown({ reason: whyNot('admin', 'deletePermanently'), nothing: 'deleted' })).toBe('');
    expect(shown({ reason: whyNot('editor', 'deletePermanently'), nothing: 'deleted', busy: true })).toBe('');
  });
});
