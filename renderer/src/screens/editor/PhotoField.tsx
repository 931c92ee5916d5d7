import { useId, useState } from 'react';
import type { FormValues } from '../../forms/form-values';
import { scalePhoto } from '../../lib/scale-photo';

/** Photo by URL or by file (scaled to at most 512 px in the browser), with a visibility switch. */
export function PhotoField(props: {
  values: FormValues;
  error: string | undefined;
  onChange: (patch: Partial<FormValues>) => void;
}) {
  const id = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const url = String(props.values.photoUrl ?? '');
  const file = String(props.values.photoFile ?? '');
  const preview = file || (/^https?:\/\//.test(url) ? url : '');
  const error = fileError ?? props.error;
  return (
    <fieldset className="field">
      <legend>Photo</legend>
      {preview ? <img className="photo-preview" src={preview} alt="Current photo" /> : null}
      <label htmlFor={`${id}-url`}>Photo URL</label>
      <input id={`${id}-url`} type="url" value={url} onChange={(e) => props.onChange({ photoUrl: e.target.value })} />
      <label htmlFor={`${id}-file`}>Photo file</label>
      <input
        id={`${id}-file`}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        onChange={async (event) => {
          const picked = event.target.files?.[0];
          if (!picked) return;
          try {
            props.onChange({ photoFile: await scalePhoto(picked) });
            setFileError(null);
          } catch (failure) {
            setFileError((failure as Error).message);
          }
          event.target.value = '';
        }}
      />
      {file ? (
        <button type="button" className="btn" onClick={() => props.onChange({ photoFile: '' })}>
          Remove photo file
        </button>
      ) : null}
      <label style={{ flexDirection: 'row', alignItems: 'center' }}>
        <input
          type="checkbox"
          role="switch"
          checked={props.values.photoVisible !== false}
          onChange={(e) => props.onChange({ photoVisible: e.target.checked })}
        />
        Show photo
      </label>
      {error ? (
        <span role="alert" className="field-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
