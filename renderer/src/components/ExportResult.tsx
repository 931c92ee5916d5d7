import { exportedFileHref } from '../api/exported-file';
import { counted } from '../lib/words';

/** Says where an export went: a download link in browser mode, the file's path in the desktop app. */
export function ExportResult(props: { filePath: string; rows: number }) {
  const href = exportedFileHref(props.filePath);
  const name = props.filePath.split(/[\\/]/).pop() ?? props.filePath;
  return (
    <span role="status">
      Exported {counted(props.rows, 'row')}.{' '}
      {href ? (
        <a href={href} download={name}>
          Download {name}
        </a>
      ) : (
        <>Saved to {props.filePath}</>
      )}
    </span>
  );
}
