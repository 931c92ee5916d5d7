import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { oneOrMany } from '../../../../shared/readable';
import { useTRPCClient } from '../../api/client';
import { useStreamedExport } from '../../api/use-streamed-export';
import { ExportStatus } from '../../components/ExportStatus';
import { Dialog } from '../../components/Dialog';
import { RadioChoice } from '../../components/RadioChoice';
import { isFiltered, useListState } from '../../state/list-store';
import { EXPORT_FORMATS, FormatSelect, type ExportFormat } from '../transfer/TypeAndFormat';

type Scope = 'selection' | 'list';

/**
 * "Export…" for the library: the selected entries, or the list as it is filtered and sorted on
 * screen, to CSV, JSON or Excel, with progress. Links are written by name with their ids beside.
 */
export function ExportList(props: { type: EntityType; selected: string[] }) {
  const client = useTRPCClient();
  const state = useListState(props.type);
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope>('list');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const exporting = useStreamedExport();
  const { progress, start } = exporting;
  const plural = entities[props.type].pluralLabel.toLowerCase();
  const selection = props.selected.length > 0 && scope === 'selection';
  const run = () =>
    start((handlers) =>
      client.backup.exportEntities.subscribe(
        selection
          ? { type: props.type, format, ids: props.selected }
          : {
              type: props.type,
              format,
              filters: state.filters,
              view: state.trash,
              ...(state.sort ? { sort: state.sort } : {}),
            },
        handlers,
      ),
    );
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setScope(props.selected.length > 0 ? 'selection' : 'list');
          setOpen(true);
        }}
      >
        Export…
      </button>
      <Dialog title={`Export ${plural}`} open={open} onClose={() => setOpen(false)}>
        <fieldset>
          <legend>What to export</legend>
          <RadioChoice
            name="export-scope"
            checked={selection}
            disabled={props.selected.length === 0}
            onSelect={() => setScope('selection')}
          >
            {oneOrMany(
              props.selected.length,
              `The selected ${entities[props.type].label.toLowerCase()}`,
              `The ${props.selected.length.toLocaleString()} selected ${plural}`,
            )}
          </RadioChoice>
          <RadioChoice name="export-scope" checked={!selection} onSelect={() => setScope('list')}>
            {isFiltered(state) ? `Every ${entities[props.type].label.toLowerCase()} the filters keep` : `All ${plural}`}
            {state.sort ? ', in the list’s order' : ''}
          </RadioChoice>
        </fieldset>
        <FormatSelect format={format} formats={EXPORT_FORMATS} onFormat={setFormat} id="library-export-format" />
        <div className="toolbar" style={{ marginTop: 12 }}>
          <button type="button" className="btn primary" onClick={run} disabled={progress !== null}>
            Export
          </button>
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        <ExportStatus state={exporting} />
      </Dialog>
    </>
  );
}
