import { BackupPanel } from './BackupPanel';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';

/** Import and export of one entity type (CSV or JSON), and whole-catalog backup and restore. */
export default function TransferScreen() {
  return (
    <>
      <h2>Import and export</h2>
      <ImportPanel />
      <ExportPanel />
      <BackupPanel />
    </>
  );
}
