import { entities } from '../../../../shared/entities';
import type { Outputs } from '../../api/types';

type Preview = Outputs['backup']['previewRestore'];
type Entry = Preview['entries']['new'][number];

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

/** What a restore would do, category by category, with the entries behind each count. */
export function RestorePreviewList(props: { preview: Preview; mode: 'keep-newer' | 'exact' }) {
  const { counts, entries } = props.preview;
  const exact = props.mode === 'exact';
  return (
    <section aria-label="What the restore does">
      <ul aria-label="Restore summary">
        <li>{counts.new} new</li>
        <li>{counts.updated} updated (the file's version is newer)</li>
        <li>{counts.unchanged} unchanged</li>
        <li>
          {counts.newerHere} would replace a newer version:{' '}
          {exact ? <strong>replaced by the file's version</strong> : 'kept as they are here'}
        </li>
        <li>
          {counts.absent} present here but not in the file:{' '}
          {exact ? <strong>moved to the trash</strong> : 'left as they are'}
        </li>
      </ul>
      <Entries title="Newer here than in the file" entries={entries.newerHere} total={counts.newerHere} />
      <Entries title="Present here but not in the file" entries={entries.absent} total={counts.absent} />
      <Entries title="Updated from the file" entries={entries.updated} total={counts.updated} />
      <Entries title="New from the file" entries={entries.new} total={counts.new} />
    </section>
  );
}

function Entries(props: { title: string; entries: Entry[]; total: number }) {
  if (props.total === 0) return null;
  return (
    <details>
      <summary>
        {props.title} ({props.total})
      </summary>
      <ul aria-label={props.title}>
        {props.entries.map((e) => (
          <li key={e.id}>
            {entities[e.type].label}: {e.title || '(untitled)'}{' '}
            <span className="muted">
              (here {when(e.hereUpdatedAt)}
              {e.hereUpdatedBy ? ` by ${e.hereUpdatedBy}` : ''}
              {e.hereChangedSinceFile ? ', changed here after the file was made' : ''}, in the file{' '}
              {when(e.fileUpdatedAt)})
            </span>
          </li>
        ))}
        {props.total > props.entries.length ? <li>…and {props.total - props.entries.length} more</li> : null}
      </ul>
    </details>
  );
}
