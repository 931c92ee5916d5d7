import { useId } from 'react';
import type { EntityType } from '../../../../shared/entities';
import { ReferencePicker } from '../../components/ReferencePicker';
import type { FormField } from '../../forms/form-fields';
import type { FormValues } from '../../forms/form-values';
import { ChipsInput } from './ChipsInput';
import { PhotoField } from './PhotoField';

interface Props {
  type: EntityType;
  field: FormField;
  values: FormValues;
  error: string | undefined;
  onChange: (field: string, patch: Partial<FormValues>) => void;
}

/** One form field, with the control its kind calls for and its message inline. */
export function FieldControl({ field, values, error, onChange }: Props) {
  const id = useId();
  const control = field.control;
  const set = (value: string | string[] | boolean) => onChange(field.name, { [field.name]: value });
  const described = error ? `${id}-error` : undefined;
  const message = error ? (
    <span id={`${id}-error`} className="field-error">
      {error}
    </span>
  ) : null;

  if (control.kind === 'photo')
    return <PhotoField values={values} error={error} onChange={(patch) => onChange('photo', patch)} />;
  if (control.kind === 'reference') {
    const value = values[field.name];
    return (
      <ReferencePicker
        label={field.label}
        target={control.target}
        many={control.many}
        value={Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : []}
        onChange={(ids) => set(control.many ? ids : (ids[ids.length - 1] ?? ''))}
        error={error}
      />
    );
  }
  if (control.kind === 'chips') {
    return (
      <ChipsInput label={field.label} value={(values[field.name] as string[]) ?? []} onChange={set} error={error} />
    );
  }
  if (control.kind === 'boolean') {
    return (
      <div className="field">
        <label style={{ flexDirection: 'row', alignItems: 'center' }}>
          <input
            type="checkbox"
            checked={Boolean(values[field.name])}
            onChange={(e) => set(e.target.checked)}
            aria-describedby={described}
          />
          {field.label}
        </label>
        {message}
      </div>
    );
  }
  const common = {
    id,
    name: field.name,
    value: String(values[field.name] ?? ''),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
    'aria-required': field.required || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id} className={field.required ? 'required' : undefined}>
        {field.label}
      </label>
      {control.kind === 'text' && control.multiline ? (
        <textarea {...common} onChange={(e) => set(e.target.value)} />
      ) : (
        <input
          {...common}
          type={control.kind === 'date' ? 'date' : 'text'}
          inputMode={control.kind === 'integer' ? 'numeric' : undefined}
          onChange={(e) => set(e.target.value)}
        />
      )}
      {message}
    </div>
  );
}
